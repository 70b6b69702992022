package io.granary.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.granary.common.ByteSize;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway and the chunkservers come back to a master that was down for half a minute. The gateway
 * is asked all through the outage, as a load balancer's probes would ask it, which is what makes gRPC's
 * own reconnect backoff grow to many seconds.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class MasterOutageIT {
    static final long CHUNK = 256 * ByteSize.KIB;
    /** Long enough for gRPC's unbounded backoff to wait well over {@link #BACK_WITHIN} between attempts. */
    static final Duration OUTAGE = Duration.ofSeconds(30);
    /** How soon after the master answers again the gateway must serve a stat. */
    static final Duration BACK_WITHIN = Duration.ofSeconds(8);
    /** An upload also needs the chunkservers registered again, and the master out of safe mode. */
    static final Duration UPLOADS_WITHIN = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    LocalCluster cluster;
    Http http;

    @BeforeEach
    void startCluster() {
        cluster = LocalCluster.start(LocalSettings.builder(dir, 0)
                .masterPort(freePort())
                .chunkSizeBytes(CHUNK)
                .heartbeatInterval(Duration.ofMillis(200)).deadAfter(Duration.ofSeconds(2))
                .build());
        http = new Http(cluster.gatewayUrl(), cluster.adminToken(), Duration.ofSeconds(10));
    }

    @AfterEach
    void stopCluster() {
        cluster.close();
    }

    @Test
    void theGatewayServesAgainWithinSecondsOfTheMastersReturn() {
        long size = 3 * CHUNK + 5;
        assertThat(http.put("outage/before.bin", 3, size).statusCode()).isEqualTo(201);

        cluster.stopMaster();
        await().during(OUTAGE).atMost(OUTAGE.plusSeconds(15)).pollInterval(Duration.ofMillis(500))
                .until(() -> http.getText("/api/v1/stat/outage/before.bin").statusCode() == 503);
        cluster.startMasterAgain();

        await().atMost(BACK_WITHIN).pollInterval(Duration.ofMillis(100))
                .until(() -> http.getText("/api/v1/stat/outage/before.bin").statusCode() == 200);
        await().atMost(UPLOADS_WITHIN).pollInterval(Duration.ofMillis(250))
                .until(() -> http.put("outage/after.bin", 4, size).statusCode() == 201);
        assertThat(http.get("outage/before.bin").sha256()).isEqualTo(TestBytes.sha256(3, size));
        assertThat(http.get("outage/after.bin").sha256()).isEqualTo(TestBytes.sha256(4, size));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
