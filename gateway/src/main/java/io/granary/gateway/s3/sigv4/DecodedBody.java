package io.granary.gateway.s3.sigv4;

import io.granary.gateway.s3.protocol.S3ErrorCode;
import io.granary.gateway.s3.protocol.S3Exception;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An S3 request's body as the object's bytes, checked while it streams: {@code aws-chunked} decoding
 * with its chunk signatures and trailer for the streaming payload modes, the body's SHA-256 against
 * {@code x-amz-content-sha256} for {@link PayloadMode#SIGNED_HEX}, {@code Content-MD5} and an
 * {@code x-amz-checksum-*} header or trailer. Every failure is an {@link S3BodyException} from
 * {@code read()} before end of stream, so whoever stores the bytes must commit only after reading to
 * end of stream. The MD5 (the ETag of a simple upload) is computed when asked for, so that a caller
 * that computes it elsewhere does not pay for it twice. The caller drops
 * {@code aws-chunked} from the {@code Content-Encoding} it stores.
 *
 * <p>Meant for bodies that are object data (PutObject, UploadPart): an {@code x-amz-checksum-*}
 * header is taken as the checksum of this body, which it is not on CompleteMultipartUpload.
 */
public final class DecodedBody extends InputStream {
    private final ChecksumInputStream checked;
    private final AwsChunkedInputStream chunked;
    private final ChecksumAlgorithm flexibleChecksum;

    private DecodedBody(ChecksumInputStream checked, AwsChunkedInputStream chunked,
            ChecksumAlgorithm flexibleChecksum) {
        this.checked = checked;
        this.chunked = chunked;
        this.flexibleChecksum = flexibleChecksum;
    }

    /**
     * Wraps {@code raw}, the body as received, in the decoders {@code request}'s headers and
     * {@code verified}'s payload mode call for; with {@code computeMd5}, also the body's MD5 ({@link #md5Hex()}).
     *
     * @throws S3Exception at once, before any byte is read, for headers that cannot describe a body:
     *     a streaming body without a valid {@code x-amz-decoded-content-length}, an unsupported
     *     {@code x-amz-trailer}, a malformed {@code Content-MD5} or checksum, or more than one checksum
     */
    public static DecodedBody decodedBody(InputStream raw, SignedRequest request, VerifiedRequest verified,
                                          boolean computeMd5) {
        PayloadMode mode = verified.payloadMode();
        Optional<ChecksumAlgorithm> trailer = trailerChecksum(request, mode);
        List<ExpectedChecksum> expected = new ArrayList<>();
        request.header("content-md5").ifPresent(md5 -> expected.add(ExpectedChecksum.contentMd5(md5)));
        List<ExpectedChecksum> flexible = flexibleChecksumHeaders(request);
        if (flexible.size() + (trailer.isPresent() ? 1 : 0) > 1) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                    "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.");
        }
        expected.addAll(flexible);
        verified.expectedSha256Hex().ifPresent(hex -> expected.add(ExpectedChecksum.contentSha256(hex)));
        AwsChunkedInputStream chunked = mode.streaming()
                ? new AwsChunkedInputStream(raw, verified, decodedContentLength(request), trailer)
                : null;
        ChecksumInputStream checked = new ChecksumInputStream(chunked != null ? chunked : raw, expected,
                computeMd5 ? Set.of(ChecksumAlgorithm.MD5) : Set.of());
        ChecksumAlgorithm flexibleChecksum = flexible.isEmpty() ? trailer.orElse(null) : flexible.get(0).algorithm();
        return new DecodedBody(checked, chunked, flexibleChecksum);
    }

    private static Optional<ChecksumAlgorithm> trailerChecksum(SignedRequest request, PayloadMode mode) {
        Optional<String> declared = request.header("x-amz-trailer");
        if (declared.isEmpty()) {
            return Optional.empty();
        }
        Optional<ChecksumAlgorithm> algorithm = ChecksumAlgorithm.fromHeaderName(declared.get())
                .filter(named -> named != ChecksumAlgorithm.MD5);
        if (!mode.trailer() || algorithm.isEmpty()) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                    "The value specified in the x-amz-trailer header is not supported");
        }
        return algorithm;
    }

    private static List<ExpectedChecksum> flexibleChecksumHeaders(SignedRequest request) {
        List<ExpectedChecksum> checksums = new ArrayList<>();
        for (ChecksumAlgorithm algorithm : ChecksumAlgorithm.values()) {
            if (algorithm != ChecksumAlgorithm.MD5) {
                request.header(algorithm.headerName())
                        .ifPresent(value -> checksums.add(ExpectedChecksum.flexible(algorithm, value)));
            }
        }
        return checksums;
    }

    private static long decodedContentLength(SignedRequest request) {
        String value = request.header("x-amz-decoded-content-length").orElseThrow(() -> new S3Exception(
                S3ErrorCode.MISSING_CONTENT_LENGTH,
                "You must provide the x-amz-decoded-content-length header with an aws-chunked body."));
        if (!value.strip().matches("\\d{1,18}")) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT,
                    "x-amz-decoded-content-length \"" + value + "\" is not a length.");
        }
        return Long.parseLong(value.strip());
    }

    @Override
    public int read() throws IOException {
        return checked.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        return checked.read(b, off, len);
    }

    /** Whether the whole body was read and passed every check. */
    public boolean complete() {
        return checked.complete();
    }

    /** The first failure of the body, if it failed: what to answer the client with. */
    public Optional<S3Exception> failure() {
        return checked.failure();
    }

    /** The object's bytes read so far; its length once {@link #complete()}. */
    public long decodedLength() {
        return checked.length();
    }

    /**
     * The hex MD5 of the object's bytes, the ETag S3 gives a simple upload.
     *
     * @throws IllegalStateException before the body is {@link #complete()}, or when it was opened without
     *     {@code computeMd5} and carried no {@code Content-MD5}
     */
    public String md5Hex() {
        return SigV4Crypto.HEX.formatHex(checked.checksum(ChecksumAlgorithm.MD5));
    }

    /**
     * The checked {@code x-amz-checksum-*} the client sent, header or trailer, by algorithm and in base64
     * as S3 returns it; empty when it sent none.
     *
     * @throws IllegalStateException before the body is {@link #complete()}
     */
    public Map<ChecksumAlgorithm, String> checksums() {
        if (!complete()) {
            throw new IllegalStateException("the checksums are known once the body is complete");
        }
        Map<ChecksumAlgorithm, String> checksums = new EnumMap<>(ChecksumAlgorithm.class);
        if (flexibleChecksum != null) {
            String value = chunked != null && chunked.trailerChecksum().isPresent()
                    ? chunked.trailerChecksum().get()
                    : flexibleChecksum.base64(checked.checksum(flexibleChecksum));
            checksums.put(flexibleChecksum, value);
        }
        return checksums;
    }

    @Override
    public void close() throws IOException {
        checked.close();
    }
}
