package io.granary.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.granary.client.ClientOptions;
import io.granary.client.GranaryClient;
import io.granary.common.ByteSize;
import io.granary.common.meta.FileMeta;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a user sees when parts of the cluster are down: a stopped chunkserver, too few live ones,
 * Redis gone. Each test gets a fresh cluster (3 chunkservers, replication 3) with fast heartbeats,
 * so death is noticed in about a second.
 */
class FailuresIT {
    static final long CHUNK = 256 * ByteSize.KIB;
    static final Duration DEAD_AFTER = Duration.ofSeconds(1);

    @RegisterExtension
    final MiniGranary cluster = MiniGranary.builder()
            .chunkSize(CHUNK)
            .heartbeat(Duration.ofMillis(200), DEAD_AFTER)
            .build();
    final Http http = new Http(cluster);

    @Test
    void downloadsStayByteExactWithOneChunkServerStopped() {
        long size = 4 * CHUNK + 17;
        assertThat(http.put("survive/a.bin", 3, size).statusCode()).isEqualTo(201);
        FileMeta file = cluster.client().stat("survive/a.bin");
        String firstReplica = file.chunks().get(0).replicas().get(0).chunkserverId();

        // Stop the server a reader would try first, and read before the master has noticed.
        cluster.stopChunkServer(indexOf(firstReplica));
        assertThat(http.get("survive/a.bin").sha256()).isEqualTo(TestBytes.sha256(3, size));

        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.client().cluster().liveCount() == 2);
        assertThat(http.get("survive/a.bin").sha256()).isEqualTo(TestBytes.sha256(3, size));
        try (GranaryClient fresh = GranaryClient.connect(cluster.masterAddress(),
                ClientOptions.defaults().withSecurity(cluster.security()))) {
            TestBytes.Sha256Sink sink = new TestBytes.Sha256Sink();
            fresh.download("survive/a.bin", 0, -1, sink);
            assertThat(sink.hex()).isEqualTo(TestBytes.sha256(3, size));
        }
    }

    @Test
    void uploadsAreRefusedWith503WhileTooFewChunkServersAreLive() {
        cluster.stopChunkServer(2);
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.client().cluster().liveCount() == 2);

        HttpResponse<String> put = http.put("refused/a.bin", 4, CHUNK);

        assertThat(put.statusCode()).isEqualTo(503);
        assertThat(put.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(put.body()).contains("replication 3 needs 3 live chunkservers").contains("2 are alive");
        assertThat(http.getText("/api/v1/stat/refused/a.bin").statusCode()).isEqualTo(404);
        assertThat(http.getText("/health/ready").statusCode()).isEqualTo(503);

        cluster.startChunkServer(2);
        cluster.awaitLiveChunkServers(3);
        assertThat(http.put("refused/a.bin", 4, CHUNK).statusCode()).isEqualTo(201);
        assertThat(http.get("refused/a.bin").sha256()).isEqualTo(TestBytes.sha256(4, CHUNK));
    }

    @Test
    void redisDownAnswers503WithinSecondsAndNothingIsLost() {
        long size = 2 * CHUNK + 5;
        assertThat(http.put("kept/a.bin", 5, size).statusCode()).isEqualTo(201);
        // A request that hangs fails this test with HttpTimeoutException instead of a 503.
        Http impatient = new Http(cluster.gatewayUrl(), cluster.adminToken(), Duration.ofSeconds(10));

        cluster.redis().kill();

        HttpResponse<String> put = impatient.put("lost/b.bin", 6, size);
        assertThat(put.statusCode()).as(put.body()).isEqualTo(503);
        assertThat(put.body()).containsIgnoringCase("redis");
        HttpResponse<String> stat = impatient.getText("/api/v1/stat/kept/a.bin");
        assertThat(stat.statusCode()).as(stat.body()).isEqualTo(503);
        assertThat(impatient.getText("/health/ready").statusCode()).isEqualTo(503);

        cluster.redis().startAgain();
        await().atMost(Duration.ofSeconds(15)).until(() -> impatient.getText("/api/v1/stat/kept/a.bin").statusCode() == 200);
        assertThat(http.get("kept/a.bin").sha256()).isEqualTo(TestBytes.sha256(5, size));
        assertThat(http.getText("/api/v1/stat/lost/b.bin").statusCode()).isEqualTo(404);
        assertThat(http.put("lost/b.bin", 6, size).statusCode()).isEqualTo(201);
    }

    private int indexOf(String chunkserverId) {
        for (int i = 0; i < cluster.settings().chunkservers(); i++) {
            if (cluster.chunkServer(i) != null && cluster.chunkServer(i).id().equals(chunkserverId)) {
                return i;
            }
        }
        throw new AssertionError("no running chunkserver " + chunkserverId);
    }
}
