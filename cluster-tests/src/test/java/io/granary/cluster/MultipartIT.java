package io.granary.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.granary.client.GranaryClient;
import io.granary.client.UploadOptions;
import io.granary.common.Actor;
import io.granary.common.ByteSize;
import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.granary.common.Multipart;
import io.granary.common.meta.ChunkMeta;
import io.granary.common.meta.FileMeta;
import io.granary.common.meta.MultipartUpload;
import io.granary.common.meta.PartListing;
import io.granary.common.meta.PartMeta;
import io.granary.common.meta.PartRef;
import io.granary.common.meta.UploadListing;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Multipart uploads through the client against a whole cluster (real master on Redis, real
 * chunkservers): parts streamed into chunks, completed without copying, and read back byte for byte.
 */
class MultipartIT {
    static final long CHUNK = 64 * ByteSize.KIB;
    static final Actor ALICE = new Actor("tok_alice", false);
    static final Actor BOB = new Actor("tok_bob", false);
    static final String SHA = "ef".repeat(32);

    @RegisterExtension
    static final MiniGranary cluster = MiniGranary.builder().chunkSize(CHUNK).build();

    private static GranaryClient client() {
        return cluster.client();
    }

    private static MultipartUpload start(String path) {
        return client().startMultipart(path, UploadOptions.defaults().withActor(ALICE).withContentType("video/mp4")
                .withMetadata(Map.of("color", "blue")));
    }

    private static PartMeta put(String uploadId, int number, byte[] content) {
        return client().uploadPart(uploadId, number, new ByteArrayInputStream(content), "", ALICE);
    }

    private static byte[] bytes(long seed, long size) {
        return TestBytes.slice(seed, 0, (int) size);
    }

