package io.granary.gateway.auth;

import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.granary.gateway.http.HttpErrors;
import io.javalin.Javalin;
import io.javalin.http.Header;

/**
 * A refused request, with the problem type the gateway answers: {@code unauthenticated} (no or
 * malformed credential, 401), {@code invalid-token} (unknown, revoked or expired token, 401), or
 * {@code forbidden} (403), written by the mapper {@link #install} registers.
 */
public final class AuthFailure extends GranaryException {
    private static final long serialVersionUID = 1L;

    private static final String INVALID_TOKEN = "invalid-token";

    private final String slug;

    private AuthFailure(ErrorKind kind, String slug, String message) {
        super(kind, message);
        this.slug = slug;
    }

    public static AuthFailure unauthenticated(String message) {
        return new AuthFailure(ErrorKind.UNAUTHENTICATED, "unauthenticated", message);
    }

    public static AuthFailure invalidToken(String message) {
        return new AuthFailure(ErrorKind.UNAUTHENTICATED, INVALID_TOKEN, message);
    }

    public static AuthFailure forbidden(String message) {
        return new AuthFailure(ErrorKind.PERMISSION_DENIED, "forbidden", message);
    }

    /**
     * Answers every {@code AuthFailure} as its own problem type; the 401 of a refused token says so in
     * {@code WWW-Authenticate} (RFC 6750 §3).
     */
    public static void install(Javalin app) {
        app.exception(AuthFailure.class, (e, ctx) -> {
            HttpErrors.respond(ctx, e, e.slug());
            if (e.slug().equals(INVALID_TOKEN)) {
                ctx.header(Header.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"");
            }
        });
    }

    /** The problem type's last part: {@code urn:granary:problem:<slug>}. */
    public String slug() {
        return slug;
    }
}
