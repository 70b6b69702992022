package io.granary.client;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Reads an upload body in pieces, hashing it on the way (SHA-256 always, MD5 only when the uploader
 * asked for it: to check one, or to commit it as the etag). Not thread-safe: one upload, one thread.
 */
final class BodyReader {
    /** Size of the array the first piece is read into before the body's length is known. */
    static final int FIRST_PROBE_BYTES = 64 * 1024;

    private final InputStream body;
    private final MessageDigest sha256 = digest("SHA-256");
    private final MessageDigest md5;
    private boolean ended;
    private boolean started;
    private byte[] md5Digest;

    BodyReader(InputStream body, boolean withMd5) {
        this.body = body;
        this.md5 = withMd5 ? digest("MD5") : null;
    }

    /**
     * The next piece of at most {@code max} bytes, full unless the body ends; {@code null} at the end.
     * Each piece is a fresh array, because gRPC may still hold the previous one (the in-process
     * transport passes messages by reference). The first piece is read into a small probe array
     * and only grown once the body turns out to be longer, so a small file does not cost a
     * zero-filled {@code max}-byte array (1 MiB by default) per upload.
     *
     * @throws GranaryException INVALID_ARGUMENT when the body cannot be read (the sender went away)
     */
    ByteString next(int max) {
        if (ended) {
            return null;
        }
        byte[] piece = new byte[started ? max : Math.min(max, FIRST_PROBE_BYTES)];
        started = true;
        int filled = fill(piece, 0);
        if (filled == piece.length && piece.length < max && !ended) {
            piece = Arrays.copyOf(piece, max); // a long body: one small copy per upload
            filled = fill(piece, filled);
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

    /** Reads into {@code piece} from {@code filled} until it is full or the body ends; the new fill. */
    private int fill(byte[] piece, int filled) {
        while (filled < piece.length) {
            int n = read(piece, filled, piece.length - filled);
            if (n < 0) {
                ended = true;
                break;
            }
            filled += n;
        }
        return filled;
    }

    /** Lower-case hex SHA-256 of everything read so far; call once, at the end. */
    String sha256Hex() {
        return HexFormat.of().formatHex(sha256.digest());
    }

    /** Base64 MD5 of the whole body; call at the end, and only when asked for at construction. */
    String md5Base64() {
        return Base64.getEncoder().encodeToString(md5Digest());
    }

    /** Lower-case hex MD5 of the whole body; call at the end, and only when asked for at construction. */
    String md5Hex() {
        return HexFormat.of().formatHex(md5Digest());
    }

    /** The MD5, computed once at the first ask: the body has been read to its end by then. */
    private byte[] md5Digest() {
        if (md5Digest == null) {
            md5Digest = md5.digest();
        }
        return md5Digest;
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
