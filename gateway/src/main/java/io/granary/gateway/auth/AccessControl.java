package io.granary.gateway.auth;

import io.granary.common.Actor;
import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.javalin.http.Context;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The gateway's one access decision, run as a {@code before} handler on every request. In order:
 * a public route passes; for a single file request each {@link AccessGrant} is asked; then the bearer
 * token is resolved and its role compared with what the {@link RoutePolicy} asks. A file read without
 * any credential passes as {@link Access#anonymous()}, and the download then serves it only if the
 * version it found is public or a late grant allows it ({@link #requirePublicOrAllowed}). Ownership is not decided here but by the
 * master, atomically with the change, from the {@link Principal#actor()} the routes pass on.
 */
public final class AccessControl {
    /** The context attribute that holds the request's {@link Access}. */
    public static final String ACCESS_ATTRIBUTE = "granary.access";
    /** The context attribute that holds an anonymous read's late grants (see {@link #grantedLate}). */
    private static final String LATE_GRANTS_ATTRIBUTE = "granary.late-grants";
    private static final String BEARER = "Bearer ";
    /** Our tokens are URL-safe base64 with a short prefix; anything else cannot be one. */
    private static final Pattern TOKEN_SYNTAX = Pattern.compile("[A-Za-z0-9_\\-]{16,256}");

    private final RoutePolicy policy;
    private final TokenResolver tokens;
    private final List<AccessGrant> grants;
    private final List<AccessGrant> lateGrants;

    /**
     * @param grants     asked before the token for every single-file request (a presigned URL)
     * @param lateGrants asked only when a read without any credential finds a file that is not public
     *                   (an IP grant): a public file, every Range request of a video, never pays for them
     */
    public AccessControl(RoutePolicy policy, TokenResolver tokens, List<AccessGrant> grants,
                         List<AccessGrant> lateGrants) {
        this.policy = policy;
        this.tokens = tokens;
        this.grants = List.copyOf(grants);
        this.lateGrants = List.copyOf(lateGrants);
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
        Optional<Access> granted = firstGrant(grants, ctx, what);
        if (granted.isPresent()) {
            return granted.get();
        }
        String header = ctx.header("Authorization");
        if (header != null && header.isBlank()) {
            header = null;
        }
        if (header == null && what.kind() == RequestedAccess.Kind.READ_FILE) {
            ctx.attribute(LATE_GRANTS_ATTRIBUTE, (Supplier<Optional<Access>>) () -> firstGrant(lateGrants, ctx, what));
            return Access.anonymous();
        }
        Principal principal = authenticate(header);
        if (!principal.role().atLeast(what.role())) {
            throw AuthFailure.forbidden(what.method() + " " + ctx.req().getRequestURI() + " needs the role "
                    + what.role().wireName() + "; this token has " + principal.role().wireName());
        }
        return Access.token(principal);
    }

    private static Optional<Access> firstGrant(List<AccessGrant> candidates, Context ctx, RequestedAccess what) {
        if (what.file().isEmpty()) {
            return Optional.empty();
        }
        for (AccessGrant grant : candidates) {
            Optional<Access> granted = grant.check(ctx, what);
            if (granted.isPresent()) {
                return granted;
            }
        }
        return Optional.empty();
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
        if (access(ctx).publicOnly() && !isPublic && !grantedLate(ctx)) {
            throw AuthFailure.unauthenticated("this file is not public: send Authorization: Bearer <token>");
        }
    }

    /** Like {@link #requirePublicOrAllowed}, for a lookup that failed: anonymous callers get 401, not 404. */
    public static GranaryException hideFromAnonymous(Context ctx, GranaryException lookupFailure) {
        if (lookupFailure.kind() == ErrorKind.NOT_FOUND && access(ctx).publicOnly() && !grantedLate(ctx)) {
            return AuthFailure.unauthenticated("this file is not public: send Authorization: Bearer <token>");
        }
        return lookupFailure;
    }

    /**
     * For an anonymous read that found no public file: asks the late grants now, and when one allows
     * the read, records it as the request's access. A grant holder then gets what a reader would
     * (the file, or 404), anyone else 401.
     */
    private static boolean grantedLate(Context ctx) {
        Supplier<Optional<Access>> late = ctx.attribute(LATE_GRANTS_ATTRIBUTE);
        Optional<Access> granted = late == null ? Optional.empty() : late.get();
        granted.ifPresent(access -> ctx.attribute(ACCESS_ATTRIBUTE, access));
        return granted.isPresent();
    }
}
