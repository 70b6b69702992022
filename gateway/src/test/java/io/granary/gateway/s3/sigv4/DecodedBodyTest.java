package io.granary.gateway.s3.sigv4;

import static io.granary.gateway.s3.sigv4.Bodies.SDK_CHUNK;
import static io.granary.gateway.s3.sigv4.Bodies.readAll;
import static io.granary.gateway.s3.sigv4.SdkSigning.CLOCK;
import static io.granary.gateway.s3.sigv4.SdkSigning.LOOKUP;
import static io.granary.gateway.s3.sigv4.SdkSigning.signBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.granary.gateway.s3.protocol.S3ErrorCode;
import io.granary.gateway.s3.protocol.S3Exception;
import io.granary.gateway.s3.sigv4.SdkSigning.Signed;
import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;

class DecodedBodyTest {
    private static final int[] SIZES = {0, 1, 64 * 1024, SDK_CHUNK, SDK_CHUNK + 1, 3 * 1024 * 1024 + 5};
    private static final List<ChecksumAlgorithm> FLEXIBLE = List.of(ChecksumAlgorithm.CRC32, ChecksumAlgorithm.CRC32C,
            ChecksumAlgorithm.SHA1, ChecksumAlgorithm.SHA256, ChecksumAlgorithm.CRC64NVME);
    private final SigV4Verifier verifier = new SigV4Verifier(CLOCK);

    static Stream<Arguments> everyModeAndSize() {
        List<Arguments> cases = new ArrayList<>();
        for (int size : SIZES) {
            cases.add(Arguments.of(PayloadMode.SIGNED_HEX, size, null));
            cases.add(Arguments.of(PayloadMode.UNSIGNED, size, null));
            cases.add(Arguments.of(PayloadMode.STREAMING_SIGNED, size, null));
            cases.add(Arguments.of(PayloadMode.STREAMING_SIGNED_TRAILER, size, ChecksumAlgorithm.CRC32));
            cases.add(Arguments.of(PayloadMode.STREAMING_UNSIGNED_TRAILER, size, ChecksumAlgorithm.CRC32C));
        }
        return cases.stream();
    }

    static Stream<Arguments> everyTrailerModeAndChecksum() {
        List<Arguments> cases = new ArrayList<>();
        for (ChecksumAlgorithm algorithm : FLEXIBLE) {
            for (int size : new int[] {0, 1, SDK_CHUNK + 1}) {
                cases.add(Arguments.of(PayloadMode.STREAMING_SIGNED_TRAILER, size, algorithm));
                cases.add(Arguments.of(PayloadMode.STREAMING_UNSIGNED_TRAILER, size, algorithm));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}, {1} bytes, {2}")
    @MethodSource({"everyModeAndSize", "everyTrailerModeAndChecksum"})
    void aBodySentByTheSdkDecodesToTheOriginalBytes(PayloadMode mode, int size, ChecksumAlgorithm checksum)
            throws Exception {
        byte[] original = Bodies.random(size);
        Signed signed = signBody(mode, original, checksum == null ? null : Bodies.sdkAlgorithm(checksum));
        VerifiedRequest verified = verifier.verify(signed.request(), LOOKUP);

        DecodedBody body = DecodedBody.decodedBody(signed.bodyStream(), signed.request(), verified, true);

        assertThat(verified.payloadMode()).isEqualTo(mode);
        assertThat(readAll(body)).isEqualTo(original);
        assertThat(body.complete()).isTrue();
        assertThat(body.failure()).isEmpty();
        assertThat(body.decodedLength()).isEqualTo(size);
        assertThat(body.md5Hex())
                .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(original)));
        assertThat(body.checksums()).isEqualTo(checksum == null ? Map.of()
                : Map.of(checksum, Bodies.sdkChecksum(checksum, original)));
    }

    @Test
    void aChecksumHeaderIsCheckedAndReported() throws Exception {
        byte[] original = Bodies.random(5000);
        Signed signed = signWithHeader("x-amz-checksum-crc64nvme",
                Bodies.sdkChecksum(ChecksumAlgorithm.CRC64NVME, original), original);
        DecodedBody body = decoded(signed);

        assertThat(readAll(body)).isEqualTo(original);
        assertThat(body.checksums()).containsOnlyKeys(ChecksumAlgorithm.CRC64NVME);
    }

    @Test
    void aWrongContentMd5IsABadDigestAtTheEnd() throws Exception {
        Signed signed = signWithHeader("Content-MD5", md5Base64(Bodies.random(10)), Bodies.random(1000));
        DecodedBody body = decoded(signed);

        assertBodyFails(body, S3ErrorCode.BAD_DIGEST, "The Content-MD5 you specified did not match what we received.");
    }

    @Test
    void aRightContentMd5Passes() throws Exception {
        byte[] original = Bodies.random(1000);
        DecodedBody body = decoded(signWithHeader("Content-MD5", md5Base64(original), original));

        assertThat(readAll(body)).isEqualTo(original);
    }

    @Test
    void aMalformedContentMd5IsRefusedBeforeReading() {
        Signed signed = signWithHeader("Content-MD5", "not-an-md5", Bodies.random(10));
        VerifiedRequest verified = verifier.verify(signed.request(), LOOKUP);

        assertRefused(signed, verified, S3ErrorCode.INVALID_DIGEST);
    }

