package io.granary.master.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.granary.common.ChunkHandle;
import io.granary.common.MonotonicClock;
import io.granary.common.SteadyCutoff;
import io.granary.master.testing.MutableClock;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A wall clock step (NTP correcting an hour, an operator, a resumed VM) changes no duration the master
 * measures: dead detection and safe mode run on the monotonic clock, and the cutoffs compared with
 * times stored in Redis (GC grace, upload expiry) never move forward faster than real time.
 */
class ClockStepTest {
    static final Duration HOUR = Duration.ofHours(1);

    MutableClock wall = new MutableClock(SafeModeTest.START);
    MutableClock elapsed = new MutableClock(SafeModeTest.START);
    MonotonicClock ticks = elapsed::millis;

    @Test
    void aWallClockStepForwardOfAnHourDoesNotMarkChunkServersDead() {
        ChunkServerRegistry registry = new ChunkServerRegistry(10, ticks);
        registry.register("a", "a:1", 100, 0, 0, true, wall.millis());
        registry.register("b", "b:1", 100, 0, 0, true, wall.millis());

        wall.advance(HOUR);
        elapsed.advance(Duration.ofSeconds(1));

        assertThat(registry.markSilentDead(Duration.ofSeconds(15).toMillis())).isEmpty();
        assertThat(registry.live()).hasSize(2);

        elapsed.advance(Duration.ofSeconds(15));
        assertThat(registry.markSilentDead(Duration.ofSeconds(15).toMillis())).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void aWallClockStepForwardOfAnHourDoesNotEndSafeModeEarly() {
        ChunkServerRegistry registry = new ChunkServerRegistry(10, ticks);
        ReplicationIndex replication = new ReplicationIndex();
        replication.put(new ChunkHandle(1), 3);
        SafeMode safeMode = new SafeMode("test", registry, new ChunkLocations(), replication,
                Duration.ofSeconds(15), ticks);
        safeMode.begin(Set.of("a", "b"));

        wall.advance(HOUR);
        elapsed.advance(Duration.ofSeconds(1));

        assertThat(safeMode.check()).isTrue();
    }

    @Test
    void aWallClockStepForwardOfAnHourDoesNotMoveTheGraceCutoffAheadOfRealTime() {
        SteadyCutoff cutoff = new SteadyCutoff(wall, ticks);
        long before = cutoff.cutoffMs(Duration.ofMinutes(5));

        wall.advance(HOUR);
        elapsed.advance(Duration.ofSeconds(2));

        assertThat(cutoff.cutoffMs(Duration.ofMinutes(5))).isEqualTo(before + 2_000);
        elapsed.advance(Duration.ofSeconds(3));
        assertThat(cutoff.cutoffMs(Duration.ofMinutes(5))).isEqualTo(before + 5_000);
    }

    @Test
    void aWallClockStepBackIsFollowedAtOnceSoStoredTimesOnlyLookYounger() {
        SteadyCutoff cutoff = new SteadyCutoff(wall, ticks);
        long before = cutoff.nowMs();

        wall.advance(HOUR.negated());
        elapsed.advance(Duration.ofSeconds(1));

        assertThat(cutoff.nowMs()).isEqualTo(before - HOUR.toMillis());
        wall.advance(Duration.ofSeconds(10));
        elapsed.advance(Duration.ofSeconds(10));
        assertThat(cutoff.nowMs()).isEqualTo(before - HOUR.toMillis() + 10_000);
    }
}
