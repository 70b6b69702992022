package io.granary.client;

import static io.granary.client.TestData.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.granary.client.fake.FakeChunkServer.ReadFault;
import io.granary.client.fake.FakeCluster;
import io.granary.common.ByteSize;
import io.granary.common.ErrorKind;
import io.granary.common.meta.FileMeta;
import io.grpc.Status;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Reads through the client's {@link ChunkCache}, against in-process chunkservers that record every read. */
class ChunkCacheReadTest {
    private static final int CHUNK = (int) (64 * ByteSize.KIB);
    private static final int MESSAGE = 4 * 1024;

    private FakeCluster cluster;
    private GranaryClient client;

    @BeforeEach
    void startCluster() {
        cluster = FakeCluster.start(2);
        cluster.chunkservers.forEach(cs -> cs.readMessageBytes(MESSAGE));
        client = cluster.client(ClientOptions.defaults());
    }

    @AfterEach
    void stopCluster() {
        client.close();
        cluster.close();
    }

    @Test
    void aSmallFileReadAgainIsServedWithoutAChunkserver() {
        byte[] content = randomBytes(4096);
        FileMeta file = store("/small.txt", content, CHUNK);

        assertThat(readAll(client.open(file, 0, content.length))).isEqualTo(content);
        assertThat(chunkserverReads()).isEqualTo(1);

        assertThat(readAll(client.open(file, 0, content.length))).isEqualTo(content);
        assertThat(chunkserverReads()).isEqualTo(1);
        assertThat(client.chunkCache().misses()).isEqualTo(1);
        assertThat(client.chunkCache().hits()).isEqualTo(1);
        assertThat(client.chunkCache().bytes()).isEqualTo(content.length);
    }

    @Test
    void aRangeOfACachedChunkIsServedFromIt() {
        byte[] content = randomBytes(3 * CHUNK);
        FileMeta file = store("/three.bin", content, CHUNK);
        readAll(client.open(file, 0, content.length));
        long reads = chunkserverReads();

        assertThat(readAll(client.open(file, CHUNK - 10, CHUNK + 20)))
                .isEqualTo(Arrays.copyOfRange(content, CHUNK - 10, 2 * CHUNK + 10));
        assertThat(readAll(client.open(file, 5, 1))).containsExactly(content[5]);

        assertThat(chunkserverReads()).isEqualTo(reads);
        assertThat(client.chunkCache().entries()).isEqualTo(3);
    }

    @Test
    void aChunkLargerThanAnEntryMayBeIsNeverKept() {
        int large = (int) (2 * ChunkCache.MAX_ENTRY_BYTES);
        byte[] content = randomBytes(large);
        FileMeta file = store("/large.bin", content, large);

        assertThat(readAll(client.open(file, 0, large))).isEqualTo(content);
        assertThat(readAll(client.open(file, 0, large))).isEqualTo(content);

        assertThat(chunkserverReads()).isEqualTo(2);
        assertThat(client.chunkCache().entries()).isZero();
        assertThat(client.chunkCache().misses()).as("a chunk never kept is not looked up").isZero();
    }

    @Test
    void aReadOfPartOfAChunkKeepsNothing() {
        byte[] content = randomBytes(4096);
        FileMeta file = store("/part.txt", content, CHUNK);

        assertThat(readAll(client.open(file, 10, 100))).isEqualTo(Arrays.copyOfRange(content, 10, 110));
        assertThat(client.chunkCache().entries()).isZero();

        readAll(client.open(file, 0, content.length));
        readAll(client.open(file, 0, content.length));
        assertThat(chunkserverReads()).as("the part, then the whole chunk once").isEqualTo(2);
    }

