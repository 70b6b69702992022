package io.granary.gateway.s3.sigv4;

import io.granary.gateway.s3.protocol.S3ErrorCode;
import io.granary.gateway.s3.protocol.S3Exception;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * A checksum the client says its body has, and what S3 answers when the body does not: built from
 * {@code Content-MD5}, an {@code x-amz-checksum-*} header or trailer, or {@code x-amz-content-sha256}.
 * The factories refuse a malformed value at once, before any byte is read.
 */
public final class ExpectedChecksum {
    private final ChecksumAlgorithm algorithm;
    private final byte[] value;
    private final S3Exception mismatch;

    private ExpectedChecksum(ChecksumAlgorithm algorithm, byte[] value, S3Exception mismatch) {
        this.algorithm = algorithm;
        this.value = value;
        this.mismatch = mismatch;
    }

    /** The {@code Content-MD5} header's base64 MD5; refused with {@code InvalidDigest} when malformed. */
    public static ExpectedChecksum contentMd5(String base64) {
        byte[] value = ChecksumAlgorithm.MD5.decode(base64).orElseThrow(() -> new S3Exception(
                S3ErrorCode.INVALID_DIGEST, "The Content-MD5 you specified is not valid."));
        return new ExpectedChecksum(ChecksumAlgorithm.MD5, value, new S3Exception(S3ErrorCode.BAD_DIGEST,
                "The Content-MD5 you specified did not match what we received."));
    }

    /**
     * An {@code x-amz-checksum-*} value (header or trailer) of {@code algorithm}; refused with
     * {@code InvalidRequest} when it is not the base64 of a checksum of that algorithm.
     */
    public static ExpectedChecksum flexible(ChecksumAlgorithm algorithm, String base64) {
        byte[] value = algorithm.decode(base64).orElseThrow(() -> new S3Exception(S3ErrorCode.INVALID_REQUEST,
                "Value for " + algorithm.headerName() + " header is invalid."));
        return new ExpectedChecksum(algorithm, value, new S3Exception(S3ErrorCode.BAD_DIGEST,
                "The " + algorithm.s3Name() + " you specified did not match the calculated checksum."));
    }

    /** The hex SHA-256 of {@code x-amz-content-sha256}, as {@link VerifiedRequest#expectedSha256Hex()} gives it. */
    public static ExpectedChecksum contentSha256(String hex) {
        return new ExpectedChecksum(ChecksumAlgorithm.SHA256, HexFormat.of().parseHex(hex),
                new S3Exception(S3ErrorCode.X_AMZ_CONTENT_SHA256_MISMATCH,
                        "The provided 'x-amz-content-sha256' header does not match what was computed."));
    }

    public ChecksumAlgorithm algorithm() {
        return algorithm;
    }

    /** The expected value as S3 writes it (base64). */
    public String base64() {
        return algorithm.base64(value);
    }

    /** Nothing when {@code computed} is the expected value, else what to answer. */
    Optional<S3Exception> check(byte[] computed) {
        return MessageDigest.isEqual(value, Objects.requireNonNull(computed))
                ? Optional.empty() : Optional.of(mismatch);
    }

    @Override
    public String toString() {
        return "ExpectedChecksum[" + algorithm + "=" + base64() + "]";
    }
}
