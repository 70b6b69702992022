package io.granary.client;

import static io.granary.client.TestData.randomBytes;
import static io.granary.client.TestData.sha256Hex;
import static org.assertj.core.api.Assertions.assertThat;
import io.granary.common.meta.FileMeta;

import io.granary.client.fake.FakeChunkServer.ReadFault;
import io.granary.client.fake.FakeCluster;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One client shared by many threads, with gRPC callbacks on thread pools as in production. */
class ConcurrencyTest {
    private static final int CHUNK = 64 * 1024;

    private FakeCluster cluster;
    private GranaryClient client;

    @BeforeEach
    void startCluster() {
        cluster = FakeCluster.startThreaded(3);
        client = cluster.client(ClientOptions.defaults().withPieceSizeBytes(16 * 1024).withReadAheadBytes(16 * 1024));
    }

    @AfterEach
    void stopCluster() {
        client.close();
        cluster.close();
    }

    @Test
    void concurrentUploadsAndFailingOverDownloadsEachGetTheirOwnExactBytes() {
        // cs-1 heads every chain and holds every chunk, but its reads fail part-way.
        cluster.chunkserver(1).failReads(ReadFault.failAfter(20_000, Status.UNAVAILABLE));

        List<CompletableFuture<Void>> transfers = IntStream.range(0, 8).mapToObj(i -> CompletableFuture.runAsync(() -> {
            byte[] content = randomBytes(2 * CHUNK + 1000 * i);
            String path = "/f" + i;
            FileMeta file = client.upload(path, new ByteArrayInputStream(content),
                    UploadOptions.defaults().withChunkSizeBytes(CHUNK));
            assertThat(file.sha256()).isEqualTo(sha256Hex(content));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            client.download(path, 0, -1, out);
            assertThat(out.toByteArray()).isEqualTo(content);
        })).toList();


        CompletableFuture.allOf(transfers.toArray(CompletableFuture[]::new)).join();
    }
}
