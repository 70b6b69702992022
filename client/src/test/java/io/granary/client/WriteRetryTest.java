package io.granary.client;

import static io.granary.client.TestData.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.granary.client.fake.FakeCluster;
import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.granary.proto.AllocateChunkRequest;
import io.granary.proto.CommitUploadRequest;
import io.granary.proto.CommittedChunk;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A chunk whose chain fails is written again to a chain without the chunkservers that failed. */
class WriteRetryTest {
    private static final int CHUNK = 64 * 1024;
    private static final int PIECE = 16 * 1024;
    private static final UploadOptions SMALL_CHUNKS = UploadOptions.defaults().withChunkSizeBytes(CHUNK);

    private FakeCluster cluster;

    @BeforeEach
    void startCluster() {
        cluster = FakeCluster.start(4);
    }

    @AfterEach
    void stopCluster() {
        cluster.close();
    }

    @Test
    void aChunkWhoseHeadFailsAtItsEndIsSentWholeToANewChainWithoutIt() {
        cluster.chunkserver(1).failWrites(Status.UNAVAILABLE.withDescription("gone"));
        byte[] content = randomBytes(2 * CHUNK + CHUNK / 2);

        try (GranaryClient client = client(ClientOptions.DEFAULT_SPOOL_DIR)) {
            client.upload("/a.bin", new ByteArrayInputStream(content), SMALL_CHUNKS);
        }

        CommitUploadRequest commit = cluster.master.commits.get(0);
        assertThat(commit.getChunksList()).allSatisfy(c -> assertThat(c.getReplicasList()).doesNotContain("cs-1"));
        // chunk 1 streams while chunk 0 commits, so it is allocated before chunk 0's chain fails
        assertThat(cluster.master.allocations).extracting(AllocateChunkRequest::getIndex)
                .containsExactly(0, 1, 0, 2, 1);
        assertThat(cluster.master.allocations.subList(2, 5))
                .allSatisfy(a -> assertThat(a.getAvoidChunkserversList()).containsExactly("cs-1"));
        assertThat(stored(commit)).isEqualTo(content);
    }

    @Test
    void aChunkIsTriedOnAtMostThreeChains() {
        for (int i = 1; i <= 4; i++) {
            cluster.chunkserver(i).failWrites(Status.UNAVAILABLE.withDescription("gone"));
        }

        try (GranaryClient client = client(ClientOptions.DEFAULT_SPOOL_DIR)) {
            assertThatThrownBy(() -> client.upload("/a.bin", new ByteArrayInputStream(randomBytes(CHUNK)), SMALL_CHUNKS))
                    .isInstanceOfSatisfying(GranaryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE));
        }
        assertThat(cluster.master.allocations).hasSize(RetryingChunkWrite.MAX_ATTEMPTS);
        assertThat(cluster.master.commits).isEmpty();
        assertThat(cluster.master.abandoned).containsExactlyElementsOf(cluster.master.started);
    }

    @Test
    void withoutASpoolAChainFailingAfterTheFirstPieceFailsTheUpload() {
        cluster.chunkserver(1).failWrites(Status.UNAVAILABLE.withDescription("gone"));

        try (GranaryClient client = client(null)) {
            assertThatThrownBy(() -> client.upload("/a.bin", new ByteArrayInputStream(randomBytes(CHUNK)), SMALL_CHUNKS))
                    .isInstanceOfSatisfying(GranaryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE));
        }
        assertThat(cluster.master.allocations).hasSize(1);
        assertThat(cluster.master.commits).isEmpty();
    }

    @Test
    void aChunkOfOnePieceIsRetriedFromMemoryWithoutASpool() {
        cluster.chunkserver(1).failWrites(Status.UNAVAILABLE.withDescription("gone"));
        byte[] content = randomBytes(PIECE - 1);

        try (GranaryClient client = client(null)) {
            client.upload("/small.bin", new ByteArrayInputStream(content), SMALL_CHUNKS);
        }

        assertThat(cluster.master.allocations).hasSize(2);
        assertThat(stored(cluster.master.commits.get(0))).isEqualTo(content);
    }

    private GranaryClient client(java.nio.file.Path spoolDir) {
        return cluster.client(ClientOptions.defaults().withPieceSizeBytes(PIECE)
                .withChunkIdleTimeout(Duration.ofSeconds(10)).withSpoolDir(spoolDir));
    }

    private byte[] stored(CommitUploadRequest commit) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (CommittedChunk chunk : commit.getChunksList()) {
            String holder = chunk.getReplicas(0);
            out.writeBytes(cluster.chunkserver(Integer.parseInt(holder.substring(3))).chunks.get(chunk.getHandle()));
        }
        return out.toByteArray();
    }
}
