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

/**
 * A chunk that no metadata knows (written after the backup a namespace was restored from, say) is
 * deleted only once a chunkserver's reports have shown it as such for the grace period.
 */
class OrphanGraceIT {
    @RegisterExtension
    static final SharedRedis redis = new SharedRedis("orphans");

    private static final ChunkHandle UNKNOWN = new ChunkHandle(0x7fff_0000_0000_0042L);

    @Test
    void aChunkUnknownToTheMetadataIsKeptWhileWithinTheGracePeriod() {
        DeleteQueue deletes = new DeleteQueue();
        GarbageCollector gc = collector(deletes, Duration.ofHours(1));

        gc.applyReport("cs1", List.of(UNKNOWN));
        gc.applyReport("cs1", List.of(UNKNOWN));

        assertThat(deletes.take("cs1")).isEmpty();
    }

    @Test
    void aChunkUnknownToTheMetadataPastTheGracePeriodIsDeleted() {
        DeleteQueue deletes = new DeleteQueue();
        GarbageCollector gc = collector(deletes, Duration.ZERO);

        gc.applyReport("cs1", List.of(UNKNOWN));

        assertThat(deletes.take("cs1")).containsExactly(UNKNOWN);
    }

    private static GarbageCollector collector(DeleteQueue deletes, Duration grace) {
        RedisMetadataStore store = redis.store();
        store.initialize(System.currentTimeMillis());
        return new GarbageCollector("test", store, new ChunkLocations(), deletes, grace, Clock.systemUTC());
    }
}