    @Test
    void aReadThatFailsOnEveryReplicaKeepsNothing() {
        byte[] content = randomBytes(3 * MESSAGE);
        FileMeta file = store("/failing.txt", content, CHUNK);
        cluster.chunkservers.forEach(cs -> cs.failReads(ReadFault.failAfter(MESSAGE, Status.UNAVAILABLE)));

        assertThatThrownBy(() -> readAll(client.open(file, 0, content.length)))
                .hasFieldOrPropertyWithValue("kind", ErrorKind.UNAVAILABLE);
        assertThat(client.chunkCache().entries()).isZero();

        cluster.chunkservers.forEach(cs -> cs.failReads(null));
        long reads = chunkserverReads();
        assertThat(readAll(client.open(file, 0, content.length))).isEqualTo(content);
        assertThat(chunkserverReads()).isEqualTo(reads + 1);
    }

    @Test
    void aChunkResumedOnTheNextReplicaAfterAFailureIsKeptWhole() {
        byte[] content = randomBytes(3 * MESSAGE);
        FileMeta file = store("/resumed.txt", content, CHUNK);
        cluster.chunkserver(1).failReads(ReadFault.failAfter(MESSAGE, Status.DATA_LOSS));

        assertThat(readAll(client.open(file, 0, content.length))).isEqualTo(content);
        long reads = chunkserverReads();

        assertThat(readAll(client.open(file, 0, content.length))).isEqualTo(content);
        assertThat(chunkserverReads()).isEqualTo(reads);
    }

    @Test
    void aStreamClosedBeforeItsChunkArrivedWholeKeepsNothing() throws IOException {
        byte[] content = randomBytes(3 * MESSAGE);
        FileMeta file = store("/closed.txt", content, CHUNK);
        cluster.chunkservers.forEach(cs -> cs.failReads(ReadFault.stallAfter(MESSAGE)));

        try (InputStream in = client.open(file, 0, content.length)) {
            assertThat(in.read()).isEqualTo(content[0] & 0xff);
        }

        assertThat(client.chunkCache().entries()).isZero();
        assertThat(client.chunkCache().bytes()).isZero();
    }

    @Test
    void aClientWithoutACacheAsksAChunkserverEveryTime() {
        GranaryClient uncached = cluster.client(ClientOptions.defaults().withChunkCacheBytes(0));
        byte[] content = randomBytes(4096);
        FileMeta file = store("/uncached.txt", content, CHUNK);

        assertThat(readAll(uncached.open(file, 0, content.length))).isEqualTo(content);
        assertThat(readAll(uncached.open(file, 0, content.length))).isEqualTo(content);

        assertThat(chunkserverReads()).isEqualTo(2);
        assertThat(uncached.chunkCache().entries()).isZero();
        assertThat(uncached.chunkCache().misses()).isZero();
        uncached.close();
    }

    @Test
    void aRequestIdViewSharesItsClientsCache() {
        byte[] content = randomBytes(4096);
        FileMeta file = store("/shared.txt", content, CHUNK);
        readAll(client.withRequestId("first").open(file, 0, content.length));

        assertThat(readAll(client.withRequestId("second").open(file, 0, content.length))).isEqualTo(content);

        assertThat(chunkserverReads()).isEqualTo(1);
        assertThat(client.chunkCache().hits()).isEqualTo(1);
    }

    @Test
    void aClosedStreamOfACachedChunkRefusesFurtherReads() throws IOException {
        byte[] content = randomBytes(4096);
        FileMeta file = store("/again.txt", content, CHUNK);
        readAll(client.open(file, 0, content.length));
        InputStream in = client.open(file, 0, content.length);
        assertThat(in.read()).isEqualTo(content[0] & 0xff);

        in.close();

        assertThatThrownBy(in::read).isInstanceOf(IOException.class);
    }

    private FileMeta store(String path, byte[] content, int chunkSize) {
        cluster.master.putFile(path, content, chunkSize, List.of(cluster.chunkserver(1), cluster.chunkserver(2)));
        return client.stat(path);
    }

    private long chunkserverReads() {
        return cluster.chunkservers.stream().mapToLong(cs -> cs.reads.size()).sum();
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
