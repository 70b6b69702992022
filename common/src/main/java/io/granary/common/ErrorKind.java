package io.granary.common;

/**
 * What went wrong, in terms every layer understands. {@link io.granary.common.grpc.GrpcErrors}
 * maps each kind to one gRPC status code, and the gateway maps that to one HTTP status.
 */
public enum ErrorKind {
    /** The caller sent something malformed: a bad path, size or parameter. */
    INVALID_ARGUMENT,
    /** Nothing exists where the caller pointed. */
    NOT_FOUND,
    /** The thing to create exists already. */
    ALREADY_EXISTS,
    /** The request is well-formed but conflicts with the current state (a file where a directory is). */
    FAILED_PRECONDITION,
    /**
     * A condition the caller attached to a write (If-Match, If-None-Match) does not hold: the file at
     * the path changed, or exists, since the caller looked. Nothing was changed; re-read and retry.
     * Distinct from {@link #FAILED_PRECONDITION}, which is a conflict with the namespace's shape.
     */
    PRECONDITION_FAILED,
    /** The caller did not prove who it is, or its credential is unknown, expired or revoked. */
    UNAUTHENTICATED,
    /**
     * The caller is known but may not do this: its role is too low, or it does not own what it tries to
     * change. Nothing was changed.
     */
    PERMISSION_DENIED,
    /** A dependency is down or too few chunkservers are alive; retrying later may work. */
    UNAVAILABLE,
    /** No space left, or a limit was hit. */
    RESOURCE_EXHAUSTED,
    /** Stored bytes failed their checksum. */
    DATA_LOSS,
    /** A deadline passed before the work was done. */
    DEADLINE_EXCEEDED,
    /** The caller went away. */
    CANCELLED,
    /** A bug or an unexpected failure. */
    INTERNAL
}
