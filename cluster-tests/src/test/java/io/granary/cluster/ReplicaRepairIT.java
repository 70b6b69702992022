package io.granary.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.granary.common.meta.ChunkMeta;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Repair when every live chunkserver already holds the chunk: three chunkservers at replication 3,
 * so the only place a good copy can go is the chunkserver whose replica is bad or lost. The copy
 * replaces it there, fsck becomes healthy again and downloads stay byte-exact.
 */
class ReplicaRepairIT {
    static final long CHUNK = IntegrityIT.CHUNK;
    static final long SIZE = 2 * CHUNK + 100;
    static final ObjectMapper json = new ObjectMapper();

    @RegisterExtension
    final MiniGranary cluster = IntegrityIT.scrubbed(3).build();
    final Http http = new Http(cluster);

    @Test
    void aCorruptReplicaIsReplacedInPlaceWhenEveryChunkServerHoldsTheChunk() throws Exception {
        assertThat(http.put("repair/corrupt.bin", 5, SIZE).statusCode()).isEqualTo(201);
        ChunkMeta chunk = cluster.client().stat("repair/corrupt.bin").chunks().get(1);
        Path damaged = DiskReplicas.chunkFile(cluster, 0, chunk.handle());
        byte[] good = Files.readAllBytes(damaged);

        DiskReplicas.overwriteMiddle(damaged);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(Files.readAllBytes(damaged)).isEqualTo(good);
            assertThat(fsck().get("healthy").asBoolean()).isTrue();
        });
        assertThat(DiskReplicas.everywhere(cluster).get(chunk.handle().hex())).containsExactlyInAnyOrder(0, 1, 2);
        assertThat(http.get("repair/corrupt.bin").sha256()).isEqualTo(TestBytes.sha256(5, SIZE));
    }

    @Test
    void aReplicaFileDeletedFromDiskIsNoticedReportedLostAndCopiedBack() throws Exception {
        assertThat(http.put("repair/lost.bin", 6, SIZE).statusCode()).isEqualTo(201);
        ChunkMeta chunk = cluster.client().stat("repair/lost.bin").chunks().get(0);
        Path lost = DiskReplicas.chunkFile(cluster, 1, chunk.handle());
        byte[] good = Files.readAllBytes(lost);

        Files.delete(lost);

        // The scrubber finds it gone within its interval and the repair follows within a round (~200 ms
        // here), too quickly to catch fsck unhealthy in between: the file coming back is the proof.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(lost).exists();
            assertThat(Files.readAllBytes(lost)).isEqualTo(good);
            assertThat(fsck().get("healthy").asBoolean()).isTrue();
        });
        assertThat(DiskReplicas.listed(cluster.client().stat("repair/lost.bin").chunks().get(0)))
                .containsExactly(DiskReplicas.id(0), DiskReplicas.id(1), DiskReplicas.id(2));
        assertThat(http.get("repair/lost.bin").sha256()).isEqualTo(TestBytes.sha256(6, SIZE));
    }

    private JsonNode fsck() throws Exception {
        return json.readTree(http.getText("/api/v1/admin/fsck").body());
    }
}