    @Test
    void aWrongChecksumHeaderIsABadDigestAtTheEnd() throws Exception {
        Signed signed = signWithHeader("x-amz-checksum-crc32", Bodies.sdkChecksum(ChecksumAlgorithm.CRC32, new byte[3]),
                Bodies.random(70_000));

        assertBodyFails(decoded(signed), S3ErrorCode.BAD_DIGEST,
                "The CRC32 you specified did not match the calculated checksum.");
    }

    @Test
    void aMalformedChecksumHeaderIsRefusedBeforeReading() {
        Signed signed = signWithHeader("x-amz-checksum-sha256", "AAAA", Bodies.random(10));

        assertRefused(signed, verifier.verify(signed.request(), LOOKUP), S3ErrorCode.INVALID_REQUEST);
    }

    @Test
    void aBodyOtherThanTheSignedSha256IsAContentSha256Mismatch() throws Exception {
        Signed signed = signBody(PayloadMode.SIGNED_HEX, Bodies.random(2000), null);
        VerifiedRequest verified = verifier.verify(signed.request(), LOOKUP);
        byte[] other = signed.body().clone();
        other[1234] ^= 1;

        DecodedBody body = DecodedBody.decodedBody(new ByteArrayInputStream(other), signed.request(), verified, false);

        assertBodyFails(body, S3ErrorCode.X_AMZ_CONTENT_SHA256_MISMATCH, null);
    }

    @Test
    void aChecksumHeaderBesideATrailerIsRefused() {
        Signed signed = signBody(PayloadMode.STREAMING_UNSIGNED_TRAILER, Bodies.random(10),
                Bodies.sdkAlgorithm(ChecksumAlgorithm.CRC32));
        VerifiedRequest verified = verifier.verify(signed.request(), LOOKUP);
        SignedRequest both = SigV4VerifierTest.withHeader(signed.request(), "x-amz-checksum-sha1",
                Bodies.sdkChecksum(ChecksumAlgorithm.SHA1, new byte[0]));

        assertRefused(new Signed(both, signed.body()), verified, S3ErrorCode.INVALID_REQUEST);
    }

    @Test
    void aStreamingBodyWithoutDecodedLengthIsRefused() {
        Signed signed = signBody(PayloadMode.STREAMING_SIGNED, Bodies.random(10), null);
        VerifiedRequest verified = verifier.verify(signed.request(), LOOKUP);

        assertRefused(new Signed(SigV4VerifierTest.without(signed.request(), "x-amz-decoded-content-length"),
                signed.body()), verified, S3ErrorCode.MISSING_CONTENT_LENGTH);
    }

    @Test
    void anUnsupportedTrailerIsRefused() {
        Signed signed = signBody(PayloadMode.STREAMING_UNSIGNED_TRAILER, Bodies.random(10),
                Bodies.sdkAlgorithm(ChecksumAlgorithm.CRC32));
        VerifiedRequest verified = verifier.verify(signed.request(), LOOKUP);

        assertRefused(new Signed(SigV4VerifierTest.withHeader(signed.request(), "x-amz-trailer", "x-amz-meta-late"),
                signed.body()), verified, S3ErrorCode.INVALID_REQUEST);
    }

    @Test
    void theMd5IsUnknownBeforeTheEnd() throws Exception {
        Signed signed = signBody(PayloadMode.UNSIGNED, Bodies.random(100), null);
        DecodedBody body = decoded(signed);
        body.read(new byte[10]);

        assertThatThrownBy(body::md5Hex).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(body::checksums).isInstanceOf(IllegalStateException.class);
    }

    private Signed signWithHeader(String name, String value, byte[] payload) {
        return SdkSigning.sign(SdkSigning.http(SdkHttpMethod.PUT, "https://localhost:9000/bucket/object")
                .putHeader(name, value), payload, r -> r.putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false));
    }

    private DecodedBody decoded(Signed signed) {
        VerifiedRequest verified = verifier.verify(signed.request(), LOOKUP);
        return DecodedBody.decodedBody(signed.bodyStream(), signed.request(), verified, false);
    }

    private static String md5Base64(byte[] data) throws Exception {
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(data));
    }

    private static void assertRefused(Signed signed, VerifiedRequest verified, S3ErrorCode code) {
        assertThatThrownBy(() -> DecodedBody.decodedBody(signed.bodyStream(), signed.request(), verified, false))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.code()).isEqualTo(code));
    }

    /** Reading {@code body} fails with {@code code} instead of reaching end of stream, and the failure is kept. */
    static void assertBodyFails(DecodedBody body, S3ErrorCode code, String message) {
        assertThatThrownBy(() -> readAll(body)).isInstanceOfSatisfying(S3BodyException.class, e -> {
            assertThat(e.failure().code()).isEqualTo(code);
            if (message != null) {
                assertThat(e.failure().getMessage()).isEqualTo(message);
            }
        });
        assertThat(body.failure()).hasValueSatisfying(failure -> assertThat(failure.code()).isEqualTo(code));
        assertThat(body.complete()).isFalse();
        assertThatThrownBy(body::read).isInstanceOf(S3BodyException.class);
    }
}
