package io.granary.client;

/**
 * Where the bytes of one {@link ChunkRange} come from for a {@link ChunkedInputStream}: the replicas
 * ({@link ChunkFetch}) or the client's {@link ChunkCache} ({@link CachedRange}). One reader drains it;
 * {@link #cancel()} may be called from any thread.
 */
interface ChunkSource {
    /** Starts producing the range's bytes. Does not block. */
    void start();

    /**
     * Copies the next bytes of the range into {@code b}, blocking until some are there.
     *
     * @return bytes copied (at least 1 when {@code len > 0}), or -1 once the whole range was read
     * @throws io.granary.common.GranaryException when the range cannot be read, or CANCELLED after {@link #cancel()}
     */
    int read(byte[] b, int off, int len);

    /** Stops producing and drops what is held. Idempotent. */
    void cancel();
}
