package io.granary.master.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.granary.common.Actor;
import io.granary.common.GranaryPath;
import io.granary.common.NotActiveException;
import io.granary.master.audit.AuditEntry;
import io.granary.master.audit.AuditLog;
import io.granary.master.audit.AuditQuery;
import io.granary.master.ha.Fence;
import io.granary.master.ha.LeaseStore;
import io.granary.master.testing.SharedRedis;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The master lease in a real Redis, and the fencing of the namespace by its epoch: the guarantee
 * that a master which lost its lease (paused, partitioned) changes nothing when it resumes.
 */
class FencingIT {
    @RegisterExtension
    static final SharedRedis redis = new SharedRedis("fencing");

    private static final Duration TTL = Duration.ofSeconds(30);

    @Test
    void theLeaseHasOneHolderAtATimeAndEveryNewHolderAGreaterEpoch() {
        LeaseStore lease = redis.store().lease();

        LeaseStore.Attempt first = lease.acquire("a:1", TTL);
        LeaseStore.Attempt second = lease.acquire("b:1", TTL);
        assertThat(first.acquired()).isTrue();
        assertThat(second.acquired()).isFalse();
        assertThat(second.holder()).contains("a:1");
        assertThat(lease.renew("a:1", first.epoch(), TTL)).isTrue();
        assertThat(lease.renew("b:1", first.epoch(), TTL)).as("only the holder renews").isFalse();

        lease.release("a:1", first.epoch());
        LeaseStore.Attempt third = lease.acquire("b:1", TTL);
        assertThat(third.acquired()).isTrue();
        assertThat(third.epoch()).isGreaterThan(first.epoch());
        assertThat(lease.renew("a:1", first.epoch(), TTL)).as("a superseded holder cannot renew").isFalse();
        lease.release("a:1", first.epoch());
        assertThat(lease.holder()).as("nor release the new holder's lease").contains("b:1");
    }

    @Test
    void aLeaseThatIsNotRenewedLapsesAndAnotherMasterTakesIt() {
        LeaseStore lease = redis.store().lease();
        LeaseStore.Attempt first = lease.acquire("a:1", Duration.ofMillis(200));

        // Redis's own clock ends it: nothing else is needed from the holder
        await().atMost(Duration.ofSeconds(5)).until(() -> lease.holder().isEmpty());
        LeaseStore.Attempt second = lease.acquire("b:1", TTL);

        assertThat(second.acquired()).isTrue();
        assertThat(second.epoch()).isGreaterThan(first.epoch());
        assertThat(lease.renew("a:1", first.epoch(), TTL)).isFalse();
    }

    @Test
    void aMasterWhoseEpochWasSupersededChangesNothingAndIsToldSo() {
        RedisMetadataStore stale = redis.store();
        try (RedisMetadataStore current = RedisMetadataStore.connect(redis.uri(), SharedRedis.STORE_TIMEOUT,
                redis.prefix())) {
            supersededMasterIsRefused(stale, current);
        }
    }

    private static void supersededMasterIsRefused(RedisMetadataStore stale, RedisMetadataStore current) {
        LeaseStore.Attempt old = stale.lease().acquire("a:1", Duration.ofMillis(1));
        RecordingFence staleFence = new RecordingFence(old.epoch());
        stale.fenceWith(staleFence);
        stale.makeDirectory(GranaryPath.of("before"), Actor.SYSTEM, 1);
        LeaseStore.Attempt taken = awaitAcquired(current.lease(), "b:1");
        current.fenceWith(new RecordingFence(taken.epoch()));

        assertThatThrownBy(() -> stale.makeDirectory(GranaryPath.of("after"), Actor.SYSTEM, 2))
                .isInstanceOf(NotActiveException.class)
                .hasMessageContaining("superseded");
        assertThat(staleFence.refused.get()).isEqualTo(old.epoch());
        assertThat(current.lookup(GranaryPath.of("after"))).as("the refused change did nothing").isEmpty();
        assertThat(current.lookup(GranaryPath.of("before"))).isPresent();
        current.makeDirectory(GranaryPath.of("by-the-new-holder"), Actor.SYSTEM, 3);
        assertThat(new AuditLog(current.audit(), Duration.ofDays(1)).list(AuditQuery.newest(10)).entries())
                .as("the audit log: the refused change is not in it")
                .extracting(AuditEntry::path).containsExactly("/by-the-new-holder", "/before");
    }

    /** Takes the lease for {@code holder} once the current one (a 1 ms lease) has lapsed. */
    private static LeaseStore.Attempt awaitAcquired(LeaseStore lease, String holder) {
        await().atMost(Duration.ofSeconds(5)).until(() -> lease.holder().isEmpty());
        LeaseStore.Attempt attempt = lease.acquire(holder, TTL);
        assertThat(attempt.acquired()).isTrue();
        return attempt;
    }

    /** A fence at a fixed epoch that remembers the epoch Redis refused. */
    private static final class RecordingFence implements Fence {
        private final long epoch;
        final AtomicLong refused = new AtomicLong();

        RecordingFence(long epoch) {
            this.epoch = epoch;
        }

        @Override
        public long epoch() {
            return epoch;
        }

        @Override
        public NotActiveException superseded(long epoch, String detail) {
            refused.set(epoch);
            return new NotActiveException("test", Optional.empty(), detail);
        }
    }
}
