package io.granary.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.granary.common.ByteSize;
import io.granary.common.meta.ChunkMeta;
import io.granary.common.meta.FileMeta;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A replica damaged on disk (bytes overwritten in the middle of its file): downloads stay
 * byte-exact, the damage is found (by a read or by the scrubber), the chunk is copied again from a
 * good replica, and the damaged file is deleted.
 */
class IntegrityIT {
    static final long CHUNK = 256 * ByteSize.KIB;
    static final long SIZE = 3 * CHUNK + 100;

    @RegisterExtension
    final MiniGranary cluster = scrubbed(4).build();
    final Http http = new Http(cluster);

    /**
     * {@code chunkservers} at replication 3 that find damage fast: each scrubs its replicas every half
     * second, and the master counts a chunkserver dead after 2 s without a heartbeat answer.
     */
    static MiniGranary.Builder scrubbed(int chunkservers) {
        return MiniGranary.builder()
                .chunkservers(chunkservers)
                .replication(3)
                .chunkSize(CHUNK)
                .heartbeat(Duration.ofMillis(200), Duration.ofSeconds(2))
                .scrub(Duration.ofMillis(500), 16 * ByteSize.MIB);
    }

    @Test
    void aDamagedReplicaIsNeverServedAndIsReplacedThenDeleted() throws IOException {
        assertThat(http.put("damaged/a.bin", 7, SIZE).statusCode()).isEqualTo(201);
        ChunkMeta chunk = cluster.client().stat("damaged/a.bin").chunks().get(1);
        String victimId = DiskReplicas.listed(chunk).get(0);
        int victim = Integer.parseInt(victimId.substring("chunkserver-".length())) - 1;
        Path damaged = DiskReplicas.chunkFile(cluster, victim, chunk.handle());

        DiskReplicas.overwriteMiddle(damaged);

        for (int i = 0; i < 6; i++) { // replicas are shuffled per read: some of these hit the damaged one
            assertThat(http.get("damaged/a.bin").sha256()).isEqualTo(TestBytes.sha256(7, SIZE));
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            FileMeta file = cluster.client().stat("damaged/a.bin");
            assertThat(DiskReplicas.listed(file.chunks().get(1))).hasSize(3).doesNotContain(victimId);
            assertThat(damaged).doesNotExist();
            assertThat(cluster.client().cluster().repair().corruptChunks()).isZero();
        });
        assertThat(DiskReplicas.everywhere(cluster).get(chunk.handle().hex())).hasSize(3);
        assertThat(http.get("damaged/a.bin").sha256()).isEqualTo(TestBytes.sha256(7, SIZE));
    }
}
