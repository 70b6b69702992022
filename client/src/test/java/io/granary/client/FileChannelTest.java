package io.granary.client;

import static io.granary.client.TestData.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.granary.client.fake.FakeChunkServer;
import io.granary.client.fake.FakeChunkServer.ReadFault;
import io.granary.client.fake.FakeCluster;
import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.granary.proto.ReadChunkRequest;
import io.grpc.Status;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A file read as a {@link java.nio.channels.SeekableByteChannel}, with positional reads. */
class FileChannelTest {
    private static final int CHUNK = 64 * 1024;
    private static final int SIZE = 3 * CHUNK + CHUNK / 2;

    private final byte[] content = randomBytes(SIZE);
    private FakeCluster cluster;
    private GranaryClient client;

    @BeforeEach
    void storeFile() {
        cluster = FakeCluster.start(3);
        client = cluster.client(ClientOptions.defaults().withChunkCacheBytes(0));
        cluster.master.putFile("/f.bin", content, CHUNK, List.of(cluster.chunkserver(1), cluster.chunkserver(2)));
    }

    @AfterEach
    void stopCluster() {
        client.close();
        cluster.close();
    }

    @ParameterizedTest(name = "direct buffer: {0}")
    @ValueSource(booleans = {false, true})
    void readsAfterSeeksAnywhereGiveTheFilesBytesAtThePosition(boolean direct) throws IOException {
        Random random = new Random(7);
        try (GranaryFileChannel channel = client.openChannel("/f.bin")) {
            assertThat(channel.size()).isEqualTo(SIZE);
            for (int i = 0; i < 50; i++) {
                int at = random.nextInt(SIZE);
                int length = 1 + random.nextInt(2 * CHUNK);
                ByteBuffer buffer = direct ? ByteBuffer.allocateDirect(length) : ByteBuffer.allocate(length);

                channel.position(at);
                int read = readFully(channel, buffer);

                assertThat(read).isEqualTo(Math.min(length, SIZE - at));
                assertThat(bytes(buffer)).isEqualTo(Arrays.copyOfRange(content, at, at + read));
                assertThat(channel.position()).isEqualTo(at + read);
            }
        }
    }

    @Test
    void sequentialReadsShareOneStreamOfEachChunk() throws IOException {
        try (GranaryFileChannel channel = client.openChannel("/f.bin")) {
            ByteBuffer whole = ByteBuffer.allocate(SIZE);
            while (whole.position() < SIZE) {
                channel.read(whole.limit(Math.min(whole.position() + 1000, SIZE)));
            }
            assertThat(whole.array()).isEqualTo(content);
        }
        FakeChunkServer first = cluster.chunkserver(1);
        assertThat(first.reads).extracting(ReadChunkRequest::getOffset).containsOnly(0L);
        assertThat(first.reads).hasSize(4);
    }

    @Test
    void aPositionalReadFillsTheBufferFromThereWithoutMovingThePositionAndFetchesOnlyThoseBytes()
            throws IOException {
        try (GranaryFileChannel channel = client.openChannel("/f.bin")) {
            channel.position(5);
            ByteBuffer buffer = ByteBuffer.allocate(CHUNK); // across the boundary of chunks 1 and 2

            assertThat(channel.read(buffer, 2 * CHUNK - 100)).isEqualTo(CHUNK);

            assertThat(buffer.array()).isEqualTo(Arrays.copyOfRange(content, 2 * CHUNK - 100, 3 * CHUNK - 100));
            assertThat(channel.position()).isEqualTo(5);
            assertThat(cluster.chunkserver(1).reads).extracting(ReadChunkRequest::getOffset, ReadChunkRequest::getLength)
                    .containsExactly(tuple((long) CHUNK - 100, 100L),
                            tuple(0L, (long) CHUNK - 100));
        }
    }

    @Test
    void readsAtOrPastTheEndAnswerEndOfFileAndAPositionalReadStopsAtTheEnd() throws IOException {
        try (GranaryFileChannel channel = client.openChannel("/f.bin")) {
            channel.position(SIZE + 10);
            assertThat(channel.read(ByteBuffer.allocate(10))).isEqualTo(-1);
            assertThat(channel.read(ByteBuffer.allocate(10), SIZE)).isEqualTo(-1);

            ByteBuffer tail = ByteBuffer.allocate(100);
            assertThat(channel.read(tail, SIZE - 30)).isEqualTo(30);
            assertThat(Arrays.copyOf(tail.array(), 30)).isEqualTo(Arrays.copyOfRange(content, SIZE - 30, SIZE));
        }
    }

    @Test
    void theChannelIsReadOnlyAndRefusesEverythingOnceClosed() throws IOException {
        GranaryFileChannel channel = client.openChannel("/f.bin");
        assertThatThrownBy(() -> channel.write(ByteBuffer.allocate(1))).isInstanceOf(NonWritableChannelException.class);
        assertThatThrownBy(() -> channel.truncate(0)).isInstanceOf(NonWritableChannelException.class);
        assertThatThrownBy(() -> channel.position(-1)).isInstanceOf(IllegalArgumentException.class);

        channel.close();

        assertThat(channel.isOpen()).isFalse();
        assertThatThrownBy(() -> channel.read(ByteBuffer.allocate(1))).isInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(() -> channel.read(ByteBuffer.allocate(1), 0)).isInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(channel::position).isInstanceOf(ClosedChannelException.class);
    }

    @Test
    void aReadNoReplicaCanServeIsAnIoExceptionCarryingTheClientsError() throws IOException {
        cluster.chunkserver(1).failReads(ReadFault.failAfter(0, Status.DATA_LOSS));
        cluster.chunkserver(2).failReads(ReadFault.failAfter(0, Status.DATA_LOSS));
        try (GranaryFileChannel channel = client.openChannel("/f.bin")) {
            assertThatThrownBy(() -> channel.read(ByteBuffer.allocate(10)))
                    .isInstanceOf(IOException.class)
                    .hasCauseInstanceOf(GranaryException.class);
        }
    }

    @Test
    void aMissingPathOrADirectoryIsRefusedWhenOpened() {
        client.mkdirs("/dir");
        assertThatThrownBy(() -> client.openChannel("/nope"))
                .isInstanceOfSatisfying(GranaryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
        assertThatThrownBy(() -> client.openChannel("/dir"))
                .isInstanceOfSatisfying(GranaryException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.FAILED_PRECONDITION));
    }

    private static int readFully(GranaryFileChannel channel, ByteBuffer buffer) throws IOException {
        int total = 0;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        buffer.flip();
        byte[] out = new byte[buffer.remaining()];
        buffer.get(out);
        return out;
    }
}
