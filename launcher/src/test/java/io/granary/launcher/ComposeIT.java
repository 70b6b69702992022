package io.granary.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.granary.common.grpc.ClusterSecret;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * The real {@code docker-compose.yml}, where a Docker engine exists (CI): the image is built from the
 * Dockerfile, chunkservers are scaled to four, and a file goes in and out through the gateway byte
 * for byte, with its chunks on distinct chunkservers that each advertised their own address.
 * Skipped, saying why, where there is no Docker engine; {@link ComposeFileTest} checks the files there.
 */
class ComposeIT {
    static final int CHUNKSERVERS = 4;
    static ComposeContainer compose;
    static Http http;
    static final ObjectMapper json = new ObjectMapper();

    /** Per test, so each one is reported as skipped with the reason; compose itself starts once. */
    @BeforeEach
    void needsDocker() {
        Assumptions.assumeTrue(DockerClientFactory.instance().isDockerAvailable(),
                "no Docker engine here: ComposeIT needs one to run docker-compose.yml "
                        + "(ComposeFileTest checks the file against the code instead)");
        if (compose == null) {
            startCompose();
        }
    }

    static final String ADMIN_TOKEN = LocalSettings.randomToken();

    static void startCompose() {
        ComposeContainer started = new ComposeContainer(composeFile())
                .withLocalCompose(true)
                .withBuild(true)
                .withScaledService("chunkserver", CHUNKSERVERS)
                // the file refuses to start without one (no working default); a fresh one per run
                .withEnv("GRANARY_CLUSTER_SECRET", ClusterSecret.generate().value())
                .withEnv("GRANARY_REDIS_PASSWORD", LocalRedisPassword.generate())
                .withEnv("GRANARY_ADMIN_TOKEN", ADMIN_TOKEN)
                .withExposedService("gateway", 8080,
                        Wait.forHttp("/health/ready").forStatusCode(200).withStartupTimeout(Duration.ofMinutes(10)));
        started.start();
        compose = started;
        http = new Http("http://" + compose.getServiceHost("gateway", 8080) + ":"
                + compose.getServicePort("gateway", 8080), ADMIN_TOKEN);
    }

    @AfterAll
    static void stopCompose() {
        if (compose != null) {
            compose.stop();
        }
    }

    @Test
    void fourChunkServersRegisterWithTheirOwnIdsAndAddresses() throws Exception {
        await().atMost(Duration.ofMinutes(1)).until(() -> alive(cluster()) == CHUNKSERVERS);

        Set<String> ids = new HashSet<>();
        Set<String> hosts = new HashSet<>();
        for (JsonNode server : cluster().get("chunkservers")) {
            ids.add(server.get("id").asText());
            String address = server.get("address").asText();
            hosts.add(address.substring(0, address.lastIndexOf(':')));
        }
        assertThat(ids).hasSize(CHUNKSERVERS);
        assertThat(hosts).hasSize(CHUNKSERVERS).noneMatch(host -> host.startsWith("127."));
    }

    @Test
    void aFileRoundTripsThroughTheScaledCluster() throws Exception {
        await().atMost(Duration.ofMinutes(1)).until(() -> alive(cluster()) == CHUNKSERVERS);
        long size = 150L * 1024 * 1024 + 17; // three chunks of the default 64 MiB

        assertThat(http.put("compose/file.bin", 42, size).statusCode()).isEqualTo(201);
        Http.Download got = http.get("compose/file.bin");

        assertThat(got.status()).isEqualTo(200);
        assertThat(got.sha256()).isEqualTo(TestBytes.sha256(42, size));
        JsonNode stat = json.readTree(http.getText("/api/v1/stat/compose/file.bin").body());
        for (JsonNode chunk : stat.get("chunks")) {
            assertThat(chunk.get("replicas")).hasSize(3);
        }
    }

    private static JsonNode cluster() throws Exception {
        return json.readTree(http.getText("/api/v1/cluster").body());
    }

    private static int alive(JsonNode cluster) {
        int alive = 0;
        for (JsonNode server : cluster.get("chunkservers")) {
            alive += server.get("alive").asBoolean() ? 1 : 0;
        }
        return alive;
    }

    private static File composeFile() {
        Path dir = Path.of("").toAbsolutePath();
        while (!Files.exists(dir.resolve("docker-compose.yml"))) {
            dir = dir.getParent();
        }
        return dir.resolve("docker-compose.yml").toFile();
    }
}
