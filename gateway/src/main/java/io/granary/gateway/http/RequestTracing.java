package io.granary.gateway.http;

import io.granary.client.GranaryClient;
import io.granary.common.grpc.RequestIds;
import io.javalin.Javalin;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Request ids at the gateway: a sane incoming {@code X-Request-Id} (1 to 64 of
 * {@code [A-Za-z0-9._-]}) is kept, anything else replaced by a new id; the id is echoed in the
 * response, put in the MDC for the request's log lines, and carried by every gRPC call made for the
 * request through {@link #client}.
 */
public final class RequestTracing {
    private static final Logger log = LoggerFactory.getLogger(RequestTracing.class);
    private static final String ATTRIBUTE = "granary.requestId";
    private static final String ADDRESS_ATTRIBUTE = "granary.clientAddress";

    private RequestTracing() {
    }

    public static void install(Javalin app) {
        app.before(RequestTracing::assign);
        app.after(RequestTracing::finish);
    }

    /** One debug line per request, with its id, then the MDC is cleared for the thread's next request. */
    private static void finish(Context ctx) {
        log.debug("{}: {} {} -> {}", GatewayNode.ID, ctx.method(), ctx.path(), ctx.statusCode());
        MDC.remove(RequestIds.MDC_KEY);
    }

    private static void assign(Context ctx) {
        String id = RequestIds.orNew(ctx.header(RequestIds.HEADER));
        ctx.attribute(ATTRIBUTE, id);
        ctx.header(RequestIds.HEADER, id);
        MDC.put(RequestIds.MDC_KEY, id);
    }

    /** Sets the response's {@code X-Request-Id} again, after a reset of the response. */
    static void echo(Context ctx) {
        String id = id(ctx);
        if (id != null) {
            ctx.header(RequestIds.HEADER, id);
        }
    }

    /** The request's id; null before the before-handler ran (never, for a matched route). */
    static String id(Context ctx) {
        return ctx.attribute(ATTRIBUTE);
    }

    /**
     * Keeps the request's client address as the access layer decided it (trusted proxies included), for
     * the calls {@link #client} makes.
     */
    public static void clientAddress(Context ctx, String address) {
        ctx.attribute(ADDRESS_ATTRIBUTE, address);
    }

    /**
     * {@code client} with every call carrying this request's id and client address (the one noted with
     * {@link #clientAddress}, else the socket's peer), the read-ahead threads' calls included; the master
     * records both in its audit log with each change.
     */
    public static GranaryClient client(Context ctx, GranaryClient client) {
        String address = ctx.attribute(ADDRESS_ATTRIBUTE);
        return client.withRequestOrigin(id(ctx), address != null ? address : ctx.req().getRemoteAddr());
    }
}
