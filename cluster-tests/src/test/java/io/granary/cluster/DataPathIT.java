package io.granary.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.granary.chunkserver.ChunkServer;
import io.granary.chunkserver.store.ChunkLayout;
import io.granary.client.ClientOptions;
import io.granary.client.GranaryClient;
import io.granary.common.ByteSize;
import io.granary.common.meta.ChunkMeta;
import io.granary.common.meta.FileMeta;
import io.granary.common.meta.Replica;
import io.granary.gateway.testing.RawHttp;
import io.granary.launcher.local.LocalCluster;
import io.granary.launcher.local.LocalSettings;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The data path end to end: a real Redis, a master, four chunkservers writing real files and the
 * gateway, all on loopback sockets, driven over HTTP like a user would. Content is checked by
 * SHA-256 against what was sent, never against what the system says about itself.
 */
class DataPathIT {
    static final long CHUNK = ByteSize.MIB;
    static final int CHUNKSERVERS = 4;
    static final int REPLICATION = 3;

    @RegisterExtension
    static final MiniGranary cluster = MiniGranary.builder()
            .chunkservers(CHUNKSERVERS)
            .replication(REPLICATION)
            .chunkSize(CHUNK)
            .build();
    static Http http;
    static final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void connect() {
        http = new Http(cluster);
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(longs = {0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + CHUNK / 2})
    void roundTripIsByteExact(long size) throws Exception {
        String path = "roundtrip/" + size + ".bin";
        HttpResponse<String> put = http.put(path, size, size);
        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
        String expected = TestBytes.sha256(size, size);

        Http.Download got = http.get(path);

        assertThat(got.status()).isEqualTo(200);
        assertThat(got.length()).isEqualTo(size);
        assertThat(got.sha256()).isEqualTo(expected);
        JsonNode stat = json.readTree(http.getText("/api/v1/stat/" + path).body());
        assertThat(stat.get("size").asLong()).isEqualTo(size);
        assertThat(stat.get("sha256").asText()).isEqualTo(expected);
        assertThat(stat.get("chunks")).hasSize((int) ((size + CHUNK - 1) / CHUNK));
    }

    @Test
    void fileOfTwoHundredMebibytesRoundTrips() {
        long size = 200 * ByteSize.MIB + 12_345;
        assertThat(http.put("big/200MiB.bin", 200, size).statusCode()).isEqualTo(201);

        Http.Download got = http.get("big/200MiB.bin");

        assertThat(got.length()).isEqualTo(size);
        assertThat(got.sha256()).isEqualTo(TestBytes.sha256(200, size));
    }

    @Test
    void everyChunkHasReplicasOnDistinctChunkServersThatHoldItOnDisk() {
        long size = 6 * CHUNK + 7;
        assertThat(http.put("placement/six.bin", 6, size).statusCode()).isEqualTo(201);

        FileMeta file = cluster.client().stat("placement/six.bin");

        assertThat(file.chunks()).hasSize(7);
        Map<String, Path> dataDirs = new HashMap<>();
        for (int i = 0; i < CHUNKSERVERS; i++) {
            ChunkServer server = cluster.chunkServer(i);
            dataDirs.put(server.id(), server.dataDir());
        }
        for (ChunkMeta chunk : file.chunks()) {
            List<String> ids = chunk.replicas().stream().map(Replica::chunkserverId).toList();
            assertThat(ids).as("replicas of chunk %d", chunk.index()).hasSize(REPLICATION).doesNotHaveDuplicates();
            for (String id : ids) {
                assertThat(ChunkLayout.chunkFile(dataDirs.get(id), chunk.handle()))
                        .as("chunk %s on %s", chunk.handle(), id).exists().hasSize(chunk.size());
            }
        }
    }

    @Test
    void chunkOrderIsKeptWhateverCacheIsCold() throws Exception {
        long size = 5 * CHUNK + 333;
        assertThat(http.put("order/five.bin", 55, size).statusCode()).isEqualTo(201);
        String expected = TestBytes.sha256(55, size);

        try (GranaryClient cold = GranaryClient.connect(cluster.masterAddress(),
                ClientOptions.defaults().withSecurity(cluster.security()))) {
            FileMeta file = cold.stat("order/five.bin");
            // Warm the caches last chunk first, each read checked against its place in the file.
            for (int i = file.chunks().size() - 1; i >= 0; i--) {
                long from = i * CHUNK + 100;
                int length = (int) Math.min(1000, size - from);
                try (InputStream in = cold.open(file, from, length)) {
                    assertThat(in.readAllBytes()).as("bytes at %d", from).isEqualTo(TestBytes.slice(55, from, length));
                }
            }
            TestBytes.Sha256Sink whole = new TestBytes.Sha256Sink();
            cold.download("order/five.bin", 0, -1, whole);
            assertThat(whole.hex()).isEqualTo(expected);
        }
        try (GranaryClient fresh = GranaryClient.connect(cluster.masterAddress(),
                ClientOptions.defaults().withSecurity(cluster.security()))) {
            TestBytes.Sha256Sink whole = new TestBytes.Sha256Sink();
            fresh.download("order/five.bin", 0, -1, whole);
            assertThat(whole.hex()).isEqualTo(expected);
        }
        assertThat(http.get("order/five.bin").sha256()).isEqualTo(expected);
    }

    @Test
    void rangesAcrossAChunkBoundaryFromTheEndAndBeyondIt() {
        long size = 3 * CHUNK;
        assertThat(http.put("range/video.mp4", 77, size).statusCode()).isEqualTo(201);

        long from = CHUNK - 10;
        HttpResponse<byte[]> across = http.getBytes("range/video.mp4", "Range", "bytes=" + from + "-" + (from + 19));
        assertThat(across.statusCode()).isEqualTo(206);
        assertThat(across.headers().firstValue("Content-Range")).hasValue("bytes " + from + "-" + (from + 19) + "/" + size);
        assertThat(across.body()).isEqualTo(TestBytes.slice(77, from, 20));

        HttpResponse<byte[]> suffix = http.getBytes("range/video.mp4", "Range", "bytes=-500");
        assertThat(suffix.statusCode()).isEqualTo(206);
        assertThat(suffix.headers().firstValue("Content-Range")).hasValue("bytes " + (size - 500) + "-" + (size - 1) + "/" + size);
        assertThat(suffix.body()).isEqualTo(TestBytes.slice(77, size - 500, 500));

        HttpResponse<byte[]> beyond = http.getBytes("range/video.mp4", "Range", "bytes=" + size + "-");
        assertThat(beyond.statusCode()).isEqualTo(416);
        assertThat(beyond.headers().firstValue("Content-Range")).hasValue("bytes */" + size);
    }

    @Test
    void eightConcurrentUploadsThenEightConcurrentDownloadsAreByteExact() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            long size = 2 * CHUNK + 4321;
            List<Future<Integer>> puts = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int n = i;
                puts.add(pool.submit(() -> http.put("parallel/" + n + ".bin", 1000 + n, size + n).statusCode()));
            }
            for (Future<Integer> put : puts) {
                assertThat(put.get()).isEqualTo(201);
            }
            List<Future<Http.Download>> gets = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int n = i;
                gets.add(pool.submit(() -> http.get("parallel/" + n + ".bin")));
            }
            for (int i = 0; i < 8; i++) {
                assertThat(gets.get(i).get().sha256()).as("file %d", i).isEqualTo(TestBytes.sha256(1000 + i, size + i));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aConcurrentReaderSeesTheOldFileOrTheNewOneNeverAMix() throws Exception {
        long size = 3 * CHUNK + 99;
        String path = "overwrite/movie.bin";
        assertThat(http.put(path, 1, size).statusCode()).isEqualTo(201);
        Set<String> allowed = new HashSet<>();
        for (long seed = 1; seed <= 4; seed++) {
            allowed.add(TestBytes.sha256(seed, size));
        }
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService readers = Executors.newFixedThreadPool(2);
        List<Future<Set<String>>> seen = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            seen.add(readers.submit(() -> {
                Set<String> hashes = new HashSet<>();
                while (writing.get()) {
                    hashes.add(http.get(path).sha256());
                }
                return hashes;
            }));
        }
        try {
            for (long seed = 2; seed <= 4; seed++) {
                assertThat(http.put(path, seed, size).statusCode()).isEqualTo(201);
            }
        } finally {
            writing.set(false);
            readers.shutdown();
        }
        for (Future<Set<String>> reader : seen) {
            assertThat(allowed).containsAll(reader.get());
        }
        assertThat(http.get(path).sha256()).isEqualTo(TestBytes.sha256(4, size));
    }

    @Test
    void badPathsAre400AndAMissingFileIs404() {
        int port = Integer.parseInt(cluster.gatewayUrl().replaceAll(".*:", ""));
        String longPath = "a/".repeat(520) + "b";
        for (String target : List.of("/api/v1/files/a/../b", "/api/v1/files/a//b", "/api/v1/files/a%01b",
                "/api/v1/files/" + longPath)) {
            RawHttp.Response response = RawHttp.send(port, "GET", target, http.authHeaderLine());
            assertThat(response.status()).as(target).isEqualTo(400);
            assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        }
        HttpResponse<String> missing = http.getText("/api/v1/files/no/such/file");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("no/such/file");
    }

    @Test
    void aClientThatDisconnectsMidUploadLeavesNoFile() throws Exception {
        String path = "cut/half.bin";
        int port = Integer.parseInt(cluster.gatewayUrl().replaceAll(".*:", ""));
        try (InputStream body = TestBytes.stream(9, 3 * CHUNK)) {
            RawHttp.sendAndHangUp(port, "PUT", "/api/v1/files/" + path,
                    http.authHeaderLine() + "Content-Length: " + 8 * CHUNK + "\r\n", body);
        }

        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(15))
                .until(() -> http.getText("/api/v1/stat/" + path).statusCode() == 404);
        assertThat(http.put(path, 10, 2 * CHUNK).statusCode()).isEqualTo(201);
        assertThat(http.get(path).sha256()).isEqualTo(TestBytes.sha256(10, 2 * CHUNK));
    }

    @Test
    void aTruncatedBodyIsRejectedAndLeavesNoFile() throws Exception {
        String path = "cut/short.bin";
        int port = Integer.parseInt(cluster.gatewayUrl().replaceAll(".*:", ""));
        RawHttp.Response response;
        try (InputStream body = TestBytes.stream(11, CHUNK + 5)) {
            response = RawHttp.sendHalfClosed(port, "PUT", "/api/v1/files/" + path,
                    http.authHeaderLine() + "Content-Length: " + 4 * CHUNK + "\r\n", body);
        }

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.text()).contains("body");
        assertThat(http.getText("/api/v1/stat/" + path).statusCode()).isEqualTo(404);
    }
}
