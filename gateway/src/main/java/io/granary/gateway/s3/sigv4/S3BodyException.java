package io.granary.gateway.s3.sigv4;

import io.granary.gateway.s3.protocol.S3Exception;
import java.io.IOException;
import java.util.Objects;

/**
 * A request body that failed its checks while being read (a bad chunk signature, a checksum that
 * does not match, a truncated body), thrown from {@code read()} as an {@link IOException} so it
 * passes through code that streams bodies, and carrying the {@link S3Exception} to answer with.
 */
public final class S3BodyException extends IOException {
    private final S3Exception failure;

    public S3BodyException(S3Exception failure) {
        super(Objects.requireNonNull(failure, "failure").getMessage(), failure);
        this.failure = failure;
    }

    /** What to answer the client with. */
    public S3Exception failure() {
        return failure;
    }
}
