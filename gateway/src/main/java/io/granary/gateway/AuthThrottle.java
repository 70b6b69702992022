package io.granary.gateway;

import io.granary.gateway.auth.UrlSigner;
import io.granary.gateway.net.AuthFailureLimiter;
import io.granary.gateway.net.ClientIp;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Header;
import java.net.InetAddress;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The failed-authentication limit in the request cycle: decides the client address first (for every
 * later step), refuses a request that carries a credential from an address out of tries with 429 and
 * {@code Retry-After}, and counts each 401 answered to a request that carried a token. Requests
 * without credentials (public files, health) are never refused here.
 */
final class AuthThrottle {
    private static final Logger log = LoggerFactory.getLogger(AuthThrottle.class);
    static final String SLUG = "too-many-auth-failures";

    private final ClientIp clientIp;
    private final AuthFailureLimiter limiter;

    AuthThrottle(ClientIp clientIp, AuthFailureLimiter limiter) {
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

    /** The first {@code before} handler. */
    void before(Context ctx) {
        InetAddress client = clientIp.remember(ctx);
        if (!carriesCredential(ctx)) {
            return;
        }
        Duration wait = limiter.retryAfter(client);
        if (!wait.isZero()) {
            throw new TooManyFailures(wait);
        }
    }

    /** The {@code after} handler: a token refused with 401 spends one try of its address. */
    void after(Context ctx) {
        if (ctx.statusCode() == 401 && ctx.header(Header.AUTHORIZATION) != null) {
            recordFailure(ctx);
        }
    }

    /** Spends one try of the request's address (a bad token, a bad signature). */
    void recordFailure(Context ctx) {
        InetAddress client = ClientIp.of(ctx);
        limiter.recordFailure(client);
        log.debug("{}: failed authentication from {}", GatewayConfig.NODE_ID, client.getHostAddress());
    }

    /** The limiter, for the presigned-URL check, which counts its own failures. */
    AuthFailureLimiter limiter() {
        return limiter;
    }

    void install(Javalin app) {
        app.exception(TooManyFailures.class, (e, ctx) -> {
            HttpErrors.respond(ctx, Problem.of(429, SLUG, "Too Many Requests", e.getMessage(),
                    ctx.req().getRequestURI()));
            ctx.header(Header.RETRY_AFTER, Long.toString(seconds(e.retryAfter)));
            log.info("{}: refused {} {} from {}: {}", GatewayConfig.NODE_ID, ctx.method(), ctx.req().getRequestURI(),
                    ClientIp.of(ctx).getHostAddress(), e.getMessage());
        });
    }

    private static boolean carriesCredential(Context ctx) {
        return ctx.header(Header.AUTHORIZATION) != null || ctx.queryParam(UrlSigner.SIGNATURE) != null;
    }

    private static long seconds(Duration wait) {
        return Math.max(1, (wait.toMillis() + 999) / 1000);
    }
}
