package io.granary.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.granary.launcher.local.LocalAdminToken;
import io.granary.launcher.local.LocalCluster;
import io.granary.launcher.local.LocalRedisPassword;
import io.granary.launcher.local.LocalSettings;
import io.granary.master.testing.StrangerRedis;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code granary local} as a newcomer runs it, on its own embedded Redis, on one machine shared with others. */
class LocalModeIT {
    /** 127.0.0.1 as /proc/net/tcp writes it (also the tail of its IPv4-mapped IPv6 form in tcp6). */
    private static final String LOOPBACK_HEX = "0100007F";

    @TempDir
    Path data;

    @Test
    void theEmbeddedRedisDemandsThePasswordKeptOwnerOnlyInTheDataDirectory() throws IOException {
        LocalSettings settings = LocalSettings.defaults(data, 0);
        int redisPort;
        try (LocalCluster cluster = LocalCluster.start(settings)) {
            Path passwordFile = data.resolve(LocalRedisPassword.FILE);
            String password = Files.readString(passwordFile).trim();
            assertThat(password).hasSize(64);
            assertThat(mode(passwordFile)).isEqualTo("rw-------");
            assertThat(mode(data.resolve("redis"))).isEqualTo("rwx------");
            assertThat(mode(data)).as("the chunk replicas below it too").isEqualTo("rwx------");
            assertThat(new Http(cluster.gatewayUrl(), cluster.adminToken()).put("a/file", 1, 1000).statusCode()).isEqualTo(201);
            redisPort = cluster.redisPort();

            assertThat(StrangerRedis.firstLineOfAnswer(redisPort, "KEYS *")).startsWith("-NOAUTH");
        }

        try (LocalCluster again = LocalCluster.start(settings)) {
            assertThat(new Http(again.gatewayUrl(), again.adminToken()).get("a/file").status()).as("the same password opens the same data").isEqualTo(200);
        }
    }

    @Test
    void everyGrpcAndMetricsPortListensOnLoopbackOnlyAndTheGatewayOnEveryInterface() throws IOException {
        Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "needs Linux's /proc/net/tcp");
        try (LocalCluster cluster = LocalCluster.start(LocalSettings.defaults(data, 0))) {
            List<Integer> internal = new ArrayList<>(List.of(cluster.master().port(), cluster.master().metricsPort()));
            for (int i = 0; i < cluster.settings().chunkservers(); i++) {
                internal.add(cluster.chunkServer(i).server().port());
                internal.add(cluster.chunkServer(i).metricsPort());
            }
            Map<Integer, String> listening = listeningAddresses();

            for (int port : internal) {
                assertThat(listening.get(port)).as("port %d", port).endsWith(LOOPBACK_HEX);
            }
            String gateway = listening.get(URI.create(cluster.gatewayUrl()).getPort());
            assertThat(gateway).as("the gateway's HTTP port").matches("0+");
        }
    }

    @Test
    void aFirstStartThatFailsOnATakenGatewayPortKeepsTheAdminTokenForTheNextStart() throws IOException {
        LocalSettings settings;
        try (ServerSocket taken = new ServerSocket(0)) {
            settings = LocalSettings.builder(data, taken.getLocalPort()).adminToken("").build();
            assertThatThrownBy(() -> LocalCluster.start(settings))
                    .as("the first start fails, saying why")
                    .hasMessageContaining(Integer.toString(taken.getLocalPort()));
        }
        assertThat(mode(data.resolve(LocalAdminToken.FILE))).isEqualTo("rw-------");

        String token;
        try (LocalCluster second = LocalCluster.start(settings.toBuilder().gatewayPort(0).build())) {
            token = second.generatedAdminToken().orElseThrow(() -> new AssertionError("the token is lost"));
            assertThat(new Http(second.gatewayUrl(), token).put("first/file", 1, 10).statusCode())
                    .as("the token works").isEqualTo(201);
            second.adminTokenShown();
        }
        assertThat(data.resolve(LocalAdminToken.FILE)).as("forgotten once shown").doesNotExist();
        try (LocalCluster third = LocalCluster.start(settings.toBuilder().gatewayPort(0).build())) {
            assertThat(third.generatedAdminToken()).isEmpty();
            assertThat(new Http(third.gatewayUrl(), token).get("first/file").status()).isEqualTo(200);
        }
    }

    /** Port to local address (hex, as /proc/net/tcp and tcp6 write it) of every listening TCP socket. */
    private static Map<Integer, String> listeningAddresses() throws IOException {
        Map<Integer, String> out = new HashMap<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path file = Path.of(table);
            if (!Files.isReadable(file)) {
                continue;
            }
            // read once: the table changes between two reads on a machine that opens sockets meanwhile
            List<String> lines = Files.readAllLines(file);
            for (String line : lines.subList(1, lines.size())) {
                String[] fields = line.trim().split("\\s+");
                if (fields[3].equals("0A")) { // LISTEN
                    String[] local = fields[1].split(":");
                    out.merge(Integer.parseInt(local[1], 16), local[0], (a, b) -> a.matches("0+") ? a : b);
                }
            }
        }
        return out;
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