    private static byte[] download(String path) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        client().download(path, 0, -1, out);
        return out.toByteArray();
    }

    private static byte[] md5(byte[] content) {
        try {
            return MessageDigest.getInstance("MD5").digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** S3's ETag of a multipart upload: the MD5 of the parts' binary MD5s, then the part count. */
    private static String multipartEtag(List<PartMeta> parts) {
        ByteArrayOutputStream concatenated = new ByteArrayOutputStream();
        parts.forEach(p -> concatenated.writeBytes(HexFormat.of().parseHex(p.md5Hex())));
        return HexFormat.of().formatHex(md5(concatenated.toByteArray())) + "-" + parts.size();
    }

    private static FileMeta complete(String uploadId, Actor actor, PartMeta... parts) {
        List<PartRef> refs = Arrays.stream(parts).map(p -> new PartRef(p.partNumber(), p.md5Hex())).toList();
        return client().completeMultipart(uploadId, refs, multipartEtag(List.of(parts)), SHA, CHUNK, actor);
    }

    @Test
    void partsUploadedOutOfOrderAndOnePartTwiceReadBackAsTheChosenBytesInPartOrder() {
        MultipartUpload upload = start("/bucket/videos/cat.mp4");
        byte[] one = bytes(1, 2 * CHUNK + 100);
        byte[] two = bytes(2, CHUNK + 5);
        byte[] three = bytes(3, 7);
        PartMeta partThree = put(upload.uploadId(), 3, three);
        put(upload.uploadId(), 1, bytes(11, 3 * CHUNK));
        PartMeta partTwo = put(upload.uploadId(), 2, two);
        PartMeta partOne = put(upload.uploadId(), 1, one);

        FileMeta file = complete(upload.uploadId(), ALICE, partOne, partTwo, partThree);

        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes(one);
        expected.writeBytes(two);
        expected.writeBytes(three);
        assertThat(download("/bucket/videos/cat.mp4")).isEqualTo(expected.toByteArray());
        FileMeta stat = client().stat("/bucket/videos/cat.mp4");
        assertThat(stat.chunks()).extracting(ChunkMeta::size).containsExactly(CHUNK, CHUNK, 100L, CHUNK, 5L, 7L);
        assertThat(stat.size()).isEqualTo(file.size()).isEqualTo(expected.size());
        assertThat(stat.etag()).isEqualTo(multipartEtag(List.of(partOne, partTwo, partThree))).endsWith("-3");
        assertThat(stat.sha256()).isEqualTo(SHA);
        assertThat(stat.contentType()).isEqualTo("video/mp4");
        assertThat(stat.metadata()).containsExactly(Map.entry("color", "blue"));
        assertThat(stat.owner()).isEqualTo("tok_alice");
        assertThat(partOne.md5Hex()).isEqualTo(HexFormat.of().formatHex(md5(one)));
        assertThat(partOne.size()).isEqualTo(one.length);
        assertThat(client().listMultipartUploads("/bucket/videos/", "", "", 0).uploads()).isEmpty();
        try (InputStream range = client().open(stat, 2 * CHUNK + 90, 20)) {
            assertThat(range.readAllBytes()).isEqualTo(Arrays.copyOfRange(expected.toByteArray(),
                    (int) (2 * CHUNK + 90), (int) (2 * CHUNK + 110)));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aRepeatedCompletionAnswersTheSameFile() {
        MultipartUpload upload = start("/bucket/twice.bin");
        PartMeta part = put(upload.uploadId(), 1, bytes(4, 10));

        FileMeta first = complete(upload.uploadId(), ALICE, part);
        FileMeta again = complete(upload.uploadId(), ALICE, part);

        assertThat(again.inode()).isEqualTo(first.inode());
        assertThat(again.etag()).isEqualTo(first.etag());
        assertThat(download("/bucket/twice.bin")).isEqualTo(bytes(4, 10));
    }

    @Test
    void aCompletionRefusedForItsPartsLeavesNothingVisibleAndTheUploadOpen() {
        MultipartUpload upload = start("/bucket/refused.bin");
        String id = upload.uploadId();
        PartMeta one = put(id, 1, bytes(5, CHUNK));
        PartMeta small = put(id, 2, bytes(6, 10));
        PartMeta last = put(id, 3, bytes(7, 10));
        PartMeta wrongMd5 = new PartMeta(1, one.size(), "00".repeat(16), one.sha256(), one.lastModified());

        assertRefused(() -> complete(id, ALICE, wrongMd5, small), Multipart.INVALID_PART);
        assertRefused(() -> complete(id, ALICE, small, one), Multipart.INVALID_PART_ORDER);
        assertRefused(() -> complete(id, ALICE, one, small, last), Multipart.ENTITY_TOO_SMALL);

        assertKind(() -> client().stat("/bucket/refused.bin"), ErrorKind.NOT_FOUND);
        assertThat(client().listParts(id, 0, 0).parts()).extracting(PartMeta::partNumber).containsExactly(1, 2, 3);
        assertThat(complete(id, ALICE, one, last).size()).isEqualTo(CHUNK + 10);
    }

    @Test
    void aPartWhoseMd5IsNotTheExpectedOneIsNotRecorded() {
        MultipartUpload upload = start("/bucket/checked.bin");
        byte[] content = bytes(8, CHUNK + 3);
        String wrong = Base64.getEncoder().encodeToString(new byte[16]);

        assertThatThrownBy(() -> client().uploadPart(upload.uploadId(), 1, new ByteArrayInputStream(content), wrong,
                ALICE)).isInstanceOfSatisfying(GranaryException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT))
                .hasMessageContaining("not the expected " + wrong);
        assertThat(client().listParts(upload.uploadId(), 0, 0).parts()).isEmpty();

        PartMeta part = client().uploadPart(upload.uploadId(), 1, new ByteArrayInputStream(content),
                Base64.getEncoder().encodeToString(md5(content)), ALICE);
        assertThat(part.sha256()).isEqualTo(TestBytes.sha256(8, CHUNK + 3));
    }

    @Test
    void anAbortedUploadIsGoneAndCannotBeCompleted() {
        MultipartUpload upload = start("/bucket/aborted.bin");
        PartMeta part = put(upload.uploadId(), 1, bytes(9, 100));

        client().abortMultipart(upload.uploadId(), ALICE);
        client().abortMultipart(upload.uploadId(), ALICE);

        assertKind(() -> client().listParts(upload.uploadId(), 0, 0), ErrorKind.NOT_FOUND);
        assertKind(() -> complete(upload.uploadId(), ALICE, part), ErrorKind.FAILED_PRECONDITION);
        assertKind(() -> put(upload.uploadId(), 2, bytes(9, 1)), ErrorKind.NOT_FOUND);
        assertKind(() -> client().stat("/bucket/aborted.bin"), ErrorKind.NOT_FOUND);
    }

    @Test
    void anotherPrincipalCannotAddToCompleteOrAbortAnUpload() {
        MultipartUpload upload = start("/bucket/alice.bin");
        PartMeta part = put(upload.uploadId(), 1, bytes(10, 100));

        assertKind(() -> client().uploadPart(upload.uploadId(), 2, new ByteArrayInputStream(bytes(10, 5)), "", BOB),
                ErrorKind.PERMISSION_DENIED);
        assertKind(() -> complete(upload.uploadId(), BOB, part), ErrorKind.PERMISSION_DENIED);
        assertKind(() -> client().abortMultipart(upload.uploadId(), BOB), ErrorKind.PERMISSION_DENIED);

        assertThat(client().listParts(upload.uploadId(), 0, 0).parts()).extracting(PartMeta::partNumber)
                .containsExactly(1);
        client().abortMultipart(upload.uploadId(), ALICE);
    }

    @Test
    void partsAndUploadsAreListedPageByPage() {
        MultipartUpload a = start("/list/a.bin");
        MultipartUpload b = start("/list/b.bin");
        start("/other/c.bin");
        for (int n = 1; n <= 3; n++) {
            put(a.uploadId(), n, bytes(n, n));
        }

        PartListing firstParts = client().listParts(a.uploadId(), 0, 2);
        PartListing restParts = client().listParts(a.uploadId(), firstParts.nextPartNumber(), 2);
        UploadListing firstUploads = client().listMultipartUploads("/list/", "", "", 1);
        UploadListing restUploads = client().listMultipartUploads("/list/", firstUploads.nextPath(),
                firstUploads.nextUploadId(), 1);

        assertThat(firstParts.parts()).extracting(PartMeta::partNumber).containsExactly(1, 2);
        assertThat(firstParts.truncated()).isTrue();
        assertThat(restParts.parts()).extracting(PartMeta::partNumber).containsExactly(3);
        assertThat(restParts.truncated()).isFalse();
        assertThat(firstParts.upload().path()).isEqualTo("/list/a.bin");
        assertThat(firstParts.upload().owner()).isEqualTo("tok_alice");
        assertThat(firstUploads.uploads()).extracting(MultipartUpload::uploadId).containsExactly(a.uploadId());
        assertThat(firstUploads.truncated()).isTrue();
        assertThat(restUploads.uploads()).extracting(MultipartUpload::uploadId).containsExactly(b.uploadId());
        assertThat(restUploads.truncated()).isFalse();
        assertThat(a.path()).isEqualTo("/list/a.bin");
        assertThat(a.metadata()).containsExactly(Map.entry("color", "blue"));
    }

    @Test
    void aFileUploadedWithItsMd5AndMetadataShowsThemInItsStat() {
        byte[] content = bytes(12, CHUNK + 1);

        client().upload("/bucket/tagged.bin", new ByteArrayInputStream(content),
                UploadOptions.defaults().withMd5(true).withMetadata(Map.of("cache-control", "no-cache")));

        FileMeta file = client().stat("/bucket/tagged.bin");
        assertThat(file.etag()).isEqualTo(HexFormat.of().formatHex(md5(content)));
        assertThat(file.metadata()).containsExactly(Map.entry("cache-control", "no-cache"));
    }

    private static void assertRefused(ThrowingCallable call, String prefix) {
        assertThatThrownBy(call).isInstanceOfSatisfying(GranaryException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.FAILED_PRECONDITION);
            assertThat(e.getMessage()).startsWith(prefix);
        });
    }

    private static void assertKind(ThrowingCallable call, ErrorKind kind) {
        assertThatThrownBy(call).isInstanceOfSatisfying(GranaryException.class,
                e -> assertThat(e.kind()).isEqualTo(kind));
    }
}
