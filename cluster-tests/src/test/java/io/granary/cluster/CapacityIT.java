package io.granary.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.granary.common.ByteSize;
import io.granary.common.meta.ChunkMeta;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Chunkservers that reach their {@code --capacity}: placement skips them, uploads go on to the others,
 * the cluster view shows them full, and once nobody has room an upload is refused with 507.
 */
class CapacityIT {
    static final long CHUNK = 256 * ByteSize.KIB;
    static final long CAPACITY = 4 * CHUNK;
    static final ObjectMapper json = new ObjectMapper();

    @RegisterExtension
    final MiniGranary cluster = MiniGranary.builder()
            .chunkservers(4)
            .replication(2)
            .chunkSize(CHUNK)
            .capacityBytes(CAPACITY)
            .heartbeat(Duration.ofMillis(200), Duration.ofSeconds(1))
            .build();
    final Http http = new Http(cluster);

    @Test
    void fullChunkServersAreSkippedAndReportedAndUploadsGoOnElsewhere() throws Exception {
        cluster.stopChunkServer(2);
        cluster.stopChunkServer(3);
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.client().cluster().liveCount() == 2);
        assertThat(http.put("full/a.bin", 1, CAPACITY).statusCode()).isEqualTo(201); // fills 1 and 2
        cluster.startChunkServer(2);
        cluster.startChunkServer(3);
        cluster.awaitLiveChunkServers(4);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode servers = json.readTree(http.getText("/api/v1/cluster").body()).get("chunkservers");
            assertThat(servers.get(0).get("usedBytes").asLong()).isEqualTo(CAPACITY);
            assertThat(servers.get(1).get("usedBytes").asLong()).isEqualTo(CAPACITY);
            assertThat(servers.get(0).get("capacityBytes").asLong()).isEqualTo(CAPACITY);
        });
        assertThat(http.put("full/b.bin", 2, CAPACITY).statusCode()).isEqualTo(201);

        for (ChunkMeta chunk : cluster.client().stat("full/b.bin").chunks()) {
            assertThat(DiskReplicas.listed(chunk)).containsExactly("chunkserver-3", "chunkserver-4");
        }
        assertThat(http.get("full/a.bin").sha256()).isEqualTo(TestBytes.sha256(1, CAPACITY));
        assertThat(http.get("full/b.bin").sha256()).isEqualTo(TestBytes.sha256(2, CAPACITY));
        HttpResponse<String> refused = http.put("full/c.bin", 3, CHUNK);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(507);
        assertThat(refused.body()).contains("free");
    }
}
