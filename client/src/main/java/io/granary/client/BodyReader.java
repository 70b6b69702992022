package io.granary.client;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Reads an upload body in pieces, hashing it on the way (SHA-256 always, MD5 only when the uploader
 * gave one to check). Not thread-safe: one upload, one thread.
 */
final class BodyReader {
    private final InputStream body;
    private final MessageDigest sha256 = digest("SHA-256");
    private final MessageDigest md5;
    private boolean ended;

    BodyReader(InputStream body, boolean withMd5) {
        this.body = body;
        this.md5 = withMd5 ? digest("MD5") : null;
    }

    /**
     * The next piece of at most {@code max} bytes, full unless the body ends; {@code null} at the end.
     * Each piece is a fresh array, because gRPC may still be sending the previous one.
     *
     * @throws GranaryException INVALID_ARGUMENT when the body cannot be read (the sender went away)
     */
    ByteString next(int max) {
        if (ended) {
            return null;
        }
        byte[] piece = new byte[max];
        int filled = 0;
        while (filled < max) {
            int n = read(piece, filled, max - filled);
            if (n < 0) {
                ended = true;
                break;
            }
            filled += n;
        }
        if (filled == 0) {
            return null;
        }
        sha256.update(piece, 0, filled);
        if (md5 != null) {
            md5.update(piece, 0, filled);
        }
        return UnsafeByteOperations.unsafeWrap(piece, 0, filled);
    }

    /** Lower-case hex SHA-256 of everything read so far; call once, at the end. */
    String sha256Hex() {
        return HexFormat.of().formatHex(sha256.digest());
    }

    /** Base64 MD5 of everything read so far; call once, at the end, and only when asked for at construction. */
    String md5Base64() {
        return Base64.getEncoder().encodeToString(md5.digest());
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has " + algorithm, e);
        }
    }

    private int read(byte[] into, int offset, int length) {
        try {
            return body.read(into, offset, length);
        } catch (IOException e) {
            throw new GranaryException(ErrorKind.INVALID_ARGUMENT, "upload body ended early: " + e.getMessage(), e);
        }
    }
}
