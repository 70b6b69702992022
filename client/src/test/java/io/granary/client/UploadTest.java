package io.granary.client;

import static io.granary.client.TestData.failing;
import static io.granary.client.TestData.randomBytes;
import static io.granary.client.TestData.sha256Hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import io.granary.common.meta.FileMeta;

import io.granary.client.fake.FakeChunkServer;
import io.granary.client.fake.FakeCluster;
import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.granary.common.OverloadedException;
import io.granary.common.grpc.GrpcErrors;
import io.granary.proto.CommitUploadRequest;
import io.granary.proto.CommittedChunk;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UploadTest {
    private static final int CHUNK = 64 * 1024;
    private static final int PIECE = 16 * 1024;
    private static final UploadOptions SMALL_CHUNKS = UploadOptions.defaults().withChunkSizeBytes(CHUNK);

    private FakeCluster cluster;
    private GranaryClient client;

    @BeforeEach
    void startCluster() {
        cluster = FakeCluster.start(3);
        client = cluster.client(ClientOptions.defaults().withPieceSizeBytes(PIECE)
                .withChunkIdleTimeout(Duration.ofSeconds(10)));
    }

    @AfterEach
    void stopCluster() {
        client.close();
        cluster.close();
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + CHUNK / 2})
    void uploadSplitsTheBodyIntoChunksAndCommitsThemInOrderWithTheSha256(int size) {
        byte[] content = randomBytes(size);

        FileMeta file = client.upload("/dir/file.bin", new ByteArrayInputStream(content), SMALL_CHUNKS);

        int expectedChunks = (size + CHUNK - 1) / CHUNK;
        assertThat(cluster.master.allocations).hasSize(expectedChunks);
        assertThat(cluster.master.commits).hasSize(1);
        CommitUploadRequest commit = cluster.master.commits.get(0);
        assertThat(commit.getChunksList()).extracting(CommittedChunk::getIndex)
                .containsExactlyElementsOf(IntStream.range(0, expectedChunks).boxed().toList());
        assertThat(commit.getChunksList()).extracting(CommittedChunk::getSizeBytes)
                .allMatch(s -> s > 0 && s <= CHUNK)
                .containsExactlyElementsOf(IntStream.range(0, expectedChunks)
                        .mapToObj(i -> (long) Math.min(CHUNK, size - i * CHUNK)).toList());
        assertThat(commit.getChunksList()).allSatisfy(c -> assertThat(c.getReplicasList()).containsExactly("cs-1", "cs-2"));
        assertThat(commit.getSizeBytes()).isEqualTo(size);
        assertThat(commit.getSha256()).isEqualTo(sha256Hex(content));
        assertThat(storedContent(commit)).isEqualTo(content);
        assertThat(cluster.chunkserver(1).largestWriteMessage.get()).isLessThanOrEqualTo(PIECE);
        assertThat(file.path()).isEqualTo("/dir/file.bin");
        assertThat(file.size()).isEqualTo(size);
        assertThat(file.sha256()).isEqualTo(sha256Hex(content));
        assertThat(file.chunks()).hasSize(expectedChunks);
    }

    @Test
    void bodyThatFailsMidwayAbandonsTheUploadAndCommitsNothing() {
        InputStream body = new SequenceInputStream(new ByteArrayInputStream(randomBytes(CHUNK + 100)),
                failing("connection reset by peer"));

        assertThatThrownBy(() -> client.upload("/a.bin", body, SMALL_CHUNKS))
                .isInstanceOfSatisfying(GranaryException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).isEqualTo("upload body ended early: connection reset by peer");
                });
        assertThat(cluster.master.abandoned).containsExactlyElementsOf(cluster.master.started);
        assertThat(cluster.master.commits).isEmpty();
        assertThatThrownBy(() -> client.stat("/a.bin")).hasFieldOrPropertyWithValue("kind", ErrorKind.NOT_FOUND);
    }

    @Test
    void anErrorWhileReadingTheBodyAbandonsTheUploadAndCommitsNothing() {
        byte[] content = randomBytes(2 * CHUNK);
        InputStream failing = new FilterInputStream(new ByteArrayInputStream(content)) {
            private long read;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (read > CHUNK) {
                    throw new StackOverflowError("a body source that fails with an Error");
                }
                int n = super.read(b, off, len);
                read += Math.max(n, 0);
                return n;
            }
        };

        assertThatThrownBy(() -> client.upload("/a.bin", failing, SMALL_CHUNKS)).isInstanceOf(StackOverflowError.class);

        assertThat(cluster.master.commits).isEmpty();
        assertThat(cluster.master.abandoned).containsExactlyElementsOf(cluster.master.started);
    }

    @Test
    void runningOutOfMemoryAbandonsTheUploadAndFailsItAsOverloadedSoTheCallerMayRetryLater() {
        InputStream failing = new FilterInputStream(new ByteArrayInputStream(randomBytes(2 * CHUNK))) {
            @Override
            public int read(byte[] b, int off, int len) {
                throw new OutOfMemoryError("Cannot reserve 1048576 bytes of direct buffer memory");
            }
        };

        assertThatThrownBy(() -> client.upload("/a.bin", failing, SMALL_CHUNKS))
                .isInstanceOfSatisfying(OverloadedException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE);
                    assertThat(e.getMessage()).contains("out of memory", "Cannot reserve 1048576 bytes");
                });
        assertThat(cluster.master.commits).isEmpty();
        assertThat(cluster.master.abandoned).containsExactlyElementsOf(cluster.master.started);
    }

    @Test
    void aBodyWhoseDigestIsNotTheExpectedOneIsAbandonedBeforeTheCommit() throws Exception {
        byte[] content = randomBytes(CHUNK + 7);
        String wrongSha = sha256Hex(randomBytes(10));

        assertThatThrownBy(() -> client.upload("/a.bin", new ByteArrayInputStream(content),
                SMALL_CHUNKS.withExpectedSha256(wrongSha)))
                .isInstanceOfSatisfying(GranaryException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).isEqualTo("the body's SHA-256 is " + sha256Hex(content)
                            + ", not the expected " + wrongSha);
                });
        String wrongMd5 = java.util.Base64.getEncoder().encodeToString(new byte[16]);
        assertThatThrownBy(() -> client.upload("/a.bin", new ByteArrayInputStream(content),
                SMALL_CHUNKS.withExpectedMd5(wrongMd5)))
                .hasMessageContaining("not the expected " + wrongMd5);
        assertThat(cluster.master.commits).isEmpty();
        assertThat(cluster.master.abandoned).containsExactlyElementsOf(cluster.master.started);

        String md5 = java.util.Base64.getEncoder().encodeToString(
                java.security.MessageDigest.getInstance("MD5").digest(content));
        FileMeta file = client.upload("/a.bin", new ByteArrayInputStream(content),
                SMALL_CHUNKS.withExpectedSha256(sha256Hex(content).toUpperCase()).withExpectedMd5(md5));
        assertThat(file.sha256()).isEqualTo(sha256Hex(content));
    }

    @Test
    void anUploadAskedForItsMd5CommitsItsHexAsTheEtagWithTheMetadata() throws Exception {
        byte[] content = randomBytes(2 * CHUNK + 3);
        String md5Hex = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content));

        FileMeta file = client.upload("/tagged.bin", new ByteArrayInputStream(content),
                SMALL_CHUNKS.withMd5(true).withMetadata(Map.of("color", "blue")));

        assertThat(cluster.master.commits).singleElement()
                .satisfies(commit -> assertThat(commit.getEtag()).isEqualTo(md5Hex));
        assertThat(file.etag()).isEqualTo(md5Hex);
        assertThat(file.metadata()).containsExactly(Map.entry("color", "blue"));
    }

    @Test
    void anUploadCheckingAnExpectedMd5CommitsItAsTheEtagToo() throws Exception {
        byte[] content = randomBytes(100);
        byte[] md5 = MessageDigest.getInstance("MD5").digest(content);

        FileMeta file = client.upload("/checked.bin", new ByteArrayInputStream(content),
                SMALL_CHUNKS.withExpectedMd5(Base64.getEncoder().encodeToString(md5)));

        assertThat(file.etag()).isEqualTo(HexFormat.of().formatHex(md5));
    }

    @Test
    void aNativeUploadWithoutMd5CommitsNoEtag() {
        FileMeta file = client.upload("/plain.bin", new ByteArrayInputStream(randomBytes(100)), SMALL_CHUNKS);

        assertThat(file.etag()).isEmpty();
        assertThat(cluster.master.commits).singleElement().satisfies(commit -> assertThat(commit.getEtag()).isEmpty());
    }

    @Test
    void chunkserversFailingEveryChainAbandonTheUploadWithTheirErrorKind() {
        for (int i = 1; i <= 3; i++) {
            cluster.chunkserver(i).failWrites(Status.RESOURCE_EXHAUSTED.withDescription("disk full"));
        }

        assertThatThrownBy(() -> client.upload("/a.bin", new ByteArrayInputStream(randomBytes(CHUNK)), SMALL_CHUNKS))
                .isInstanceOfSatisfying(GranaryException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.RESOURCE_EXHAUSTED);
                    assertThat(e.getMessage()).startsWith("writing chunk ").contains("cs-3", "disk full");
                });
        assertThat(cluster.master.abandoned).containsExactlyElementsOf(cluster.master.started);
        assertThat(cluster.master.commits).isEmpty();
    }

    @Test
    void aChunkRefusedByABusyChunkserverIsSentAgainUntilItHasRoomAndTheUploadCompletes() {
        byte[] content = randomBytes(2 * CHUNK);
        cluster.chunkserver(1).failWrites(GrpcErrors.toStatus(
                new OverloadedException("cs-1 is busy: 32 chunk writes in progress", Duration.ofMillis(200))), 3);

        FileMeta file = client.upload("/a.bin", new ByteArrayInputStream(content), SMALL_CHUNKS);

        assertThat(file.size()).isEqualTo(content.length);
        assertThat(cluster.master.allocations).as("two chunks, the first sent four times").hasSize(5);
        assertThat(cluster.master.allocations).allSatisfy(allocation ->
                assertThat(allocation.getAvoidChunkserversList()).as("a busy node is not left out").isEmpty());
        CommitUploadRequest commit = cluster.master.commits.get(0);
        assertThat(commit.getChunksList()).extracting(CommittedChunk::getHandle)
                .as("the fourth and fifth handles").containsExactly(0x1003L, 0x1004L);
        assertThat(storedContent(commit)).isEqualTo(content);
    }

    @Test
    void aChunkserverBusyBeyondTheClientsPatienceFailsTheUploadAsOverloadedSoTheCallerMayRetryLater() {
        cluster.chunkserver(1).failWrites(GrpcErrors.toStatus(
                new OverloadedException("cs-1 is busy: 32 chunk writes in progress", Duration.ofSeconds(2))));
        GranaryClient impatient = cluster.client(ClientOptions.defaults().withPieceSizeBytes(PIECE)
                .withBusyPatience(Duration.ofMillis(300)));
        try {
            assertThatThrownBy(() -> impatient.upload("/a.bin", new ByteArrayInputStream(randomBytes(CHUNK)),
                    SMALL_CHUNKS)).isInstanceOfSatisfying(OverloadedException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE);
                        assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(2));
                        assertThat(e.getMessage()).startsWith("writing chunk ").contains("cs-1 is busy");
                    });
            assertThat(cluster.master.allocations).as("sent again while the patience lasted").hasSizeGreaterThan(1);
            assertThat(cluster.master.commits).isEmpty();
        } finally {
            impatient.close();
        }
    }

    @Test
    void withoutPatienceABusyChunkserverFailsTheUploadAtOnce() {
        cluster.chunkserver(1).failWrites(GrpcErrors.toStatus(
                new OverloadedException("cs-1 is busy: 32 chunk writes in progress", Duration.ofSeconds(2))));
        GranaryClient impatient = cluster.client(ClientOptions.defaults().withPieceSizeBytes(PIECE)
                .withBusyPatience(Duration.ZERO));
        try {
            assertThatThrownBy(() -> impatient.upload("/a.bin", new ByteArrayInputStream(randomBytes(CHUNK)),
                    SMALL_CHUNKS)).isInstanceOf(OverloadedException.class);
            assertThat(cluster.master.allocations).hasSize(1);
            assertThat(cluster.master.commits).isEmpty();
        } finally {
            impatient.close();
        }
    }

    @Test
    void chainsThatNeverAnswerTheEndMarkerFailTheUploadWithinADeadlineOfItsSizeAndCommitNothing()
            throws Exception {
        cluster.chunkservers.forEach(FakeChunkServer::neverAnswerWrites); // every chain the retries may try
        GranaryClient impatient = cluster.client(ClientOptions.defaults().withPieceSizeBytes(PIECE)
                .withChunkIdleTimeout(Duration.ofSeconds(1)));
        try {
            CompletableFuture<FileMeta> upload = CompletableFuture.supplyAsync(() -> impatient.upload("/a.bin",
                    new ByteArrayInputStream(randomBytes(CHUNK)), SMALL_CHUNKS));

            assertThatThrownBy(() -> upload.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOfSatisfying(GranaryException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ErrorKind.DEADLINE_EXCEEDED);
                        assertThat(e.getMessage()).contains("did not answer the end of chunk");
                    });
            assertThat(cluster.master.commits).isEmpty();
            assertThat(cluster.master.abandoned).containsExactlyElementsOf(cluster.master.started);
        } finally {
            impatient.close();
        }
    }

    @Test
    void masterRefusingTheCommitAbandonsTheUploadWithItsErrorKind() {
        cluster.master.failCommitWith(Status.FAILED_PRECONDITION.withDescription("/a is a directory"));

        assertThatThrownBy(() -> client.upload("/a", new ByteArrayInputStream(randomBytes(10)), SMALL_CHUNKS))
                .isInstanceOfSatisfying(GranaryException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.FAILED_PRECONDITION);
                    assertThat(e.getMessage()).isEqualTo("/a is a directory");
                });
        assertThat(cluster.master.abandoned).containsExactlyElementsOf(cluster.master.started);
    }

    @Test
    void aCommitWhoseAnswerIsLostIsAskedAgainAndAnswersTheCommittedFile() {
        cluster.master.loseCommitAnswers(1);

        FileMeta file = client.upload("/lost-answer", new ByteArrayInputStream(randomBytes(10)), SMALL_CHUNKS);

        assertThat(file.path()).isEqualTo("/lost-answer");
        assertThat(cluster.master.commitCalls.get()).isEqualTo(2);
        assertThat(cluster.master.abandoned).isEmpty();
    }

    @Test
    void aCommitThatNeverAnswersIsAbandonedAndTheUploadAnswersUnavailableWithNothingChanged() {
        cluster.master.failCommitWith(Status.UNAVAILABLE.withDescription("metadata store (Redis) unavailable"));

        assertThatThrownBy(() -> client.upload("/never", new ByteArrayInputStream(randomBytes(10)), SMALL_CHUNKS))
                .isInstanceOfSatisfying(GranaryException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE);
                    assertThat(e.getMessage()).contains("was abandoned: nothing changed");
                });
        assertThat(cluster.master.commitCalls.get()).isEqualTo(1 + Uploader.SETTLE_ATTEMPTS);
        assertThat(cluster.master.abandoned).containsExactlyElementsOf(cluster.master.started);
    }

    @Test
    void whenNeitherTheCommitNorTheAbandonAnswersTheOutcomeIsUnknown() {
        cluster.master.failCommitWith(Status.DEADLINE_EXCEEDED.withDescription("slow"));
        cluster.master.failAbandonWith(Status.UNAVAILABLE.withDescription("metadata store (Redis) unavailable"));

        assertThatThrownBy(() -> client.upload("/unknown", new ByteArrayInputStream(randomBytes(10)), SMALL_CHUNKS))
                .isInstanceOfSatisfying(UploadOutcomeUnknownException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.DEADLINE_EXCEEDED);
                    assertThat(e.getMessage()).contains("may or may not have been committed");
                });
        assertThat(cluster.master.abandoned).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/../b", "a//b", "/", "./a", "a\u0000b"})
    void invalidPathIsRefusedBeforeAnyCall(String path) {
        assertThatThrownBy(() -> client.upload(path, new ByteArrayInputStream(new byte[1]), SMALL_CHUNKS))
                .hasFieldOrPropertyWithValue("kind", ErrorKind.INVALID_ARGUMENT);
        assertThat(cluster.master.calls.get()).isZero();
    }

    @Test
    void uploadWaitsForFlowControlInsteadOfReadingAheadOfTheChunkserver() {
        FakeChunkServer head = cluster.chunkserver(1);
        head.holdWritesAfter(2); // the header and one piece
        AtomicLong bodyRead = new AtomicLong();
        InputStream body = counting(new ByteArrayInputStream(randomBytes(2 * CHUNK)), bodyRead);
        AtomicReference<Thread> uploader = new AtomicReference<>();

        CompletableFuture<FileMeta> upload = CompletableFuture.supplyAsync(() -> {
            uploader.set(Thread.currentThread());
            return client.upload("/big.bin", body, SMALL_CHUNKS);
        });

        await().until(() -> uploader.get() != null && uploader.get().getState() == Thread.State.TIMED_WAITING);
        assertThat(head.bytesWritten.get()).isEqualTo(PIECE);
        assertThat(bodyRead.get()).isEqualTo(2L * PIECE); // the piece sent and the one waiting for credit
        head.releaseWrites();
        assertThat(upload.join().size()).isEqualTo(2L * CHUNK);
    }

    @Test
    void aChunkStreamsWhileTheOneBeforeItCommitsAndNoFurtherChunkStartsUntilThatCommitIsAnswered() {
        FakeChunkServer head = cluster.chunkserver(1);
        head.holdAnswers(); // every chunk's commit takes until released
        AtomicLong bodyRead = new AtomicLong();
        byte[] content = randomBytes(3 * CHUNK);
        InputStream body = counting(new ByteArrayInputStream(content), bodyRead);
        AtomicReference<Thread> uploader = new AtomicReference<>();

        CompletableFuture<FileMeta> upload = CompletableFuture.supplyAsync(() -> {
            uploader.set(Thread.currentThread());
            return client.upload("/big.bin", body, SMALL_CHUNKS);
        });

        // chunk 1 went whole to its chain while chunk 0's commit was still unanswered; chunk 2 waits for it
        await().until(() -> head.endsReceived.get() == 2 && uploader.get().getState() == Thread.State.TIMED_WAITING);
        assertThat(head.bytesWritten.get()).isEqualTo(2L * CHUNK);
        assertThat(bodyRead.get()).isEqualTo(2L * CHUNK);
        assertThat(cluster.master.commits).isEmpty();

        head.releaseAnswers();

        assertThat(upload.join().size()).isEqualTo(3L * CHUNK);
        assertThat(storedContent(cluster.master.commits.get(0))).isEqualTo(content);
    }

    private byte[] storedContent(CommitUploadRequest commit) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (CommittedChunk chunk : commit.getChunksList()) {
            out.writeBytes(cluster.chunkserver(1).chunks.get(chunk.getHandle()));
            assertThat(cluster.chunkserver(2).chunks.get(chunk.getHandle()))
                    .isEqualTo(cluster.chunkserver(1).chunks.get(chunk.getHandle()));
        }
        return out.toByteArray();
    }

    private static InputStream counting(InputStream in, AtomicLong count) {
        return new FilterInputStream(in) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                count.addAndGet(Math.max(n, 0));
                return n;
            }
        };
    }
}
