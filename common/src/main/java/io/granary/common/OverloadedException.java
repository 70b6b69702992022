package io.granary.common;

import java.time.Duration;

/**
 * A node refused work because it is at a configured limit (concurrent writes, bytes buffered) or
 * ran out of memory: nothing was done, and the same request may succeed a little later. Its kind is
 * {@link ErrorKind#UNAVAILABLE} for the caller; on the wire it travels as gRPC's load-shedding
 * answer, RESOURCE_EXHAUSTED with a {@code grpc-retry-pushback-ms} trailer (see
 * {@link io.granary.common.grpc.GrpcErrors}), so that it is never taken for a full disk.
 */
public final class OverloadedException extends GranaryException {
    private static final long serialVersionUID = 1L;

    /** How long a refused caller should wait before trying again, when the refusing node does not say. */
    public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);

    private final Duration retryAfter;

    public OverloadedException(String message, Duration retryAfter) {
        this(message, retryAfter, null);
    }

    public OverloadedException(String message, Duration retryAfter, Throwable cause) {
        super(ErrorKind.UNAVAILABLE, message, cause);
        this.retryAfter = retryAfter;
    }

    /** The pause the refusing node asks for before a retry. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
