package io.granary.launcher.cli;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpHeaders;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * A download's body that computes the SHA-256 of what it reads and, at its end, fails with
 * {@link Mismatch} when that is not the digest the gateway's {@code ETag} names (the quoted hex
 * SHA-256 of the file). A writer that renames its part file only after reading to the end therefore
 * never gives a damaged download the file's name. A tag that is not a SHA-256 checks nothing.
 */
final class ContentCheck extends FilterInputStream {

    /** The bytes read are not the file's. */
    static final class Mismatch extends IOException {
        private static final long serialVersionUID = 1L;

        Mismatch(String message) {
            super(message);
        }
    }

    private final Optional<String> expected;
    private final MessageDigest digest = Sha256.newDigest();
    private boolean checked;

    ContentCheck(InputStream in, HttpHeaders headers) {
        super(in);
        this.expected = sha256Of(headers.firstValue("ETag"));
    }

    /** The SHA-256 an {@code ETag} names (the gateway's is the quoted hex digest); empty for any other tag. */
    static Optional<String> sha256Of(Optional<String> etag) {
        return etag.filter(t -> t.length() > 2 && t.startsWith("\"") && t.endsWith("\""))
                .map(t -> t.substring(1, t.length() - 1)).filter(Sha256::isHex);
    }

    /** The hex SHA-256 of the bytes read so far. */
    String sha256() {
        return Sha256.hexSoFar(digest);
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b < 0) {
            check();
        } else {
            digest.update((byte) b);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n < 0) {
            check();
        } else {
            digest.update(b, off, n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        throw new IOException("a checked download is read, not skipped");
    }

    private void check() throws Mismatch {
        if (checked) {
            return;
        }
        checked = true;
        String actual = sha256();
        if (expected.isPresent() && !expected.get().equals(actual)) {
            throw new Mismatch("the bytes received are not the file's: their SHA-256 is " + actual
                    + ", the gateway's ETag names " + expected.get());
        }
    }
}
