package io.granary.master.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.granary.common.ChunkHandle;
import io.granary.master.store.RedisMetadataStore;
import io.granary.master.testing.SharedRedis;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A chunk report against what the master has already decided about that chunkserver's replicas. */
class ChunkReportIT {
    @RegisterExtension
    static final SharedRedis redis = new SharedRedis("reports");

    private static final ChunkHandle CHUNK = new ChunkHandle(0x7fff_0000_0000_0077L);

    @Test
    void aReportSentBeforeADeletionOrderReachedItsChunkserverDoesNotBringTheReplicaBack() {
        RedisMetadataStore store = redis.store();
        store.initialize(System.currentTimeMillis());
        ChunkLocations locations = new ChunkLocations();
        DeleteQueue deletes = new DeleteQueue();
        GarbageCollector gc = new GarbageCollector("test", store, locations, deletes, Duration.ofHours(1),
                Clock.systemUTC());
        locations.add(CHUNK, List.of("cs1", "cs2", "cs3", "cs4"));
        // a balancer move or a trim takes the replica on cs1 away and orders it deleted
        locations.remove("cs1", List.of(CHUNK));
        deletes.add("cs1", List.of(CHUNK));

        gc.applyReport("cs1", List.of(CHUNK)); // built by cs1 before the order reached it

        // else a trim could count four replicas again and delete one of the three that stay
        assertThat(locations.holders(CHUNK, id -> true)).containsExactly("cs2", "cs3", "cs4");
        assertThat(deletes.take("cs1")).containsExactly(CHUNK);
    }
}
