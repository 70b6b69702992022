package io.granary.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.granary.common.ByteSize;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A chunkserver of a three-node cluster at replication 3 can never finish draining: no other
 * chunkserver can take its chunks. It stays draining, the cluster view says how many chunks cannot
 * move and why, and nothing it holds is lost or deleted.
 */
class DecommissionTooFewChunkServersIT {
    static final long CHUNK = 256 * ByteSize.KIB;

    @RegisterExtension
    final MiniGranary cluster = MiniGranary.builder()
            .chunkservers(3)
            .replication(3)
            .chunkSize(CHUNK)
            .heartbeat(Duration.ofMillis(200), Duration.ofSeconds(1))
            .build();
    final Http http = new Http(cluster);

    @Test
    void aChunkServerWhoseChunksNobodyCanTakeStaysDrainingAndTheClusterViewSaysWhy() {
        assertThat(http.put("stuck/a.bin", 1, 2 * CHUNK + 5).statusCode()).isEqualTo(201);
        String id = DiskReplicas.id(0);

        assertThat(http.call("POST", DecommissionIT.route(id), null).statusCode()).isEqualTo(202);

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            JsonNode cs = DecommissionIT.chunkServer(http, id);
            assertThat(cs.get("state").asText()).isEqualTo("draining");
            assertThat(cs.get("chunksToMove").asLong()).isEqualTo(3);
            assertThat(cs.get("chunksUnmovable").asLong()).isEqualTo(3);
            assertThat(cs.get("decommissionDetail").asText()).contains("3 chunk(s) cannot be copied elsewhere");
        });
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(DecommissionIT.chunkServer(http, id).get("state").asText()).isEqualTo("draining"));
        assertThat(CliIT.granaryAs(cluster.gatewayUrl(), cluster.adminToken(), "cluster").out())
                .contains(id + " draining: 3 chunk(s) still to copy elsewhere, 3 that no other chunkserver can take");
        assertThat(DiskReplicas.handlesOn(cluster, 0)).hasSize(3);
        assertThat(http.get("stuck/a.bin").sha256()).isEqualTo(TestBytes.sha256(1, 2 * CHUNK + 5));
    }
}
