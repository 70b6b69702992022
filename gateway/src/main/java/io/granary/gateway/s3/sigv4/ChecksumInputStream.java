package io.granary.gateway.s3.sigv4;

import io.granary.gateway.s3.protocol.S3Exception;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Passes a body through while computing checksums of it, and at its end checks the ones the client
 * gave: a mismatch is thrown as an {@link S3BodyException} in place of the end of stream, so a reader
 * that commits only at end of stream never commits a body that failed. Failures of the stream below
 * that are {@link S3BodyException}s are kept too: {@link #failure()} is the first of either. Memory
 * does not grow with the body.
 */
public final class ChecksumInputStream extends InputStream {
    private final InputStream in;
    private final List<ExpectedChecksum> expected;
    private final Map<ChecksumAlgorithm, ChecksumAlgorithm.Digest> digests = new EnumMap<>(ChecksumAlgorithm.class);
    private final Map<ChecksumAlgorithm, byte[]> results = new EnumMap<>(ChecksumAlgorithm.class);
    private long length;
    private boolean finished;
    private S3Exception failure;

    /**
     * @param expected the checksums the body must have, checked at its end
     * @param computed further checksums to compute, readable after the end with {@link #checksum}
     */
    public ChecksumInputStream(InputStream in, Collection<ExpectedChecksum> expected, Set<ChecksumAlgorithm> computed) {
        this.in = Objects.requireNonNull(in, "in");
        this.expected = List.copyOf(expected);
        this.expected.forEach(checksum -> digests.computeIfAbsent(checksum.algorithm(), ChecksumAlgorithm::newDigest));
        computed.forEach(algorithm -> digests.computeIfAbsent(algorithm, ChecksumAlgorithm::newDigest));
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (failure != null) {
            throw new S3BodyException(failure);
        }
        if (len == 0) {
            return 0;
        }
        if (finished) {
            return -1;
        }
        int n;
        try {
            n = in.read(b, off, len);
        } catch (S3BodyException e) {
            failure = e.failure();
            throw e;
        }
        if (n < 0) {
            finish();
            return -1;
        }
        for (ChecksumAlgorithm.Digest digest : digests.values()) {
            digest.update(b, off, n);
        }
        length += n;
        return n;
    }

    private void finish() throws S3BodyException {
        digests.forEach((algorithm, digest) -> results.put(algorithm, digest.finish()));
        finished = true;
        for (ExpectedChecksum checksum : expected) {
            Optional<S3Exception> mismatch = checksum.check(results.get(checksum.algorithm()));
            if (mismatch.isPresent()) {
                failure = mismatch.get();
                throw new S3BodyException(failure);
            }
        }
    }

    /** Whether the whole body was read and every expected checksum matched. */
    public boolean complete() {
        return finished && failure == null;
    }

    /** The first failure of the body, here or in the stream below, if it failed. */
    public Optional<S3Exception> failure() {
        return Optional.ofNullable(failure);
    }

    /** The bytes passed through so far; the body's length once {@link #complete()}. */
    public long length() {
        return length;
    }

    /**
     * The body's checksum with {@code algorithm}, one it expected or computed.
     *
     * @throws IllegalStateException before the body is {@link #complete()}, or for an algorithm not computed
     */
    public byte[] checksum(ChecksumAlgorithm algorithm) {
        if (!complete() || !results.containsKey(algorithm)) {
            throw new IllegalStateException(
                    algorithm + " is not known: the body is not complete or it was not computed");
        }
        return results.get(algorithm).clone();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
