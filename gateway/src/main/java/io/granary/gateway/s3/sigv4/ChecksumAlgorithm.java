package io.granary.gateway.s3.sigv4;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.zip.Checksum;

/**
 * The body checksums S3 knows: the flexible ones a client sends as {@code x-amz-checksum-*} (a header
 * or a trailer), and MD5 for {@code Content-MD5}. S3 writes each as the base64 of its big-endian
 * bytes.
 */
public enum ChecksumAlgorithm {
    CRC32("CRC32", "x-amz-checksum-crc32", 4, () -> crc(new java.util.zip.CRC32(), 4)),
    CRC32C("CRC32C", "x-amz-checksum-crc32c", 4, () -> crc(new java.util.zip.CRC32C(), 4)),
    SHA1("SHA1", "x-amz-checksum-sha1", 20, () -> messageDigest("SHA-1")),
    SHA256("SHA256", "x-amz-checksum-sha256", 32, () -> messageDigest("SHA-256")),
    CRC64NVME("CRC64NVME", "x-amz-checksum-crc64nvme", 8, () -> crc(new Crc64Nvme(), 8)),
    MD5("MD5", "content-md5", 16, () -> messageDigest("MD5"));

    /** A checksum being computed over a body, fed in order and finished once. */
    public interface Digest {
        void update(byte[] bytes, int offset, int length);

        /** The checksum's bytes, big-endian; the digest is spent afterwards. */
        byte[] finish();
    }

    private final String s3Name;
    private final String headerName;
    private final int length;
    private final Supplier<Digest> digests;

    ChecksumAlgorithm(String s3Name, String headerName, int length, Supplier<Digest> digests) {
        this.s3Name = s3Name;
        this.headerName = headerName;
        this.length = length;
        this.digests = digests;
    }

    /** The name S3 uses in {@code x-amz-checksum-algorithm} and {@code x-amz-sdk-checksum-algorithm}. */
    public String s3Name() {
        return s3Name;
    }

    /** The lower-cased header (or trailer) that carries this checksum. */
    public String headerName() {
        return headerName;
    }

    /** How many bytes the checksum has. */
    public int length() {
        return length;
    }

    public Digest newDigest() {
        return digests.get();
    }

    /** {@code checksum} as S3 writes it: base64 with padding. */
    public String base64(byte[] checksum) {
        return Base64.getEncoder().encodeToString(checksum);
    }

    /** The bytes of a base64 value of this checksum, or empty when it is not base64 or of the wrong length. */
    public Optional<byte[]> decode(String base64) {
        try {
            byte[] bytes = Base64.getDecoder().decode(base64.strip());
            return bytes.length == length ? Optional.of(bytes) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The algorithm carried by the header {@code name} (any case). */
    public static Optional<ChecksumAlgorithm> fromHeaderName(String name) {
        String lower = name.strip().toLowerCase(Locale.ROOT);
        for (ChecksumAlgorithm algorithm : values()) {
            if (algorithm.headerName.equals(lower)) {
                return Optional.of(algorithm);
            }
        }
        return Optional.empty();
    }

    /** The algorithm S3 calls {@code name} (any case), such as {@code CRC32C}. */
    public static Optional<ChecksumAlgorithm> fromS3Name(String name) {
        for (ChecksumAlgorithm algorithm : values()) {
            if (algorithm.s3Name.equalsIgnoreCase(name.strip())) {
                return Optional.of(algorithm);
            }
        }
        return Optional.empty();
    }

    private static Digest crc(Checksum checksum, int bytes) {
        return new Digest() {
            @Override
            public void update(byte[] data, int offset, int length) {
                checksum.update(data, offset, length);
            }

            @Override
            public byte[] finish() {
                byte[] value = ByteBuffer.allocate(8).putLong(checksum.getValue()).array();
                return Arrays.copyOfRange(value, 8 - bytes, 8);
            }
        };
    }

    private static Digest messageDigest(String name) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance(name);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has " + name, e);
        }
        return new Digest() {
            @Override
            public void update(byte[] data, int offset, int length) {
                digest.update(data, offset, length);
            }

            @Override
            public byte[] finish() {
                return digest.digest();
            }
        };
    }
}
