package io.granary.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.granary.client.UploadOptions;
import io.granary.common.ByteSize;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The S3 port against the real AWS SDK for Java v2, with its default signing (chunked, signed
 * payloads with a CRC32 trailer over HTTP), over a whole cluster with a small chunk size so objects
 * cross chunk boundaries.
 */
class S3SdkIT {
    private static final long CHUNK = 256 * ByteSize.KIB;
    private static final long MIB = ByteSize.MIB;

    @RegisterExtension
    static final MiniGranary cluster = MiniGranary.builder().chunkSize(CHUNK).s3().build();

    private static S3Client s3;

    @BeforeAll
    static void connect() {
        s3 = S3Sdk.client(cluster, cluster.s3AccessKey(), cluster.s3SecretKey());
    }

    @AfterAll
    static void close() {
        s3.close();
    }

    private static byte[] bytes(long seed, long size) {
        return TestBytes.slice(seed, 0, (int) size);
    }

    private static String md5(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
    }

    @Test
    void aBucketIsCreatedListedAndDeletedOnlyWhenEmpty() {
        s3.createBucket(b -> b.bucket("lifecycle"));
        assertThat(s3.listBuckets().buckets()).extracting(b -> b.name()).contains("lifecycle");
        s3.headBucket(b -> b.bucket("lifecycle"));
        assertThat(s3.getBucketLocation(b -> b.bucket("lifecycle")).locationConstraintAsString()).isEmpty();
        s3.putObject(b -> b.bucket("lifecycle").key("deep/in/side.txt"), RequestBody.fromString("x"));

        assertThatThrownBy(() -> s3.deleteBucket(b -> b.bucket("lifecycle")))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(409);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("BucketNotEmpty");
                });
        s3.deleteObject(b -> b.bucket("lifecycle").key("deep/in/side.txt"));
        s3.deleteBucket(b -> b.bucket("lifecycle"));
        assertThatThrownBy(() -> s3.headBucket(b -> b.bucket("lifecycle")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(404));
        assertThatThrownBy(() -> s3.getObject(b -> b.bucket("lifecycle").key("x"), (r, in) -> null))
                .isInstanceOfSatisfying(S3Exception.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NoSuchBucket"));
    }

    @Test
    void objectsOfEverySizeComeBackByteForByteWithTheirMetadataAndMd5ETag() throws Exception {
        s3.createBucket(b -> b.bucket("sizes"));
        long[] sizes = {0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * MIB + 17};
        for (long size : sizes) {
            byte[] data = bytes(size, size);
            String key = "dir/object-" + size;
            var put = s3.putObject(b -> b.bucket("sizes").key(key).contentType("application/x-test")
                    .cacheControl("max-age=60").contentDisposition("attachment; filename=\"o.bin\"")
                    .metadata(Map.of("colour", "blue", "size", Long.toString(size))), RequestBody.fromBytes(data));
            assertThat(put.eTag()).isEqualTo('"' + md5(data) + '"');

            ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> b.bucket("sizes").key(key));
            assertThat(got.asByteArray()).as("size %d", size).isEqualTo(data);
            assertThat(got.response().eTag()).isEqualTo(put.eTag());
            assertThat(got.response().contentType()).isEqualTo("application/x-test");
            assertThat(got.response().cacheControl()).isEqualTo("max-age=60");
            assertThat(got.response().contentDisposition()).isEqualTo("attachment; filename=\"o.bin\"");
            assertThat(got.response().metadata()).containsEntry("colour", "blue").containsEntry("size",
                    Long.toString(size));
            HeadObjectResponse head = s3.headObject(b -> b.bucket("sizes").key(key));
            assertThat(head.contentLength()).isEqualTo(size);
        }
    }

    @Test
    void theS3PortAndTheHttpApiShareOneNamespace() throws Exception {
        s3.createBucket(b -> b.bucket("shared"));
        byte[] native1 = bytes(7, 2 * CHUNK + 5);
        cluster.client().upload("shared/from-native.bin", new ByteArrayInputStream(native1), UploadOptions.defaults());
        assertThat(s3.getObjectAsBytes(b -> b.bucket("shared").key("from-native.bin")).asByteArray()).isEqualTo(native1);

        byte[] viaS3 = bytes(8, CHUNK + 3);
        s3.putObject(b -> b.bucket("shared").key("a/from-s3.bin"), RequestBody.fromBytes(viaS3));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        cluster.client().download("shared/a/from-s3.bin", 0, -1, out);
        assertThat(out.toByteArray()).isEqualTo(viaS3);
        assertThat(cluster.client().stat("shared/a/from-s3.bin").etag()).isEqualTo(md5(viaS3));
    }

    @Test
    void rangesConditionsAndResponseOverridesAreHonoured() throws Exception {
        s3.createBucket(b -> b.bucket("ranges"));
        byte[] data = bytes(3, CHUNK * 2);
        String etag = s3.putObject(b -> b.bucket("ranges").key("r"), RequestBody.fromBytes(data)).eTag();

        var part = s3.getObjectAsBytes(b -> b.bucket("ranges").key("r").range("bytes=" + (CHUNK - 10) + "-" + (CHUNK + 9)));
        assertThat(part.asByteArray()).isEqualTo(java.util.Arrays.copyOfRange(data, (int) CHUNK - 10, (int) CHUNK + 10));
        assertThat(part.response().contentRange()).isEqualTo("bytes " + (CHUNK - 10) + "-" + (CHUNK + 9) + "/" + data.length);

        assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket("ranges").key("r").ifNoneMatch(etag)))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(304));
        assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket("ranges").key("r").ifMatch("\"nope\"")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));
        assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket("ranges").key("r").range("bytes=" + data.length + "-")))
                .isInstanceOfSatisfying(S3Exception.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidRange"));

        var overridden = s3.getObjectAsBytes(b -> b.bucket("ranges").key("r").responseContentType("text/plain")
                .responseContentDisposition("inline"));
        assertThat(overridden.response().contentType()).isEqualTo("text/plain");
        assertThat(overridden.response().contentDisposition()).isEqualTo("inline");
    }

    @Test
    void listingsPageThroughEveryKeyInS3sByteOrder() {
        s3.createBucket(b -> b.bucket("listing"));
        List<String> keys = List.of("a-b", "a/x", "a/y/z", "a.txt", "a0", "b", "c/é", "c/e");
        for (String key : keys) {
            s3.putObject(b -> b.bucket("listing").key(key), RequestBody.fromString(key));
        }
        List<String> seen = new ArrayList<>();
        String token = null;
        do {
            String t = token;
            ListObjectsV2Response page = s3.listObjectsV2(b -> b.bucket("listing").maxKeys(3).continuationToken(t));
            page.contents().stream().map(S3Object::key).forEach(seen::add);
            assertThat(page.contents()).allSatisfy(o -> assertThat(o.size())
                    .isEqualTo(o.key().getBytes(StandardCharsets.UTF_8).length));
            token = page.nextContinuationToken();
        } while (token != null);
        assertThat(seen).containsExactlyElementsOf(new TreeSet<>(keys));

        var grouped = s3.listObjectsV2(b -> b.bucket("listing").delimiter("/"));
        assertThat(grouped.contents()).extracting(S3Object::key).containsExactly("a-b", "a.txt", "a0", "b");
        assertThat(grouped.commonPrefixes()).extracting(p -> p.prefix()).containsExactly("a/", "c/");
        var underA = s3.listObjectsV2(b -> b.bucket("listing").prefix("a/").delimiter("/"));
        assertThat(underA.contents()).extracting(S3Object::key).containsExactly("a/x");
        assertThat(underA.commonPrefixes()).extracting(p -> p.prefix()).containsExactly("a/y/");

        var v1 = s3.listObjects(b -> b.bucket("listing").marker("a0"));
        assertThat(v1.contents()).extracting(S3Object::key).containsExactly("b", "c/e", "c/é");
    }

    @Test
    void aListingShowsEachObjectsETagAsHeadObjectDoesWhateverWroteIt() throws Exception {
        s3.createBucket(b -> b.bucket("etags"));
        byte[] single = bytes(41, CHUNK + 9);
        s3.putObject(b -> b.bucket("etags").key("single"), RequestBody.fromBytes(single));
        String id = s3.createMultipartUpload(b -> b.bucket("etags").key("dir/multipart")).uploadId();
        String e1 = s3.uploadPart(b -> b.bucket("etags").key("dir/multipart").uploadId(id).partNumber(1),
                RequestBody.fromBytes(bytes(42, 5 * MIB))).eTag();
        String e2 = s3.uploadPart(b -> b.bucket("etags").key("dir/multipart").uploadId(id).partNumber(2),
                RequestBody.fromBytes(bytes(43, 10))).eTag();
        s3.completeMultipartUpload(b -> b.bucket("etags").key("dir/multipart").uploadId(id)
                .multipartUpload(m -> m.parts(part(1, e1), part(2, e2))));
        cluster.client().upload("etags/native", new ByteArrayInputStream(bytes(44, 100)), UploadOptions.defaults());
        String nativeSha = cluster.client().stat("etags/native").sha256();

        Map<String, String> listed = new java.util.TreeMap<>();
        String token = null;
        do {
            String t = token;
            ListObjectsV2Response page = s3.listObjectsV2(b -> b.bucket("etags").maxKeys(2).continuationToken(t));
            page.contents().forEach(o -> listed.put(o.key(), o.eTag()));
            token = page.nextContinuationToken();
        } while (token != null);

        assertThat(listed).containsOnlyKeys("dir/multipart", "native", "single");
        assertThat(listed.get("single")).isEqualTo('"' + md5(single) + '"');
        assertThat(listed.get("dir/multipart")).matches("\"[0-9a-f]{32}-2\"");
        assertThat(listed.get("native")).isEqualTo('"' + nativeSha.substring(0, 32) + "-1\"");
        listed.forEach((key, etag) -> assertThat(etag).as(key)
                .isEqualTo(s3.headObject(b -> b.bucket("etags").key(key)).eTag()));
        assertThat(s3.listObjects(b -> b.bucket("etags").prefix("dir/")).contents())
                .extracting(S3Object::key, S3Object::eTag)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("dir/multipart", listed.get("dir/multipart")));
    }

    @Test
    void aCopyWhoseSourceConditionsFailIsPreconditionFailedAndCopiesNothing() {
        s3.createBucket(b -> b.bucket("guarded"));
        byte[] data = bytes(12, 1000);
        String etag = s3.putObject(b -> b.bucket("guarded").key("src"), RequestBody.fromBytes(data)).eTag();
        String created = s3.createMultipartUpload(b -> b.bucket("guarded").key("parts")).uploadId();

        assertThatThrownBy(() -> s3.copyObject(b -> b.sourceBucket("guarded").sourceKey("src")
                .destinationBucket("guarded").destinationKey("stale").copySourceIfMatch("\"0123456789abcdef0123456789abcdef\"")))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(412);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("PreconditionFailed");
                });
        assertThatThrownBy(() -> s3.copyObject(b -> b.sourceBucket("guarded").sourceKey("src")
                .destinationBucket("guarded").destinationKey("same").copySourceIfNoneMatch(etag)))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));
        assertThatThrownBy(() -> s3.uploadPartCopy(b -> b.sourceBucket("guarded").sourceKey("src")
                .destinationBucket("guarded").destinationKey("parts").uploadId(created).partNumber(1)
                .copySourceIfModifiedSince(Instant.now().plusSeconds(3600))))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));
        assertThat(s3.listObjectsV2(b -> b.bucket("guarded")).contents()).extracting(o -> o.key())
                .containsExactly("src");
        assertThat(s3.listParts(b -> b.bucket("guarded").key("parts").uploadId(created)).parts()).isEmpty();

        s3.copyObject(b -> b.sourceBucket("guarded").sourceKey("src").destinationBucket("guarded")
                .destinationKey("fresh").copySourceIfMatch(etag));
        assertThat(s3.getObjectAsBytes(b -> b.bucket("guarded").key("fresh")).asByteArray()).isEqualTo(data);
        s3.abortMultipartUpload(b -> b.bucket("guarded").key("parts").uploadId(created));
    }

    @Test
    void deleteObjectsAndServerSideCopyWork() throws Exception {
        s3.createBucket(b -> b.bucket("copies"));
        byte[] data = bytes(11, CHUNK + 100);
        s3.putObject(b -> b.bucket("copies").key("src").metadata(Map.of("k", "v")).contentType("image/png"),
                RequestBody.fromBytes(data));
        var copied = s3.copyObject(b -> b.sourceBucket("copies").sourceKey("src").destinationBucket("copies")
                .destinationKey("dst/copy"));
        assertThat(copied.copyObjectResult().eTag()).isEqualTo('"' + md5(data) + '"');
        var got = s3.getObjectAsBytes(b -> b.bucket("copies").key("dst/copy"));
        assertThat(got.asByteArray()).isEqualTo(data);
        assertThat(got.response().metadata()).containsEntry("k", "v");
        assertThat(got.response().contentType()).isEqualTo("image/png");

        s3.copyObject(b -> b.sourceBucket("copies").sourceKey("src").destinationBucket("copies").destinationKey("src")
                .metadataDirective(MetadataDirective.REPLACE).metadata(Map.of("k", "w")));
        assertThat(s3.headObject(b -> b.bucket("copies").key("src")).metadata()).containsEntry("k", "w");

        var deleted = s3.deleteObjects(b -> b.bucket("copies").delete(d -> d.objects(
                o -> o.key("src"), o -> o.key("dst/copy"), o -> o.key("never-was"))));
        assertThat(deleted.deleted()).extracting(d -> d.key()).containsExactlyInAnyOrder("src", "dst/copy", "never-was");
        assertThat(s3.listObjectsV2(b -> b.bucket("copies")).contents()).isEmpty();
        assertThat(s3.listObjectsV2(b -> b.bucket("copies").delimiter("/")).commonPrefixes())
                .as("a prefix goes with its last object").isEmpty();
    }

    @Test
    void aMultipartUploadCompletesFromPartsSentOutOfOrderAndOnceAgain() throws Exception {
        s3.createBucket(b -> b.bucket("multi"));
        byte[] p1 = bytes(21, 5 * MIB);
        byte[] p2 = bytes(22, 5 * MIB + 3);
        byte[] p3 = bytes(23, MIB);
        String id = s3.createMultipartUpload(b -> b.bucket("multi").key("big.bin").metadata(Map.of("m", "1")))
                .uploadId();
        String e3 = s3.uploadPart(b -> b.bucket("multi").key("big.bin").uploadId(id).partNumber(3),
                RequestBody.fromBytes(p3)).eTag();
        s3.uploadPart(b -> b.bucket("multi").key("big.bin").uploadId(id).partNumber(1),
                RequestBody.fromBytes(bytes(99, 5 * MIB)));
        String e1 = s3.uploadPart(b -> b.bucket("multi").key("big.bin").uploadId(id).partNumber(1),
                RequestBody.fromBytes(p1)).eTag();
        String e2 = s3.uploadPart(b -> b.bucket("multi").key("big.bin").uploadId(id).partNumber(2),
                RequestBody.fromBytes(p2)).eTag();
        assertThat(s3.listParts(b -> b.bucket("multi").key("big.bin").uploadId(id)).parts())
                .extracting(p -> p.partNumber(), p -> p.eTag())
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, e1), org.assertj.core.groups.Tuple.tuple(2, e2),
                        org.assertj.core.groups.Tuple.tuple(3, e3));
        assertThat(s3.listMultipartUploads(b -> b.bucket("multi")).uploads()).extracting(u -> u.uploadId()).contains(id);
        assertThatThrownBy(() -> s3.headObject(b -> b.bucket("multi").key("big.bin")))
                .as("nothing is visible before completion").isInstanceOf(S3Exception.class);

        var done = s3.completeMultipartUpload(b -> b.bucket("multi").key("big.bin").uploadId(id).multipartUpload(
                m -> m.parts(part(1, e1), part(2, e2), part(3, e3))));
        assertThat(done.eTag()).endsWith("-3\"");
        byte[] whole = s3.getObjectAsBytes(b -> b.bucket("multi").key("big.bin")).asByteArray();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(p1);
        expected.write(p2);
        expected.write(p3);
        assertThat(whole).isEqualTo(expected.toByteArray());
        assertThat(s3.headObject(b -> b.bucket("multi").key("big.bin")).metadata()).containsEntry("m", "1");
        assertThat(s3.listMultipartUploads(b -> b.bucket("multi")).uploads()).isEmpty();
    }

    @Test
    void anInterruptedMultipartUploadIsResumedBySendingOnlyTheMissingParts() {
        s3.createBucket(b -> b.bucket("resume"));
        byte[] p1 = bytes(31, 5 * MIB);
        byte[] p2 = bytes(32, 2 * MIB);
        String id = s3.createMultipartUpload(b -> b.bucket("resume").key("r.bin")).uploadId();
        s3.uploadPart(b -> b.bucket("resume").key("r.bin").uploadId(id).partNumber(1), RequestBody.fromBytes(p1));
        // the first client is gone; a new one finds the upload and what it holds
        try (S3Client again = S3Sdk.client(cluster, cluster.s3AccessKey(), cluster.s3SecretKey())) {
            var upload = again.listMultipartUploads(b -> b.bucket("resume")).uploads().get(0);
            assertThat(upload.key()).isEqualTo("r.bin");
            var held = again.listParts(b -> b.bucket("resume").key("r.bin").uploadId(upload.uploadId())).parts();
            assertThat(held).extracting(p -> p.partNumber()).containsExactly(1);
            String e2 = again.uploadPart(b -> b.bucket("resume").key("r.bin").uploadId(id).partNumber(2),
                    RequestBody.fromBytes(p2)).eTag();
            again.completeMultipartUpload(b -> b.bucket("resume").key("r.bin").uploadId(id).multipartUpload(
                    m -> m.parts(part(1, held.get(0).eTag()), part(2, e2))));
            byte[] whole = again.getObjectAsBytes(b -> b.bucket("resume").key("r.bin")).asByteArray();
            assertThat(whole).hasSize(p1.length + p2.length);
            assertThat(java.util.Arrays.copyOfRange(whole, p1.length, whole.length)).isEqualTo(p2);
        }
    }

    @Test
    void badMultipartCompletionsAreRefusedWithS3sCodesAndLeaveNothing() {
        s3.createBucket(b -> b.bucket("badmulti"));
        String id = s3.createMultipartUpload(b -> b.bucket("badmulti").key("k")).uploadId();
        String e1 = s3.uploadPart(b -> b.bucket("badmulti").key("k").uploadId(id).partNumber(1),
                RequestBody.fromBytes(bytes(41, MIB))).eTag();
        String e2 = s3.uploadPart(b -> b.bucket("badmulti").key("k").uploadId(id).partNumber(2),
                RequestBody.fromBytes(bytes(42, MIB))).eTag();
        assertThat(code(() -> s3.completeMultipartUpload(b -> b.bucket("badmulti").key("k").uploadId(id)
                .multipartUpload(m -> m.parts(part(1, e1), part(2, e2)))))).isEqualTo("EntityTooSmall");
        assertThat(code(() -> s3.completeMultipartUpload(b -> b.bucket("badmulti").key("k").uploadId(id)
                .multipartUpload(m -> m.parts(part(2, e2), part(1, e1)))))).isEqualTo("InvalidPartOrder");
        assertThat(code(() -> s3.completeMultipartUpload(b -> b.bucket("badmulti").key("k").uploadId(id)
                .multipartUpload(m -> m.parts(part(1, e2)))))).isEqualTo("InvalidPart");
        assertThat(code(() -> s3.headObject(b -> b.bucket("badmulti").key("k")))).isEqualTo("NoSuchKey");

        s3.abortMultipartUpload(b -> b.bucket("badmulti").key("k").uploadId(id));
        assertThat(code(() -> s3.listParts(b -> b.bucket("badmulti").key("k").uploadId(id)))).isEqualTo("NoSuchUpload");
    }

    @Test
    void uploadPartCopyBuildsAnObjectFromRangesOfAnotherWithoutTheClientSendingThem() throws Exception {
        s3.createBucket(b -> b.bucket("partcopy"));
        byte[] source = bytes(51, 6 * MIB + 123);
        s3.putObject(b -> b.bucket("partcopy").key("source"), RequestBody.fromBytes(source));
        String id = s3.createMultipartUpload(b -> b.bucket("partcopy").key("assembled")).uploadId();
        long split = 5 * MIB;
        String e1 = s3.uploadPartCopy(b -> b.sourceBucket("partcopy").sourceKey("source").destinationBucket("partcopy")
                .destinationKey("assembled").uploadId(id).partNumber(1).copySourceRange("bytes=0-" + (split - 1)))
                .copyPartResult().eTag();
        String e2 = s3.uploadPartCopy(b -> b.sourceBucket("partcopy").sourceKey("source").destinationBucket("partcopy")
                .destinationKey("assembled").uploadId(id).partNumber(2)
                .copySourceRange("bytes=" + split + "-" + (source.length - 1)))
                .copyPartResult().eTag();
        s3.completeMultipartUpload(b -> b.bucket("partcopy").key("assembled").uploadId(id).multipartUpload(
                m -> m.parts(part(1, e1), part(2, e2))));
        assertThat(s3.getObjectAsBytes(b -> b.bucket("partcopy").key("assembled")).asByteArray()).isEqualTo(source);
    }

    @Test
    void aWrongChecksumHeaderIsABadDigestAndStoresNothing() {
        s3.createBucket(b -> b.bucket("checksums"));
        assertThat(code(() -> s3.putObject(b -> b.bucket("checksums").key("crc").checksumCRC32("AAAAAA=="),
                RequestBody.fromString("some bytes")))).isEqualTo("BadDigest");
        assertThat(s3.listObjectsV2(b -> b.bucket("checksums")).contents()).isEmpty();
        s3.putObject(b -> b.bucket("checksums").key("crc").checksumAlgorithm(ChecksumAlgorithm.SHA256),
                RequestBody.fromString("some bytes"));
        assertThat(s3.getObjectAsBytes(b -> b.bucket("checksums").key("crc")).asUtf8String()).isEqualTo("some bytes");
    }

    @Test
    void badRequestsGetS3sErrorsAndStoreNothing() throws Exception {
        s3.createBucket(b -> b.bucket("bad"));
        try (S3Client wrong = S3Sdk.client(cluster, cluster.s3AccessKey(), "not-the-secret-at-all-0000000000")) {
            assertThat(code(() -> wrong.putObject(b -> b.bucket("bad").key("w"), RequestBody.fromString("x"))))
                    .isEqualTo("SignatureDoesNotMatch");
        }
        try (S3Client unknown = S3Sdk.client(cluster, "GKUNKNOWNKEY00000000", "whatever-secret-0000000000000")) {
            assertThat(code(() -> unknown.listBuckets())).isEqualTo("InvalidAccessKeyId");
        }
        assertThat(code(() -> s3.putObject(b -> b.bucket("bad").key("md5").contentMD5("1B2M2Y8AsgTpgAmY7PhCfg=="),
                RequestBody.fromString("not empty")))).isEqualTo("BadDigest");
        assertThat(code(() -> s3.putObject(b -> b.bucket("bad").key("k".repeat(2000)), RequestBody.fromString("x"))))
                .isEqualTo("KeyTooLongError");
        assertThat(code(() -> s3.putObject(b -> b.bucket("bad").key("a//b"), RequestBody.fromString("x"))))
                .isEqualTo("InvalidArgument");
        s3.putObject(b -> b.bucket("bad").key("file"), RequestBody.fromString("x"));
        assertThat(code(() -> s3.putObject(b -> b.bucket("bad").key("file/below"), RequestBody.fromString("x"))))
                .isEqualTo("KeyConflict");

        // a body shorter than its Content-Length: the connection ends, nothing becomes visible
        URL url;
        try (S3Presigner presigner = S3Sdk.presigner(cluster)) {
            url = presigner.presignPutObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                    .putObjectRequest(b -> b.bucket("bad").key("short"))).url();
        }
        try (Socket socket = new Socket(url.getHost(), url.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("PUT " + url.getFile() + " HTTP/1.1\r\nHost: " + url.getHost() + ":" + url.getPort()
                    + "\r\nContent-Length: 1000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[1000]);
            out.flush();
            socket.shutdownOutput();
            socket.getInputStream().readAllBytes();
        }
        assertThat(s3.listObjectsV2(b -> b.bucket("bad")).contents()).extracting(S3Object::key).containsExactly("file");
    }

    @Test
    void presignedUrlsAllowTheirOneRequestUntilTheyExpire() throws Exception {
        s3.createBucket(b -> b.bucket("presign"));
        S3Presigner presigner = S3Sdk.presigner(cluster);
        URL put = presigner.presignPutObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                .putObjectRequest(b -> b.bucket("presign").key("p.txt"))).url();
        HttpURLConnection upload = (HttpURLConnection) put.openConnection();
        upload.setRequestMethod("PUT");
        upload.setDoOutput(true);
        upload.getOutputStream().write("presigned".getBytes(StandardCharsets.UTF_8));
        assertThat(upload.getResponseCode()).isEqualTo(200);

        URL get = presigner.presignGetObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                .getObjectRequest(b -> b.bucket("presign").key("p.txt"))).url();
        try (InputStream in = get.openStream()) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("presigned");
        }
        URL tooLong = new URL(get.toString().replaceFirst("X-Amz-Expires=\\d+", "X-Amz-Expires=700000"));
        assertThat(((HttpURLConnection) tooLong.openConnection()).getResponseCode()).isIn(400, 403);

        URL shortLived = presigner.presignGetObject(p -> p.signatureDuration(Duration.ofSeconds(1))
                .getObjectRequest(b -> b.bucket("presign").key("p.txt"))).url();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> ((HttpURLConnection) shortLived.openConnection()).getResponseCode() == 403);
        presigner.close();
    }

    @Test
    void aPublicObjectIsReadableWithoutASignatureAndAPrivateOneIsNot() throws Exception {
        s3.createBucket(b -> b.bucket("anon"));
        s3.putObject(b -> b.bucket("anon").key("open.txt").acl(ObjectCannedACL.PUBLIC_READ), RequestBody.fromString("hi"));
        s3.putObject(b -> b.bucket("anon").key("closed.txt"), RequestBody.fromString("secret"));
        try (InputStream in = new URL(cluster.s3Endpoint() + "/anon/open.txt").openStream()) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hi");
        }
        HttpURLConnection closed = (HttpURLConnection) new URL(cluster.s3Endpoint() + "/anon/closed.txt").openConnection();
        assertThat(closed.getResponseCode()).isEqualTo(403);
        assertThat(new String(closed.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).contains("<Code>AccessDenied</Code>")
                .doesNotContain("Exception");
        HttpURLConnection list = (HttpURLConnection) new URL(cluster.s3Endpoint() + "/anon").openConnection();
        assertThat(list.getResponseCode()).isEqualTo(403);
    }

    private static CompletedPart part(int number, String etag) {
        return CompletedPart.builder().partNumber(number).eTag(etag).build();
    }

    /** The S3 error code a call fails with, or its status when it has none (a HEAD). */
    private static String code(Runnable call) {
        try {
            call.run();
        } catch (S3Exception e) {
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            return code == null || code.isEmpty() ? Integer.toString(e.statusCode()) : code;
        }
        throw new AssertionError("the call succeeded");
    }
}
