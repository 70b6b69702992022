package io.granary.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.granary.common.AccessTokens;
import io.granary.common.grpc.ClusterSecret;
import io.granary.launcher.local.LocalRedisPassword;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The real {@code docker-compose.yml} on a real Docker engine (CI provisions one with
 * {@code .ci/docker-engine.sh}): the image is built from the Dockerfile with the jar this build made,
 * every service starts with five chunkservers and becomes healthy, a file goes in and out through the
 * gateway byte for byte with its chunks on chunkservers that each advertised their own address, a
 * killed chunkserver container is read around and repaired around, and {@code down} then {@code up},
 * like scaling down then up, keeps every file and every chunkserver's id. Skipped, saying why, where
 * no engine answers; {@link ComposeFileTest} checks the files there.
 */
class ComposeIT {
    static final int CHUNKSERVERS = 5;
    /** Scaled down to this, then back up to {@link #CHUNKSERVERS}: still enough for replication 3. */
    static final int SCALED_DOWN = 3;
    static final Duration UP_DEADLINE = Duration.ofMinutes(5);
    static final String ADMIN_TOKEN = AccessTokens.newToken();
    static final ObjectMapper json = new ObjectMapper();
    static ComposeProject compose;
    static Http http;
    static int s3Port;

    /** Per test, so each one is reported as skipped with the reason; compose itself starts once. */
    @BeforeEach
    void needsDocker() throws Exception {
        Optional<String> unavailable = ComposeProject.unavailable();
        unavailable.ifPresent(reason -> System.out.println("ComposeIT skipped: " + reason));
        Assumptions.assumeTrue(unavailable.isEmpty(), () -> "no Docker engine with compose v2 here ("
                + unavailable.orElse("") + "): ComposeIT needs one to run docker-compose.yml "
                + "(ComposeFileTest checks the file against the code instead)");
        if (compose == null) {
            startCompose();
        }
    }

