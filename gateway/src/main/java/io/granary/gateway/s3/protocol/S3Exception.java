package io.granary.gateway.s3.protocol;

import java.util.Objects;

/**
 * A request the S3 port refuses: written as S3's XML error document with {@link #code()}'s status,
 * its {@code Code} and this message. Thrown by everything below the S3 routes; nothing else of a
 * failure (no stack trace, no class name) reaches the client.
 */
public final class S3Exception extends RuntimeException {
    private final S3ErrorCode code;

    public S3Exception(S3ErrorCode code, String message) {
        super(Objects.requireNonNull(message, "message"), null, false, false);
        this.code = Objects.requireNonNull(code, "code");
    }

    public S3Exception(S3ErrorCode code, String message, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause, false, false);
        this.code = Objects.requireNonNull(code, "code");
    }

    public S3ErrorCode code() {
        return code;
    }
}
