package io.granary.master.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.granary.master.store.RedisMetadataStore;
import io.granary.master.testing.MutableClock;
import io.granary.master.testing.SharedRedis;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** IP grants on a real Redis. */
class GrantsIT {
    @RegisterExtension
    static final SharedRedis redis = new SharedRedis("grants");

    RedisMetadataStore store;
    final MutableClock clock = new MutableClock(Instant.ofEpochMilli(1_800_000_000_000L));
    Grants grants;

    @BeforeEach
    void setUp() {
        store = redis.store();
        grants = new Grants("test", store.grants(), clock);
    }

    @Test
    void aGrantOpensItsFileOrSubtreeToItsAddressesOnly() {
        grants.create("videos", "203.0.113.0/24", Duration.ofHours(1), "admin");
        grants.create("docs/a.txt", "2001:db8::1", Duration.ofHours(1), "admin");

        assertThat(grants.match("videos/cats/a.mp4", "203.0.113.77")).isPresent();
        assertThat(grants.match("videos", "203.0.113.77")).isPresent();
        assertThat(grants.match("videos2/a.mp4", "203.0.113.77")).isEmpty();
        assertThat(grants.match("videos/a.mp4", "203.0.114.1")).isEmpty();
        assertThat(grants.match("docs/a.txt", "2001:db8:0::1")).isPresent();
        assertThat(grants.match("docs/b.txt", "2001:db8::1")).isEmpty();
    }

    @Test
    void aGrantOnTheRootOpensEverything() {
        grants.create("/", "127.0.0.2", Duration.ofMinutes(1), "admin");
        assertThat(grants.match("any/where/x.bin", "127.0.0.2")).isPresent();
        assertThat(grants.match("any/where/x.bin", "127.0.0.1")).isEmpty();
    }

    @Test
    void aGrantStopsAtItsDeadlineAndIsThenCleanedUp() {
        Grant grant = grants.create("f.bin", "127.0.0.1", Duration.ofSeconds(30), "admin");
        clock.advance(Duration.ofMillis(29_999));
        assertThat(grants.match("f.bin", "127.0.0.1")).isPresent();
        clock.advance(Duration.ofMillis(1));
        assertThat(grants.match("f.bin", "127.0.0.1")).isEmpty();
        assertThat(grants.list()).isEmpty();
        assertThat(grants.purgeExpired()).isEqualTo(1);
        assertThat(store.grants().get(grant.id())).isEmpty();
        assertThat(grants.purgeExpired()).isZero();
    }

    @Test
    void revokingTakesEffectAtOnce() {
        Grant grant = grants.create("f.bin", "127.0.0.1", Duration.ofHours(1), "admin");
        assertThat(grants.list()).extracting(Grant::id).containsExactly(grant.id());
        grants.revoke(grant.id());
        assertThat(grants.match("f.bin", "127.0.0.1")).isEmpty();
        assertThat(grants.list()).isEmpty();
        assertThatThrownBy(() -> grants.revoke(grant.id()))
                .isInstanceOfSatisfying(GranaryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
        assertThatThrownBy(() -> grants.revoke("../../etc"))
                .isInstanceOfSatisfying(GranaryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
    }

    @Test
    void listsLiveGrantsSoonestFirst() {
        Grant later = grants.create("a", "10.0.0.0/8", Duration.ofHours(2), "admin");
        Grant sooner = grants.create("b", "10.0.0.0/8", Duration.ofHours(1), "admin");
        assertThat(grants.list()).extracting(Grant::id).containsExactly(sooner.id(), later.id());
        assertThat(grants.list().get(0).cidr().toString()).isEqualTo("10.0.0.0/8");
    }

    @Test
    void refusesBadInput() {
        assertInvalid(() -> grants.create("a/../b", "10.0.0.1", Duration.ofHours(1), "admin"));
        assertInvalid(() -> grants.create("a", "example.com", Duration.ofHours(1), "admin"));
        assertInvalid(() -> grants.create("a", "10.0.0.0/40", Duration.ofHours(1), "admin"));
        assertInvalid(() -> grants.create("a", "10.0.0.1", Duration.ZERO, "admin"));
        assertInvalid(() -> grants.create("a", "10.0.0.1", Duration.ofDays(367), "admin"));
        assertInvalid(() -> grants.match("a", "localhost"));
        assertThat(grants.list()).isEmpty();
    }

    private static void assertInvalid(Runnable call) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(GranaryException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT));
    }
}
