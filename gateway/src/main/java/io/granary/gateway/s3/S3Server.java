package io.granary.gateway.s3;

import io.granary.client.GranaryClient;
import io.granary.common.GranaryException;
import io.granary.common.grpc.RequestIds;
import io.granary.gateway.auth.CredentialCache;
import io.granary.gateway.http.GatewayNode;
import io.granary.gateway.http.IdleTimeouts;
import io.granary.gateway.http.InputBuffers;
import io.granary.gateway.http.UploadSlots;
import io.granary.gateway.s3.protocol.S3ErrorCode;
import io.granary.gateway.s3.protocol.S3Exception;
import io.granary.gateway.s3.sigv4.SigV4Verifier;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.time.Clock;
import java.time.Duration;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The gateway's S3 port: a second HTTP server over the same Granary client, the same namespace and
 * the same principals as the HTTP API. Every request is parsed ({@link S3Request}), authenticated
 * ({@link S3Authentication}, AWS Signature V4) and dispatched ({@link S3Routes}); every failure is
 * answered by {@link S3Errors}. Uploads share the gateway's one {@link UploadSlots}, so the bound on
 * gRPC memory holds across both ports.
 */
public final class S3Server implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(S3Server.class);
    private static final String REQUEST_ID = "granary.s3.requestId";
    /**
     * How long an S3 upload waits for one of the gateway's upload slots before SlowDown: S3 clients
     * send many parts at once and expect the server to pace them.
     */
    static final Duration UPLOAD_SLOT_PATIENCE = Duration.ofSeconds(30);

    private final Javalin app;
    private final S3Settings settings;

    /**
     * @param credentials the gateway's cache of the master's answers about S3 keys, shared with the HTTP API
     * @param maxThreads request threads of the S3 port's own pool (downloads take at most half)
     * @param requestHeaderBytes the most bytes a request head may have (larger: 431)
     * @param idleTimeout        how long a connection may move no byte before it is closed
     * @param uploads            the gateway's upload slots, shared with the HTTP API
     */
    public S3Server(GranaryClient client, CredentialCache credentials, S3Settings settings, int maxThreads,
                    int minThreads, int requestHeaderBytes, Duration idleTimeout, UploadSlots uploads) {
        this.settings = settings;
        S3Authentication authentication = new S3Authentication(credentials, new SigV4Verifier(Clock.systemUTC()));
        S3Routes routes = new S3Routes(client, settings, uploads, maxThreads);
        this.app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.http.disableCompression();
            QueuedThreadPool pool = new QueuedThreadPool(maxThreads, minThreads);
            pool.setName(GatewayNode.ID + "-s3");
            cfg.jetty.threadPool = pool;
            cfg.jetty.modifyHttpConfiguration(http -> {
                http.setRequestHeaderSize(requestHeaderBytes);
                http.setUseOutputDirectByteBuffers(false);
                http.setSendServerVersion(false);
                // S3 keys may hold what URIs elsewhere must not ("a//b", "%2F"): the path reaches the
                // handler as sent, which refuses such keys itself, and signatures are checked over it
                http.setUriCompliance(UriCompliance.LEGACY);
                // header values are signed as sent: Jetty's header cache would otherwise turn a client's
                // "charset=utf-8" into its own "charset=UTF-8", and the signature would no longer match
                http.setHeaderCacheCaseSensitive(true);
            });
        });
        Handler handler = ctx -> {
            String id = RequestIds.orNew(null);
            ctx.attribute(REQUEST_ID, id);
            ctx.header(S3Errors.REQUEST_ID_HEADER, id);
            MDC.put(RequestIds.MDC_KEY, id);
            try {
                S3Request request = S3Request.parse(ctx.method().name(), ctx.header("Host"), ctx.req().getRequestURI(),
                        ctx.req().getQueryString(), settings.domain());
                S3Caller caller = authentication.authenticate(ctx, request);
                routes.handle(ctx, request, caller);
            } catch (S3Exception e) {
                S3Errors.respond(ctx, e);
            } catch (GranaryException e) {
                S3Errors.respond(ctx, S3Errors.translate(e));
            } catch (Exception | Error e) {
                S3Errors.respondUnexpected(ctx, e);
                if (e instanceof VirtualMachineError) {
                    throw (Error) e;
                }
            } finally {
                MDC.remove(RequestIds.MDC_KEY);
            }
        };
        for (HandlerType method : new HandlerType[] {HandlerType.GET, HandlerType.HEAD, HandlerType.PUT,
            HandlerType.POST, HandlerType.DELETE}) {
            app.addHttpHandler(method, "/", handler::handle);
            app.addHttpHandler(method, "/<path>", handler::handle);
        }
        app.error(404, ctx -> {
            if (ctx.attribute(REQUEST_ID) == null) { // no handler matched: another method
                S3Errors.respond(ctx, new S3Exception(S3ErrorCode.METHOD_NOT_ALLOWED,
                        "The specified method is not allowed against this resource."));
            }
        });
        app.events(events -> events.serverStarted(() -> {
            IdleTimeouts.apply(app, idleTimeout);
            InputBuffers.apply(app);
        }));
    }

    private interface Handler {
        void handle(Context ctx) throws Exception;
    }

    /** The id of the request being answered, as sent in {@code x-amz-request-id}. */
    static String requestId(Context ctx) {
        return ctx.attribute(REQUEST_ID);
    }

    /** Starts listening; returns once the port is bound. */
    public S3Server start() {
        app.start(settings.port());
        log.info("{}: S3 listening on port {}{}", GatewayNode.ID, app.port(),
                settings.domain().isEmpty() ? " (path style)" : " (path style, and virtual hosts under "
                        + settings.domain() + ")");
        return this;
    }

    /** The bound port; meaningful after {@link #start()}. */
    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }
}
