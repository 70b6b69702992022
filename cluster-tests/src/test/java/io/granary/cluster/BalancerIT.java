package io.granary.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.granary.common.ByteSize;
import io.granary.common.AccessTokens;
import io.granary.common.grpc.ClusterSecret;
import io.granary.master.testing.RedisFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The balancer end to end, each node a JVM of its own: three chunkservers hold every chunk of the
 * files (replication 3), a fourth joins empty, and the master started with {@code --balancer} moves
 * replicas to it until every chunkserver's usage lies within the threshold of the average. Throughout,
 * every chunk keeps three replicas on the disks and three good ones in the master's view (invariant
 * "a move never lowers a chunk's good replicas" in docs/architecture.md); afterwards every file reads
 * back byte for byte, and the cluster view, the CLI and the dashboard's data say "balanced".
 */
class BalancerIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START = Duration.ofSeconds(90);
    private static final long CHUNK = ByteSize.MIB;
    private static final long CAPACITY = 64 * ByteSize.MIB;
    private static final int FILES = 12;
    /** Three chunks each, the last one short. */
    private static final long FILE_SIZE = 3 * CHUNK - 4096;
    private static final int THRESHOLD_PERCENT = 5;

    @TempDir
    Path dir;

    private final String secret = ClusterSecret.generate().value();
    private final String adminToken = AccessTokens.newToken();
    private final Processes processes = new Processes();
    private String masterAddress;

    @AfterEach
    void stopCluster() throws Exception {
        processes.close();
    }

    @Test
    void anEmptyChunkserverGetsItsShareWhileEveryChunkKeepsItsThreeReplicas() throws Exception {
        RedisFixture redis = processes.keep(RedisFixture.start(Files.createDirectories(dir.resolve("redis"))));
        int masterPort = Processes.freePort();
        masterAddress = "127.0.0.1:" + masterPort;
        processes.keep(RoleProcess.start("master", "master", environment(), List.of("--port", Integer.toString(masterPort),
                "--redis", redis.uri(), "--heartbeat-interval", "300ms", "--dead-after", "5s",
                "--chunk-size", "1MiB", "--replication", "3", "--balancer",
                "--balancer-threshold", Integer.toString(THRESHOLD_PERCENT), "--balancer-bandwidth", "16MiB")))
                .awaitOutput(Pattern.compile("as the active master|took the master lease"), START);
        for (int i = 0; i < 3; i++) {
            chunkserver(i);
        }
        int gatewayPort = Processes.freePort();
        processes.keep(RoleProcess.start("gateway", "gateway", environment(), List.of("--master", masterAddress,
                "--port", Integer.toString(gatewayPort), "--s3-port", "-1")))
                .awaitOutput(Pattern.compile("listening on port"), START);
        String gatewayUrl = "http://127.0.0.1:" + gatewayPort;
        Http http = new Http(gatewayUrl, adminToken, Duration.ofSeconds(30));
        await("the gateway ready").atMost(START).pollInterval(Duration.ofMillis(200))
                .until(() -> http.getText("/health/ready").statusCode() == 200);
        for (int i = 0; i < FILES; i++) {
            assertThat(http.put("data/" + i, i, FILE_SIZE).statusCode()).isEqualTo(201);
        }
        await("usage reported").atMost(START).untilAsserted(() -> assertThat(cluster(http).path("chunkservers"))
                .allSatisfy(cs -> assertThat(cs.path("usedBytes").asLong()).isGreaterThanOrEqualTo(FILES * FILE_SIZE)));
        await("three equal chunkservers balanced").atMost(START).untilAsserted(() ->
                assertThat(cluster(http).path("balancer").path("state").asText()).isEqualTo("balanced"));

        chunkserver(3);

        List<String> violations = new CopyOnWriteArrayList<>();
        await("the new chunkserver's share").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    JsonNode cluster = cluster(http);
                    if (cluster.path("underReplicatedChunks").asLong() + cluster.path("missingChunks").asLong() > 0) {
                        violations.add("master view: " + cluster);
                    }
                    replicasOnDisk().forEach((handle, copies) -> {
                        if (copies < 3) {
                            violations.add("chunk " + handle + " on " + copies + " disk(s)");
                        }
                    });
                    return cluster.path("chunkservers").size() == 4
                            && cluster.path("balancer").path("chunksMoved").asLong() > 0
                            && cluster.path("balancer").path("state").asText().equals("balanced");
                });
        assertThat(violations).as("moments a chunk had fewer than three replicas").isEmpty();

        // the moved replicas' deletions reach their chunkservers, and usage reaches the master, a heartbeat later
        await("usage within the threshold").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode cluster = cluster(http);
            double average = cluster.path("balancer").path("averageUsagePercent").asDouble();
            assertThat(cluster.path("chunkservers")).allSatisfy(cs -> assertThat(100.0 * cs.path("usedBytes").asLong()
                    / cs.path("capacityBytes").asLong()).as("usage of %s", cs.path("id").asText())
                    .isBetween(average - THRESHOLD_PERCENT, average + THRESHOLD_PERCENT));
            assertThat(replicasOnDisk()).hasSize(FILES * 3)
                    .allSatisfy((handle, copies) -> assertThat(copies).as(handle).isEqualTo(3));
        });
        assertThat(violations).as("moments a chunk had fewer than three replicas").isEmpty();
        assertThat(chunksOn(3)).as("chunks on the new chunkserver's disk").isNotEmpty();
        for (int i = 0; i < FILES; i++) {
            Http.Download download = http.get("data/" + i);
            assertThat(download.status()).isEqualTo(200);
            assertThat(download.sha256()).as("data/" + i).isEqualTo(TestBytes.sha256(i, FILE_SIZE));
        }
        assertThat(CliIT.granaryAs(gatewayUrl, adminToken, "cluster").out())
                .contains("balancer balanced: average usage");
    }

    private JsonNode cluster(Http http) throws IOException {
        return JSON.readTree(http.getText("/api/v1/cluster").body());
    }

    private void chunkserver(int index) throws IOException {
        processes.keep(RoleProcess.start("cs" + index, "chunkserver", environment(), List.of("--master", masterAddress,
                "--port", "0", "--id", "cs" + index, "--capacity", Long.toString(CAPACITY),
                "--data", dir.resolve("cs" + index).toString())));
    }

    /**
     * Handle to the number of chunkserver disks holding a complete replica of it; walked again when a
     * file vanished under the walk (a deletion). The disks are walked in order and the new chunkserver's
     * last, so a replica that left a source before its disk was walked is seen on the new one.
     */
    private Map<String, Integer> replicasOnDisk() {
        while (true) {
            try {
                Map<String, Integer> out = new HashMap<>();
                for (int i = 0; i < 4; i++) {
                    chunksOn(i).forEach(handle -> out.merge(handle, 1, Integer::sum));
                }
                return out;
            } catch (UncheckedIOException e) {
                // walked into a deletion: count again
            }
        }
    }

    private Set<String> chunksOn(int index) {
        return DiskReplicas.handlesIn(dir.resolve("cs" + index));
    }

    private Map<String, String> environment() {
        return Map.of("GRANARY_CLUSTER_SECRET", secret, "GRANARY_ADMIN_TOKEN", adminToken);
    }


}
