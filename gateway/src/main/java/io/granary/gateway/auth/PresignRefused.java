package io.granary.gateway.auth;

/**
 * A presigned URL that does not allow this request; the message says why (expired, signature does
 * not match, another method, another address). Answered with 403.
 */
public final class PresignRefused extends RuntimeException {
    private final boolean expired;

    PresignRefused(String message, boolean expired) {
        super(message, null, false, false);
        this.expired = expired;
    }

    /** Whether the URL was valid but is past its expiry: the caller should ask for a new one. */
    public boolean expired() {
        return expired;
    }
}
