package io.granary.gateway.auth;

import io.granary.common.net.AuthFailureLimiter;
import io.granary.gateway.http.GatewayNode;
import io.granary.gateway.http.HttpErrors;
import io.granary.gateway.http.Problem;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Header;
import java.net.InetAddress;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The failed-authentication limit in the request cycle: decides the client address first (for every
 * later step), counts each 401 answered to a request that carried a token (and each refused signature),
 * and, once an address is out of tries, answers every request of it that carries a credential (a token
 * or a signature) with 429 and {@code Retry-After} before the credential is looked at: the master is not
 * asked, and a guess learns nothing, not even whether it was right. A valid token from that address
 * waits too, until the address earns a try back; other addresses are not affected. Requests without
 * credentials (public files, health) are never counted nor limited.
 */
public final class AuthThrottle {
    private static final Logger log = LoggerFactory.getLogger(AuthThrottle.class);
    static final String SLUG = "too-many-auth-failures";

    private final ClientIp clientIp;
    private final AuthFailureLimiter limiter;

    public AuthThrottle(ClientIp clientIp, AuthFailureLimiter limiter) {
        this.clientIp = clientIp;
        this.limiter = limiter;
    }

    /** Refused: an address that spent its tries. */
    static final class TooManyFailures extends RuntimeException {
        private final Duration retryAfter;

        TooManyFailures(Duration retryAfter) {
            super("too many failed authentications from this address; retry in "
                    + seconds(retryAfter) + " s", null, false, false);
            this.retryAfter = retryAfter;
        }
    }

    /** The first {@code before} handler: refuses a credential from an address that spent its tries. */
    public void before(Context ctx) {
        InetAddress client = clientIp.remember(ctx);
        if (carriesCredential(ctx)) {
            Duration wait = limiter.retryAfter(client);
            if (!wait.isZero()) {
                throw new TooManyFailures(wait);
            }
        }
    }

    /**
     * The {@code after} handler: a token refused with 401 spends one try of its address. A refused
     * signature spends its try where it is checked ({@link PresignedUrlGrant}).
     */
    public void after(Context ctx) {
        if (ctx.statusCode() == 401 && ctx.req().getHeader(Header.AUTHORIZATION) != null) {
            recordFailure(ctx);
        }
    }

    /** Spends one try of the request's address (a bad token, a bad signature). */
    void recordFailure(Context ctx) {
        InetAddress client = ClientIp.of(ctx);
        limiter.recordFailure(client);
        log.debug("{}: failed authentication from {}", GatewayNode.ID, client.getHostAddress());
    }

    /** Registers the answer to an address that spent its tries: 429 with {@code Retry-After}. */
    public void install(Javalin app) {
        app.exception(TooManyFailures.class, (e, ctx) -> respond(ctx, e));
    }

    private static void respond(Context ctx, TooManyFailures e) {
        HttpErrors.respond(ctx, Problem.of(429, SLUG, "Too Many Requests", e.getMessage(), ctx.req().getRequestURI()));
        ctx.header(Header.RETRY_AFTER, Long.toString(seconds(e.retryAfter)));
        log.info("{}: refused {} {} from {}: {}", GatewayNode.ID, ctx.method(), ctx.req().getRequestURI(),
                ClientIp.of(ctx).getHostAddress(), e.getMessage());
    }

    private static boolean carriesCredential(Context ctx) {
        return ctx.header(Header.AUTHORIZATION) != null || ctx.queryParam(UrlSigner.SIGNATURE) != null;
    }

    private static long seconds(Duration wait) {
        return Math.max(1, (wait.toMillis() + 999) / 1000);
    }
}
