package io.granary.gateway.s3.sigv4;

import static io.granary.gateway.s3.sigv4.Bodies.SDK_CHUNK;
import static io.granary.gateway.s3.sigv4.Bodies.readAll;
import static io.granary.gateway.s3.sigv4.SdkSigning.CLOCK;
import static io.granary.gateway.s3.sigv4.SdkSigning.LOOKUP;
import static io.granary.gateway.s3.sigv4.SdkSigning.signBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.granary.gateway.s3.protocol.S3ErrorCode;
import io.granary.gateway.s3.sigv4.SdkSigning.Signed;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AwsChunkedInputStreamTest {
    private static final int THREE_CHUNKS = 2 * SDK_CHUNK + 1000;
    private final SigV4Verifier verifier = new SigV4Verifier(CLOCK);

    @Test
    void aFlippedByteInChunkTwoFailsWhenChunkTwoEndsBeforeAnyEndOfStream() throws IOException {
        Signed signed = signBody(PayloadMode.STREAMING_SIGNED, Bodies.random(THREE_CHUNKS), null);
        byte[] tampered = signed.body().clone();
        tampered[Bodies.chunkDataStart(tampered, 2) + 100] ^= 0x01;
        AwsChunkedInputStream in = chunked(signed, tampered, THREE_CHUNKS, Optional.empty());

        long delivered = 0;
        byte[] buffer = new byte[8192];
        S3BodyException failure = null;
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                delivered += n;
            }
        } catch (S3BodyException e) {
            failure = e;
        }

        assertThat(failure).isNotNull();
        assertThat(failure.failure().code()).isEqualTo(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);
        assertThat(failure.getMessage()).contains("chunk 2");
        assertThat(delivered).isEqualTo(2L * SDK_CHUNK);
        assertThat(in.failure()).contains(failure.failure());
        assertThatThrownBy(in::read).isInstanceOf(S3BodyException.class);
    }

    @Test
    void aFlippedByteUnderAnUnsignedTrailerIsABadDigestBeforeEndOfStream() {
        Signed signed = signBody(PayloadMode.STREAMING_UNSIGNED_TRAILER, Bodies.random(THREE_CHUNKS),
                Bodies.sdkAlgorithm(ChecksumAlgorithm.CRC32C));
        byte[] tampered = signed.body().clone();
        tampered[Bodies.chunkDataStart(tampered, 3) + 7] ^= 0x40;

        assertFails(chunked(signed, tampered, THREE_CHUNKS, Optional.of(ChecksumAlgorithm.CRC32C)),
                S3ErrorCode.BAD_DIGEST);
    }

    @Test
    void aTamperedSignedTrailerFailsItsSignature() {
        byte[] original = Bodies.random(1000);
        Signed signed = signBody(PayloadMode.STREAMING_SIGNED_TRAILER, original,
                Bodies.sdkAlgorithm(ChecksumAlgorithm.SHA1));
        String forged = Bodies.sdkChecksum(ChecksumAlgorithm.SHA1, new byte[1]);
        byte[] tampered = replace(signed.body(), Bodies.sdkChecksum(ChecksumAlgorithm.SHA1, original), forged);

        assertFails(chunked(signed, tampered, 1000, Optional.of(ChecksumAlgorithm.SHA1)),
                S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 90, SDK_CHUNK, SDK_CHUNK + 95, -60, -3, -1})
    void aTruncatedBodyIsIncomplete(int cut) {
        Signed signed = signBody(PayloadMode.STREAMING_SIGNED, Bodies.random(THREE_CHUNKS), null);
        int length = cut > 0 ? cut : signed.body().length + cut;

        assertFails(chunked(signed, Arrays.copyOf(signed.body(), length), THREE_CHUNKS, Optional.empty()),
                S3ErrorCode.INCOMPLETE_BODY);
    }

    @Test
    void bytesAfterTheEndOfTheBodyAreRefused() {
        Signed signed = signBody(PayloadMode.STREAMING_SIGNED, Bodies.random(1000), null);
        byte[] longer = Arrays.copyOf(signed.body(), signed.body().length + 3);

        assertFails(chunked(signed, longer, 1000, Optional.empty()), S3ErrorCode.INVALID_REQUEST);
    }

    @Test
    void fewerBytesThanTheDecodedLengthAreIncomplete() {
        Signed signed = signBody(PayloadMode.STREAMING_SIGNED, Bodies.random(THREE_CHUNKS), null);

        assertFails(chunked(signed, signed.body(), THREE_CHUNKS + 1, Optional.empty()), S3ErrorCode.INCOMPLETE_BODY);
    }

    @Test
    void moreBytesThanTheDecodedLengthFailAtTheChunkThatGoesBeyond() throws IOException {
        Signed signed = signBody(PayloadMode.STREAMING_SIGNED, Bodies.random(THREE_CHUNKS), null);
        AwsChunkedInputStream in = chunked(signed, signed.body(), SDK_CHUNK + 10, Optional.empty());

        assertThat(in.readNBytes(SDK_CHUNK)).hasSize(SDK_CHUNK);
        assertThatThrownBy(in::read).isInstanceOfSatisfying(S3BodyException.class, e -> {
            assertThat(e.failure().code()).isEqualTo(S3ErrorCode.INVALID_REQUEST);
            assertThat(e.getMessage()).contains("x-amz-decoded-content-length");
        });
    }

    @Test
    void aDeclaredTrailerThatIsNotSentIsMalformed() {
        Signed signed = signBody(PayloadMode.STREAMING_UNSIGNED_TRAILER, Bodies.random(10),
                Bodies.sdkAlgorithm(ChecksumAlgorithm.CRC32));

        assertFails(chunked(signed, signed.body(), 10, Optional.of(ChecksumAlgorithm.SHA256)),
                S3ErrorCode.MALFORMED_TRAILER);
    }

    @Test
    void aTrailerThatIsNotDeclaredIsMalformed() {
        Signed signed = signBody(PayloadMode.STREAMING_UNSIGNED_TRAILER, Bodies.random(10),
                Bodies.sdkAlgorithm(ChecksumAlgorithm.CRC32));

        assertFails(chunked(signed, signed.body(), 10, Optional.empty()), S3ErrorCode.MALFORMED_TRAILER);
    }

    @Test
    void aSignedChunkWithoutChunkSignatureIsMalformed() {
        Signed signed = signBody(PayloadMode.STREAMING_SIGNED, Bodies.random(10), null);
        byte[] unsigned = "a\r\n0123456789\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

        assertFails(chunked(signed, unsigned, 10, Optional.empty()), S3ErrorCode.INVALID_REQUEST);
    }

    @Test
    void aChunkSizeOfMoreThanSixteenHexDigitsFailsAtOnce() {
        CountingStream hostile = new CountingStream(repeat("FFFFFFFFFFFFFFFFFFFFFFFF;chunk-signature=0\r\n", 100_000));

        assertFails(unsignedTrailerChunked(hostile), S3ErrorCode.INVALID_REQUEST);
        assertThat(hostile.consumed).isLessThan(16 * 1024);
    }

    @Test
    void aHugeChunkSizeFailsAtOnceWithoutAllocating() {
        CountingStream hostile = new CountingStream(repeat("7FFFFFFFFFFFFFFF\r\n", 100_000));

        assertFails(unsignedTrailerChunked(hostile), S3ErrorCode.INVALID_REQUEST);
        assertThat(hostile.consumed).isLessThan(16 * 1024);
    }

    @Test
    void aChunkHeaderWithoutLineEndFailsAfterItsLimitNotAfterAMebibyte() {
        CountingStream hostile = new CountingStream(repeat("1", 1024 * 1024));

        assertFails(unsignedTrailerChunked(hostile), S3ErrorCode.INVALID_REQUEST);
        assertThat(hostile.consumed).isLessThan(16 * 1024);
    }

    @Test
    void endlessTrailersFailAfterTheirLimit() {
        CountingStream hostile = new CountingStream(new SequenceInputStream(
                new ByteArrayInputStream("0\r\n".getBytes(StandardCharsets.US_ASCII)),
                repeat("x-amz-meta-a:b\r\n", 100_000)));

        assertFails(unsignedTrailerChunked(hostile, 0), S3ErrorCode.MALFORMED_TRAILER);
        assertThat(hostile.consumed).isLessThan(16 * 1024);
    }

    private AwsChunkedInputStream unsignedTrailerChunked(InputStream raw) {
        return unsignedTrailerChunked(raw, 1L << 40);
    }

    private AwsChunkedInputStream unsignedTrailerChunked(InputStream raw, long declaredLength) {
        Signed signed = signBody(PayloadMode.STREAMING_UNSIGNED_TRAILER, new byte[0],
                Bodies.sdkAlgorithm(ChecksumAlgorithm.CRC32));
        return new AwsChunkedInputStream(raw, verifier.verify(signed.request(), LOOKUP), declaredLength,
                Optional.empty());
    }

    private AwsChunkedInputStream chunked(Signed signed, byte[] body, long declaredLength,
            Optional<ChecksumAlgorithm> trailer) {
        VerifiedRequest verified = verifier.verify(signed.request(), LOOKUP);
        return new AwsChunkedInputStream(new ByteArrayInputStream(body), verified, declaredLength, trailer);
    }

    private static void assertFails(AwsChunkedInputStream in, S3ErrorCode code) {
        assertThatThrownBy(() -> readAll(in)).isInstanceOfSatisfying(S3BodyException.class,
                e -> assertThat(e.failure().code()).as(e.getMessage()).isEqualTo(code));
        assertThat(in.failure()).hasValueSatisfying(failure -> assertThat(failure.code()).isEqualTo(code));
    }

    private static InputStream repeat(String line, int times) {
        byte[] bytes = line.getBytes(StandardCharsets.US_ASCII);
        return new InputStream() {
            private long position;

            @Override
            public int read() {
                return position < (long) bytes.length * times ? bytes[(int) (position++ % bytes.length)] : -1;
            }
        };
    }

    private static byte[] replace(byte[] body, String from, String to) {
        String text = new String(body, StandardCharsets.ISO_8859_1);
        assertThat(text).contains(from);
        return text.replace(from, to).getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Counts what the decoder takes from the stream below. */
    private static final class CountingStream extends InputStream {
        private final InputStream in;
        private long consumed;

        CountingStream(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            consumed += b < 0 ? 0 : 1;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            consumed += Math.max(n, 0);
            return n;
        }
    }
}
