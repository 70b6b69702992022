package io.granary.gateway.auth;

import io.granary.common.Actor;
import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.javalin.http.Context;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The gateway's one access decision, run as a {@code before} handler on every request. In order:
 * a public route passes; for a single file request each {@link AccessGrant} is asked; then the bearer
 * token is resolved and its role compared with what the {@link RoutePolicy} asks. A file read without
 * any credential passes as {@link Access#anonymous()}, and the download then serves it only if the
 * version it found is public ({@link #requirePublicOrAllowed}). Ownership is not decided here but by the
 * master, atomically with the change, from the {@link Principal#actor()} the routes pass on.
 */
public final class AccessControl {
    /** The context attribute that holds the request's {@link Access}. */
    public static final String ACCESS_ATTRIBUTE = "granary.access";
    private static final String BEARER = "Bearer ";
    /** Our tokens are URL-safe base64 with a short prefix; anything else cannot be one. */
    private static final Pattern TOKEN_SYNTAX = Pattern.compile("[A-Za-z0-9_\\-]{16,256}");

    private final RoutePolicy policy;
    private final TokenResolver tokens;
    private final List<AccessGrant> grants;

    public AccessControl(RoutePolicy policy, TokenResolver tokens, List<AccessGrant> grants) {
        this.policy = policy;
        this.tokens = tokens;
        this.grants = List.copyOf(grants);
    }

    /** The {@code before} handler. Throws {@link AuthFailure} to refuse. */
    public void handle(Context ctx) {
        RequestedAccess what = policy.classify(ctx);
        if (what.isPublic()) {
            return;
        }
        ctx.attribute(ACCESS_ATTRIBUTE, decide(ctx, what));
    }

    private Access decide(Context ctx, RequestedAccess what) {
        if (what.file().isPresent()) {
            for (AccessGrant grant : grants) {
                Optional<Access> granted = grant.check(ctx, what);
                if (granted.isPresent()) {
                    return granted.get();
                }
            }
        }
        String header = ctx.header("Authorization");
        if (header != null && header.isBlank()) {
            header = null;
        }
        if (header == null && what.kind() == RequestedAccess.Kind.READ_FILE) {
            return Access.anonymous();
        }
        Principal principal = authenticate(header);
        if (!principal.role().atLeast(what.role())) {
            throw AuthFailure.forbidden(what.method() + " " + ctx.req().getRequestURI() + " needs the role "
                    + what.role().wireName() + "; this token has " + principal.role().wireName());
        }
        return Access.token(principal);
    }

    private Principal authenticate(String header) {
        if (header == null) {
            throw AuthFailure.unauthenticated("this route needs a token: send Authorization: Bearer <token>");
        }
        if (!header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw AuthFailure.unauthenticated("the Authorization header must be 'Bearer <token>'");
        }
        String token = header.substring(BEARER.length()).trim();
        if (!TOKEN_SYNTAX.matcher(token).matches()) {
            throw AuthFailure.unauthenticated("the bearer token is malformed");
        }
        return tokens.resolve(token)
                .orElseThrow(() -> AuthFailure.invalidToken("the token is unknown, expired or revoked"));
    }

    /** The request's access; fails for a route that {@link #handle} let through as public. */
    public static Access access(Context ctx) {
        Access access = ctx.attribute(ACCESS_ATTRIBUTE);
        if (access == null) {
            throw new GranaryException(ErrorKind.INTERNAL, "no access decision for " + ctx.req().getRequestURI());
        }
        return access;
    }

    /** The principal acting, for a route that needs one (any route but an anonymous file read). */
    public static Principal principal(Context ctx) {
        return access(ctx).principal().orElseThrow(
                () -> AuthFailure.unauthenticated("this route needs a token: send Authorization: Bearer <token>"));
    }

    /** The actor a change is made for: the acting principal, whose ownership the master checks. */
    public static Actor actor(Context ctx) {
        return principal(ctx).actor();
    }

    /**
     * For a download, once it knows the version it will serve: an anonymous read may only get a public
     * file. A private or missing file answers the same 401, so that an anonymous caller learns nothing
     * of what exists.
     */
    public static void requirePublicOrAllowed(Context ctx, boolean isPublic) {
        if (access(ctx).publicOnly() && !isPublic) {
            throw AuthFailure.unauthenticated("this file is not public: send Authorization: Bearer <token>");
        }
    }

    /** Like {@link #requirePublicOrAllowed}, for a lookup that failed: anonymous callers get 401, not 404. */
    public static GranaryException hideFromAnonymous(Context ctx, GranaryException lookupFailure) {
        if (lookupFailure.kind() == ErrorKind.NOT_FOUND && access(ctx).publicOnly()) {
            return AuthFailure.unauthenticated("this file is not public: send Authorization: Bearer <token>");
        }
        return lookupFailure;
    }
}
