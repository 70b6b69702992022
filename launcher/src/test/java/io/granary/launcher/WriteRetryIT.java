package io.granary.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.granary.chunkserver.ChunkServer;
import io.granary.common.ByteSize;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Uploads that lose a chunkserver of their chain mid-chunk, on a cluster of 4 chunkservers with
 * replication 3. Placement puts a chunk's head on the chunkserver with the most free space, so a
 * one-chunk file written first leaves exactly one chunkserver emptier than the others: the head of
 * the next upload's chunk 0. The upload's body stops half-way through chunk 0 while the test kills a
 * member of that chain, then goes on.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class WriteRetryIT {
    static final long CHUNK = 2 * ByteSize.MIB;
    static final long SIZE = 3 * CHUNK + 17;
    /** Past the first 1 MiB piece of chunk 0, so the chain holds bytes when a member dies. */
    static final long PAUSE_AT = CHUNK * 3 / 4;
    static final Duration WAIT = Duration.ofSeconds(30);

    private final ObjectMapper json = new ObjectMapper();
    @TempDir
    Path dir;
    LocalCluster cluster;
    Http http;

    @BeforeEach
    void startCluster() {
        cluster = LocalCluster.start(LocalSettings.builder(dir, 0)
                .chunkservers(4)
                .replication(3)
                .chunkSizeBytes(CHUNK)
                .capacityBytes(ByteSize.GIB)
                .heartbeatInterval(Duration.ofMillis(200)).deadAfter(Duration.ofSeconds(1))
                .build());
        http = new Http(cluster);
    }

    @AfterEach
    void stopCluster() {
        cluster.close();
    }

    @Test
    void anUploadWhoseChainHeadDiesMidChunkIsWrittenToANewChain() throws Exception {
        String head = emptiestChunkServer();
        PausedUpload upload = PausedUpload.start(http, "retry/head.bin", 7, SIZE);
        Set<String> chain = awaitChainOfChunkZero();
        assertThat(chain).as("the emptiest chunkserver heads the chain").contains(head);
        String abandoned = handleReceived(indexOf(head));

        cluster.killChunkServer(indexOf(head));
        HttpResponse<String> put = upload.resume();

        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
        assertThat(http.get("retry/head.bin").sha256()).isEqualTo(TestBytes.sha256(7, SIZE));
        JsonNode stat = stat("retry/head.bin");
        for (JsonNode chunk : stat.get("chunks")) {
            assertThat(replicaIds(chunk)).as("chunk %s", chunk.get("index")).doesNotContain(head).hasSize(3);
        }
        assertThat(stat.get("underReplicated").asInt()).isZero();
        assertThat(stat.get("chunks").get(0).get("handle").asText()).as("the abandoned attempt's handle")
                .isNotEqualTo(abandoned);
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            for (int i = 0; i < 4; i++) {
                if (cluster.chunkServer(i) != null) {
                    assertThat(DiskReplicas.handlesOn(cluster, i)).as("chunkserver %d", i + 1).doesNotContain(abandoned);
                }
            }
        });
    }

    @Test
    void anUploadWhoseChainDropsAReplicaSaysSoAndRepairRestoresIt() throws Exception {
        String head = emptiestChunkServer();
        PausedUpload upload = PausedUpload.start(http, "retry/dropped.bin", 8, SIZE);
        Set<String> chain = awaitChainOfChunkZero();
        assertThat(chain).contains(head).hasSize(3);
        String secondary = chain.stream().filter(id -> !id.equals(head)).findFirst().orElseThrow();

        cluster.killChunkServer(indexOf(secondary));
        HttpResponse<String> put = upload.resume();

        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
        JsonNode answered = json.readTree(put.body());
        assertThat(answered.get("underReplicated").asInt()).as(put.body()).isPositive();
        assertThat(replicaIds(answered.get("chunks").get(0))).doesNotContain(secondary).hasSizeLessThan(3);
        assertThat(http.get("retry/dropped.bin").sha256()).isEqualTo(TestBytes.sha256(8, SIZE));

        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            JsonNode stat = stat("retry/dropped.bin");
            assertThat(stat.get("underReplicated").asInt()).isZero();
            for (JsonNode chunk : stat.get("chunks")) {
                assertThat(replicaIds(chunk)).doesNotContain(secondary).hasSize(3);
            }
        });
        assertThat(http.get("retry/dropped.bin").sha256()).isEqualTo(TestBytes.sha256(8, SIZE));
    }

    /** Writes a one-chunk file on 3 of the 4 chunkservers and answers the fourth, now the emptiest. */
    private String emptiestChunkServer() throws IOException {
        assertThat(http.put("retry/filler.bin", 1, CHUNK).statusCode()).isEqualTo(201);
        Set<String> holders = replicaIds(stat("retry/filler.bin").get("chunks").get(0));
        assertThat(holders).hasSize(3);
        List<String> others = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            if (!holders.contains(cluster.chunkServer(i).id())) {
                others.add(cluster.chunkServer(i).id());
            }
        }
        assertThat(others).hasSize(1);
        // until then a heartbeat may have cleared the promise of the filler's space but not yet reported it used
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> cluster.client().cluster().chunkservers()
                .stream().filter(s -> holders.contains(s.id())).allMatch(s -> s.usedBytes() >= CHUNK));
        return others.get(0);
    }

    /** The chunkservers that are receiving a chunk: each keeps its partial replica under {@code tmp}. */
    private Set<String> awaitChainOfChunkZero() {
        Set<String> chain = new HashSet<>();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
            chain.clear();
            for (int i = 0; i < 4; i++) {
                ChunkServer server = cluster.chunkServer(i);
                if (server != null && receiving(server.dataDir().resolve("tmp"))) {
                    chain.add(server.id());
                }
            }
            return chain.size() == 3;
        });
        return chain;
    }

    /** The handle (16 hex digits) of the chunk chunkserver {@code index} is receiving. */
    private String handleReceived(int index) throws IOException {
        try (Stream<Path> files = Files.list(cluster.chunkServer(index).dataDir().resolve("tmp"))) {
            return files.map(file -> file.getFileName().toString().substring(0, 16)).findFirst().orElseThrow();
        }
    }

    private static boolean receiving(Path tmp) throws IOException {
        if (!Files.isDirectory(tmp)) {
            return false;
        }
        try (Stream<Path> files = Files.list(tmp)) {
            return files.anyMatch(file -> size(file) > 0);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0; // committed (moved away) meanwhile
        }
    }

    private JsonNode stat(String path) throws IOException {
        HttpResponse<String> response = http.getText("/api/v1/stat/" + path);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }

    private static Set<String> replicaIds(JsonNode chunk) {
        Set<String> ids = new HashSet<>();
        chunk.get("replicas").forEach(id -> ids.add(id.asText()));
        return ids;
    }

    private int indexOf(String chunkserverId) {
        for (int i = 0; i < 4; i++) {
            if (cluster.chunkServer(i) != null && cluster.chunkServer(i).id().equals(chunkserverId)) {
                return i;
            }
        }
        throw new AssertionError("no running chunkserver " + chunkserverId);
    }

    /** A PUT whose body stops at {@link #PAUSE_AT} until {@link #resume()}. */
    private static final class PausedUpload {
        private final CountDownLatch paused = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);
        private CompletableFuture<HttpResponse<String>> response;

        static PausedUpload start(Http http, String path, long seed, long size) throws InterruptedException {
            PausedUpload upload = new PausedUpload();
            upload.response = CompletableFuture.supplyAsync(() -> http.putStream(path, () -> upload.body(seed, size), size));
            assertThat(upload.paused.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the body reached the pause").isTrue();
            return upload;
        }

        HttpResponse<String> resume() throws Exception {
            released.countDown();
            return response.get(WAIT.toSeconds() * 2, TimeUnit.SECONDS);
        }

        private InputStream body(long seed, long size) {
            InputStream content = TestBytes.stream(seed, size);
            return new InputStream() {
                private long position;

                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (position == PAUSE_AT) {
                        awaitRelease();
                    }
                    int allowed = position < PAUSE_AT ? (int) Math.min(len, PAUSE_AT - position) : len;
                    int n = content.read(b, off, allowed);
                    position += Math.max(n, 0);
                    return n;
                }
            };
        }

        private void awaitRelease() {
            paused.countDown();
            try {
                if (!released.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                    throw new UncheckedIOException(new IOException("the test never resumed the body"));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UncheckedIOException(new IOException("interrupted", e));
            }
        }
    }
}
