package io.granary.master.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.granary.common.ChunkHandle;
import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.granary.master.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SafeModeTest {
    static final Instant START = Instant.ofEpochMilli(1_000_000);

    ChunkServerRegistry registry = new ChunkServerRegistry(10);
    ChunkLocations locations = new ChunkLocations();
    ReplicationIndex replication = new ReplicationIndex();
    MutableClock clock = new MutableClock(START);
    SafeMode safeMode = new SafeMode("test", registry, locations, replication, Duration.ofSeconds(15),
            clock::millis);

    @Test
    void holdsBackUntilEveryChunkServerRegisteredBeforeTheRestartHasReported() {
        replication.put(new ChunkHandle(1), 3);
        replication.put(new ChunkHandle(2), 3);
        safeMode.begin(Set.of("a", "b"));

        assertThatThrownBy(safeMode::requireOut).isInstanceOfSatisfying(GranaryException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE);
            assertThat(e.getMessage()).isEqualTo("master in safe mode: 0 of 2 chunkservers reported");
        });
        registry.register("a", "a:1", 100, 0, 1, true, 0);
        locations.add(new ChunkHandle(1), List.of("a"));
        safeMode.reported("a");
        assertThat(safeMode.active()).isTrue();
        assertThat(safeMode.detail()).isEqualTo("1 of 2 chunkservers reported");

        safeMode.reported("b");
        assertThat(safeMode.active()).isFalse();
        safeMode.requireOut();
    }

    @Test
    void endsEarlyWhenNearlyEveryCommittedChunkHasALiveReplica() {
        replication.put(new ChunkHandle(1), 3);
        safeMode.begin(Set.of("a", "b", "c"));
        registry.register("a", "a:1", 100, 0, 1, true, 0);
        locations.add(new ChunkHandle(1), List.of("a"));

        safeMode.reported("a");

        assertThat(safeMode.active()).isFalse();
    }

    @Test
    void endsOnceDeadAfterHasPassedWhateverIsMissing() {
        replication.put(new ChunkHandle(1), 3);
        safeMode.begin(Set.of("a", "b"));
        assertThat(safeMode.check()).isTrue();

        clock.advance(Duration.ofSeconds(15));

        assertThat(safeMode.check()).isFalse();
    }

    @Test
    void aFreshClusterNeverEntersSafeMode() {
        safeMode.begin(Set.of());
        assertThat(safeMode.active()).isFalse();
    }
}
