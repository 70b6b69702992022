package io.granary.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.granary.client.ClusterView;
import io.granary.common.ByteSize;
import io.granary.common.meta.ChunkMeta;
import io.granary.common.meta.FileMeta;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Decommissioning end to end: four chunkservers at replication 3, the one holding the most replicas
 * drained through the admin route. Its chunks are copied to the other three, it becomes
 * decommissioned, and once it is stopped every chunk has three live replicas on the others' disks and
 * every file downloads byte for byte; cancelling returns a chunkserver to service.
 */
class DecommissionIT {
    static final long CHUNK = 256 * ByteSize.KIB;
    static final Duration BOUND = Duration.ofSeconds(30);
    static final long[] SIZES = {5 * CHUNK + 3, 2 * CHUNK, 1, 3 * CHUNK + CHUNK / 2};
    static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final MiniGranary cluster = MiniGranary.builder()
            .chunkservers(4)
            .replication(3)
            .chunkSize(CHUNK)
            .heartbeat(Duration.ofMillis(200), Duration.ofSeconds(1))
            .build();
    final Http http = new Http(cluster);

    @BeforeEach
    void writeFiles() {
        for (int i = 0; i < SIZES.length; i++) {
            assertThat(http.put(path(i), i, SIZES[i]).statusCode()).isEqualTo(201);
        }
    }

    @Test
    void aDecommissionedChunkServerCanBeStoppedWithEveryFileStillFullyReplicatedOnTheOthers() {
        int leaving = busiestChunkServer();
        String id = DiskReplicas.id(leaving);
        Map<String, List<Integer>> before = DiskReplicas.everywhere(cluster);
        assertThat(DiskReplicas.handlesOn(cluster, leaving)).as("the chunkserver to drain holds data").isNotEmpty();

        assertThat(http.call("POST", route(id), null).statusCode()).isEqualTo(202);

        await().atMost(BOUND).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(chunkServer(id).get("state").asText()).isEqualTo("decommissioned"));
        assertThat(DiskReplicas.handlesOn(cluster, leaving)).as("nothing is deleted from a draining chunkserver")
                .containsAll(before.entrySet().stream().filter(e -> e.getValue().contains(leaving))
                        .map(Map.Entry::getKey).toList());
        assertThat(CliIT.granaryAs(cluster.gatewayUrl(), cluster.adminToken(), "cluster").out())
                .containsPattern(id + "\\s.*decommissioned");

        cluster.stopChunkServer(leaving);

        await().atMost(BOUND).untilAsserted(() -> assertThat(chunkServer(id).get("alive").asBoolean()).isFalse());
        ClusterView view = cluster.client().cluster();
        assertThat(view.underReplicatedChunks()).isZero();
        assertThat(view.missingChunks()).isZero();
        Map<String, List<Integer>> onDisk = DiskReplicas.everywhere(cluster);
        for (FileMeta file : files()) {
            for (ChunkMeta chunk : file.chunks()) {
                assertThat(DiskReplicas.listed(chunk)).as("live replicas of %s", chunk.handle())
                        .hasSize(3).doesNotContain(id);
                assertThat(onDisk.get(chunk.handle().hex())).as("disks of the others holding %s", chunk.handle())
                        .filteredOn(index -> index != leaving).hasSize(3);
            }
        }
        assertEveryFileIsByteExact();
    }

    @Test
    void cancellingReturnsAChunkServerToServiceAndItsSurplusReplicasAreTrimmed() {
        String id = DiskReplicas.id(busiestChunkServer());

        CliIT.Run drain = CliIT.granaryAs(cluster.gatewayUrl(), cluster.adminToken(), "admin", "decommission", id);
        assertThat(drain.exitCode()).as(drain.stderr()).isZero();
        assertThat(drain.out()).contains(id + ": draining");
        assertThat(http.put("decommission/everywhere.bin", 9, CHUNK, "?replication=4").statusCode())
                .as("four copies need the leaving chunkserver, which takes no new chunk").isEqualTo(503);

        CliIT.Run cancel = CliIT.granaryAs(cluster.gatewayUrl(), cluster.adminToken(), "admin", "decommission", id,
                "--cancel");

        assertThat(cancel.exitCode()).as(cancel.stderr()).isZero();
        assertThat(cancel.out()).contains(id + ": normal");
        assertThat(chunkServer(id).get("state").asText()).isEqualTo("normal");
        assertThat(http.put("decommission/everywhere.bin", 9, CHUNK, "?replication=4").statusCode()).isEqualTo(201);
        await().atMost(BOUND).untilAsserted(() -> {
            Map<String, List<Integer>> onDisk = DiskReplicas.everywhere(cluster);
            for (FileMeta file : files()) {
                for (ChunkMeta chunk : file.chunks()) {
                    assertThat(onDisk.get(chunk.handle().hex())).as("disks holding %s", chunk.handle()).hasSize(3);
                }
            }
        });
        assertEveryFileIsByteExact();
    }

    @Test
    void onlyAnAdminMayDecommissionAndAnUnknownChunkServerIs404() {
        assertThat(http.as(null).call("POST", route(DiskReplicas.id(0)), null).statusCode()).isEqualTo(401);
        assertThat(http.call("POST", route("chunkserver-99"), null).statusCode()).isEqualTo(404);
        assertThat(http.call("DELETE", route("chunkserver-99"), null).statusCode()).isEqualTo(404);
        assertThat(chunkServer(DiskReplicas.id(0)).get("state").asText()).isEqualTo("normal");
    }

    static String route(String id) {
        return "/api/v1/admin/chunkservers/" + id + "/decommission";
    }

    static JsonNode chunkServer(Http http, String id) {
        try {
            for (JsonNode cs : JSON.readTree(http.getText("/api/v1/cluster").body()).get("chunkservers")) {
                if (cs.get("id").asText().equals(id)) {
                    return cs;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new AssertionError("no chunkserver " + id + " in the cluster view");
    }

    private JsonNode chunkServer(String id) {
        return chunkServer(http, id);
    }

    private int busiestChunkServer() {
        Map<String, List<Integer>> onDisk = DiskReplicas.everywhere(cluster);
        int[] counts = new int[4];
        onDisk.values().forEach(holders -> holders.forEach(i -> counts[i]++));
        return IntStream.range(0, 4).reduce((a, b) -> counts[b] > counts[a] ? b : a).orElseThrow();
    }

    private List<FileMeta> files() {
        return IntStream.range(0, SIZES.length).mapToObj(i -> cluster.client().stat(path(i))).toList();
    }

    private void assertEveryFileIsByteExact() {
        for (int i = 0; i < SIZES.length; i++) {
            assertThat(http.get(path(i)).sha256()).as(path(i)).isEqualTo(TestBytes.sha256(i, SIZES[i]));
        }
    }

    private static String path(int i) {
        return "decommission/" + i + ".bin";
    }
}