    static void startCompose() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0); ServerSocket freeS3 = new ServerSocket(0)) {
            port = free.getLocalPort();
            s3Port = freeS3.getLocalPort();
        }
        compose = new ComposeProject(composeFile(), "granary-it-" + ProcessHandle.current().pid(), Map.of(
                // the file refuses to start without them (no working default); fresh ones per run
                "GRANARY_CLUSTER_SECRET", ClusterSecret.generate().value(),
                "GRANARY_REDIS_PASSWORD", LocalRedisPassword.generate(),
                "GRANARY_ADMIN_TOKEN", ADMIN_TOKEN,
                "GRANARY_HTTP_PORT", String.valueOf(port),
                "GRANARY_S3_PORT", String.valueOf(s3Port),
                // the jar this build made (launcher/target/granary.jar), not a Maven build in a container
                "GRANARY_JAR_FROM", "context"));
        compose.run(UP_DEADLINE, "up", "-d", "--build", "--scale", "chunkserver=" + CHUNKSERVERS,
                "--wait", "--wait-timeout", String.valueOf(UP_DEADLINE.toSeconds()));
        http = new Http("http://127.0.0.1:" + port, ADMIN_TOKEN);
        awaitAllChunkServersAlive();
    }

    @AfterAll
    static void stopCompose() throws Exception {
        if (compose != null) {
            compose.close();
        }
    }

    @Test
    void fiveChunkServersRegisterWithTheirOwnIdsAndAddresses() throws Exception {
        Set<String> hosts = new HashSet<>();
        for (JsonNode server : cluster().get("chunkservers")) {
            String address = server.get("address").asText();
            hosts.add(address.substring(0, address.lastIndexOf(':')));
        }
        assertThat(ids()).hasSize(CHUNKSERVERS);
        assertThat(hosts).hasSize(CHUNKSERVERS).noneMatch(host -> host.startsWith("127."));
    }

    @Test
    void aFileRoundTripsThroughTheScaledCluster() throws Exception {
        long size = 200L * 1024 * 1024 + 17; // four chunks of the default 64 MiB

        assertThat(http.put("compose/file.bin", 42, size).statusCode()).isEqualTo(201);
        Http.Download got = http.get("compose/file.bin");

        assertThat(got.status()).isEqualTo(200);
        assertThat(got.sha256()).isEqualTo(TestBytes.sha256(42, size));
        JsonNode stat = json.readTree(http.getText("/api/v1/stat/compose/file.bin").body());
        for (JsonNode chunk : stat.get("chunks")) {
            assertThat(chunk.get("replicas")).hasSize(3);
        }
    }

    @Test
    void theGatewayServesS3WithAKeyMadeThroughTheApi() throws Exception {
        JsonNode key = json.readTree(http.call("POST", "/api/v1/s3-keys", "{}").body());
        try (S3Client s3 = S3Client.builder().endpointOverride(URI.create("http://127.0.0.1:" + s3Port))
                .region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        key.get("accessKeyId").asText(), key.get("secretKey").asText())))
                .build()) {
            s3.createBucket(b -> b.bucket("compose-s3"));
            s3.putObject(b -> b.bucket("compose-s3").key("hello.txt"), RequestBody.fromString("through compose"));
            assertThat(s3.getObjectAsBytes(b -> b.bucket("compose-s3").key("hello.txt")).asUtf8String())
                    .isEqualTo("through compose");
        }
        assertThat(http.get("compose-s3/hello.txt").status()).as("one namespace").isEqualTo(200);
    }

    @Test
    void downThenUpKeepsEveryFileAndEveryChunkServersId() throws Exception {
        long size = 70L * 1024 * 1024 + 5; // two chunks
        assertThat(http.put("compose/kept.bin", 7, size).statusCode()).isEqualTo(201);
        Set<String> before = ids();

        compose.run(Duration.ofMinutes(2), "down", "--timeout", "10");
        compose.run(UP_DEADLINE, "up", "-d", "--scale", "chunkserver=" + CHUNKSERVERS,
                "--wait", "--wait-timeout", String.valueOf(UP_DEADLINE.toSeconds()));
        awaitAllChunkServersAlive();

        assertThat(ids()).isEqualTo(before);
        assertThat(cluster().get("missingChunks").asInt()).isZero();
        Http.Download got = http.get("compose/kept.bin");
        assertThat(got.status()).isEqualTo(200);
        assertThat(got.sha256()).isEqualTo(TestBytes.sha256(7, size));
    }

    @Test
    void scalingDownThenUpBringsTheSameChunkServersBackWithTheirChunks() throws Exception {
        Set<String> before = ids();

        compose.run(UP_DEADLINE, "up", "-d", "--scale", "chunkserver=" + SCALED_DOWN,
                "--wait", "--wait-timeout", String.valueOf(UP_DEADLINE.toSeconds()));
        compose.run(UP_DEADLINE, "up", "-d", "--scale", "chunkserver=" + CHUNKSERVERS,
                "--wait", "--wait-timeout", String.valueOf(UP_DEADLINE.toSeconds()));
        awaitAllChunkServersAlive();

        assertThat(ids()).isEqualTo(before);
        assertThat(cluster().get("missingChunks").asInt()).isZero();
    }

    @Test
    void aKilledChunkServerContainerIsReadAroundAndItsReplicasAreRepaired() throws Exception {
        long size = 70L * 1024 * 1024 + 3; // two chunks
        assertThat(http.put("compose/killed.bin", 9, size).statusCode()).isEqualTo(201);

        compose.kill("chunkserver", 1);
        Http.Download got = http.get("compose/killed.bin");
        assertThat(got.status()).isEqualTo(200);
        assertThat(got.sha256()).isEqualTo(TestBytes.sha256(9, size));
        // declared dead after GRANARY_DEAD_AFTER (15 s in the file), then every chunk copied back to 3 replicas
        await().atMost(Duration.ofMinutes(2)).ignoreExceptions().until(() -> {
            JsonNode cluster = cluster();
            return alive(cluster) == CHUNKSERVERS - 1 && cluster.get("underReplicatedChunks").asInt() == 0
                    && cluster.get("missingChunks").asInt() == 0;
        });

        compose.run(UP_DEADLINE, "up", "-d", "--scale", "chunkserver=" + CHUNKSERVERS,
                "--wait", "--wait-timeout", String.valueOf(UP_DEADLINE.toSeconds()));
        awaitAllChunkServersAlive();
    }

    private static void awaitAllChunkServersAlive() {
        await().atMost(Duration.ofMinutes(1)).ignoreExceptions().until(() -> alive(cluster()) == CHUNKSERVERS);
    }

    private static Set<String> ids() throws Exception {
        Set<String> ids = new HashSet<>();
        for (JsonNode server : cluster().get("chunkservers")) {
            ids.add(server.get("id").asText());
        }
        return ids;
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

    private static Path composeFile() {
        Path dir = Path.of("").toAbsolutePath();
        while (!Files.exists(dir.resolve("docker-compose.yml"))) {
            dir = dir.getParent();
        }
        return dir.resolve("docker-compose.yml");
    }
}
