package io.granary.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Test content that is never held in memory: a seed and a size name a byte sequence, which can be
 * streamed, hashed or sliced again at will. Each 8-byte word depends on its offset, so bytes moved
 * to another place (a chunk out of order, a shifted range) never hash the same.
 */
final class TestBytes {
    private TestBytes() {
    }

    /** The {@code size} bytes of content {@code seed}, generated as they are read. */
    static InputStream stream(long seed, long size) {
        return new InputStream() {
            private long position;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (position >= size) {
                    return -1;
                }
                int n = (int) Math.min(len, size - position);
                for (int i = 0; i < n; i++) {
                    b[off + i] = byteAt(seed, position + i);
                }
                position += n;
                return n;
            }
        };
    }

    /** Byte {@code offset} of content {@code seed}. */
    static byte byteAt(long seed, long offset) {
        return (byte) (word(seed, offset >>> 3) >>> ((offset & 7) * 8));
    }

    /** splitmix64 of (seed, word index): cheap, allocation-free and well mixed. */
    private static long word(long seed, long index) {
        long z = seed * 0xBF58476D1CE4E5B9L + index * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Bytes {@code [from, from + length)} of content {@code seed}. */
    static byte[] slice(long seed, long from, int length) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = byteAt(seed, from + i);
        }
        return out;
    }

    /** Hex SHA-256 of the {@code size} bytes of content {@code seed}. */
    static String sha256(long seed, long size) {
        Sha256Sink sink = new Sha256Sink();
        try (InputStream in = stream(seed, size)) {
            in.transferTo(sink);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sink.hex();
    }

    /** An OutputStream that only hashes and counts what is written to it. */
    static final class Sha256Sink extends OutputStream {
        private final MessageDigest digest = newDigest();
        private long count;

        @Override
        public void write(int b) {
            digest.update((byte) b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            digest.update(b, off, len);
            count += len;
        }

        long count() {
            return count;
        }

        String hex() {
            return HexFormat.of().formatHex(digest.digest());
        }

        private static MessageDigest newDigest() {
            try {
                return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
