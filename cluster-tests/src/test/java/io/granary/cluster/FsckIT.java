package io.granary.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.granary.common.ByteSize;
import io.granary.common.meta.ChunkMeta;
import io.granary.common.meta.FileMeta;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * fsck and the cluster counts when repair cannot help: three chunkservers at replication 3, one
 * stopped, so no chunkserver is left to copy to. Every chunk is then under-replicated, waits in the
 * repair queue, and fsck names it with its file and position.
 */
class FsckIT {
    static final long CHUNK = 256 * ByteSize.KIB;
    static final ObjectMapper json = new ObjectMapper();

    @RegisterExtension
    final MiniGranary cluster = MiniGranary.builder()
            .chunkSize(CHUNK)
            .heartbeat(Duration.ofMillis(200), Duration.ofSeconds(1))
            .build();
    final Http http = new Http(cluster);

    @Test
    void aHealthyClusterHasAnEmptyFsck() throws Exception {
        assertThat(http.put("fsck/fine.bin", 1, CHUNK + 1).statusCode()).isEqualTo(201);

        JsonNode fsck = json.readTree(http.getText("/api/v1/admin/fsck").body());

        assertThat(fsck.get("healthy").asBoolean()).isTrue();
        assertThat(fsck.get("chunksChecked").asLong()).isEqualTo(2);
        assertThat(fsck.get("problems")).isEmpty();
    }

    @Test
    void fsckListsUnderReplicatedChunksWithTheirFilesWhileNoChunkServerCanTakeACopy() throws Exception {
        assertThat(http.put("fsck/a.bin", 2, 3 * CHUNK).statusCode()).isEqualTo(201);
        FileMeta file = cluster.client().stat("fsck/a.bin");

        cluster.killChunkServer(0);

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            JsonNode cluster = json.readTree(http.getText("/api/v1/cluster").body());
            assertThat(cluster.get("underReplicatedChunks").asLong()).isEqualTo(3);
            assertThat(cluster.get("repairQueueLength").asLong()).isEqualTo(3);
        });
        JsonNode fsck = json.readTree(http.getText("/api/v1/admin/fsck").body());
        assertThat(fsck.get("healthy").asBoolean()).isFalse();
        List<String> listed = new ArrayList<>();
        for (JsonNode problem : fsck.get("problems")) {
            assertThat(problem.get("state").asText()).isEqualTo("under-replicated");
            assertThat(problem.get("path").asText()).isEqualTo("/fsck/a.bin");
            assertThat(problem.get("goodReplicas").asInt()).isEqualTo(2);
            assertThat(problem.get("wantedReplicas").asInt()).isEqualTo(3);
            ChunkMeta chunk = file.chunks().get(problem.get("index").asInt());
            listed.add(problem.get("handle").asText());
            assertThat(problem.get("handle").asText()).isEqualTo(chunk.handle().hex());
        }
        assertThat(listed).hasSize(3).doesNotHaveDuplicates();
        assertThat(http.get("fsck/a.bin").sha256()).isEqualTo(TestBytes.sha256(2, 3 * CHUNK));
    }
}
