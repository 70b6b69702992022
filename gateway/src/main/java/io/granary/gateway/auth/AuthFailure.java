package io.granary.gateway.auth;

import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;

/**
 * A refused request, with the problem type the gateway answers: {@code unauthenticated} (no or
 * malformed credential, 401), {@code invalid-token} (unknown, revoked or expired token, 401), or
 * {@code forbidden} (403). {@code HttpErrors} maps it, adding {@code WWW-Authenticate} to a 401.
 */
public final class AuthFailure extends GranaryException {
    private static final long serialVersionUID = 1L;

    private final String slug;

    private AuthFailure(ErrorKind kind, String slug, String message) {
        super(kind, message);
        this.slug = slug;
    }

    public static AuthFailure unauthenticated(String message) {
        return new AuthFailure(ErrorKind.UNAUTHENTICATED, "unauthenticated", message);
    }

    public static AuthFailure invalidToken(String message) {
        return new AuthFailure(ErrorKind.UNAUTHENTICATED, "invalid-token", message);
    }

    public static AuthFailure forbidden(String message) {
        return new AuthFailure(ErrorKind.PERMISSION_DENIED, "forbidden", message);
    }

    /** The problem type's last part: {@code urn:granary:problem:<slug>}. */
    public String slug() {
        return slug;
    }
}
