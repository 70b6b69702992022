package io.granary.gateway;

import io.granary.client.ClientOptions;
import io.granary.client.GranaryClient;
import io.granary.common.grpc.ClusterSecurity;
import io.granary.common.net.AuthFailureLimiter;
import io.granary.gateway.auth.AccessConfig;
import io.granary.gateway.auth.AccessControl;
import io.granary.gateway.auth.AuthFailure;
import io.granary.gateway.auth.AuthThrottle;
import io.granary.gateway.auth.ClientIp;
import io.granary.gateway.auth.CredentialCache;
import io.granary.gateway.auth.IpGrantCheck;
import io.granary.gateway.auth.MasterTokenResolver;
import io.granary.gateway.auth.PresignedUrlGrant;
import io.granary.gateway.auth.RoutePolicy;
import io.granary.gateway.auth.UrlSigner;
import io.granary.gateway.http.Cors;
import io.granary.gateway.http.GatewayNode;
import io.granary.gateway.http.HttpErrors;
import io.granary.gateway.http.InputBuffers;
import io.granary.gateway.http.ProblemErrorHandler;
import io.granary.gateway.http.RequestPaths;
import io.granary.gateway.http.RequestTracing;
import io.granary.gateway.http.UploadSlots;
import io.granary.gateway.http.UnsupportedRequests;
import io.granary.gateway.routes.GatewayJson;
import io.granary.gateway.routes.GatewayRoutes;
import io.granary.gateway.s3.S3Server;
import io.granary.gateway.s3.S3Settings;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.json.JavalinJackson;
import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP gateway: owns the Javalin/Jetty server's lifecycle. The routes and their error mapping
 * are built by {@link #createApp}, which tests use with {@code JavalinTest}.
 */
public final class GatewayServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GatewayServer.class);

    private final GatewayConfig config;
    private final Javalin app;
    private final AutoCloseable ownedClient;
    /** The S3 port, or null when the configuration turns it off. */
    private final S3Server s3;

    /** A gateway over {@code client}, which the caller keeps ownership of. */
    public GatewayServer(GatewayConfig config, GranaryClient client) {
        this(config, client, () -> { });
    }

    private GatewayServer(GatewayConfig config, GranaryClient client, AutoCloseable ownedClient) {
        this.config = config;
        UploadSlots uploads = new UploadSlots(config.maxUploads());
        // one cache for both ports, so a revocation through either API is seen at once by both
        CredentialCache credentials = CredentialCache.of(client);
        Consumer<JavalinConfig> tls = config.httpTls() == null ? cfg -> { }
                : cfg -> config.httpTls().install(cfg, config.port());
        this.app = createApp(client, credentials, config.maxThreads(), tls.andThen(cfg -> Cors.install(cfg, config.cors())),
                config.access(), config.limits(), uploads);
        this.s3 = config.s3().enabled() ? new S3Server(client, credentials, config.s3(), config.maxThreads(),
                GatewayConfig.MIN_THREADS, config.limits().requestHeaderBytes(), config.limits().idleTimeout(), uploads)
                : null;
        this.ownedClient = ownedClient;
    }

    /** A gateway with its own client of the masters at {@code config.masterAddress()}, closed with the gateway. */
    public static GatewayServer connect(GatewayConfig config) {
        GranaryClient client = GranaryClient.connect(config.masterAddress(),
                clientOptions(GatewayNode.ID, config.security(), config.chunkCacheBytes()));
        return new GatewayServer(config, client, client);
    }

    /**
     * The options of the client a gateway reads and writes through: the client's defaults, named
     * {@code name} in log lines, with the cluster's security, {@code chunkCacheBytes} of chunk cache,
     * and the small window per chunk stream of {@link GatewayConfig#CHUNK_STREAM_WINDOW_BYTES}.
     */
    public static ClientOptions clientOptions(String name, ClusterSecurity security, long chunkCacheBytes) {
        return ClientOptions.defaults().withName(name).withSecurity(security).withChunkCacheBytes(chunkCacheBytes)
                .withChunkStreamWindowBytes(GatewayConfig.CHUNK_STREAM_WINDOW_BYTES);
    }

    /** The gateway's routes, error mapping and server settings, with default settings. */
    public static Javalin createApp(GranaryClient client) {
        return createApp(client, AccessConfig.defaults(), HttpLimits.defaults(), GatewayConfig.DEFAULT_MAX_UPLOADS);
    }

    /** The same with the given access settings and limits, streaming at most {@code maxUploads} uploads at once. */
    public static Javalin createApp(GranaryClient client, AccessConfig access, HttpLimits limits, int maxUploads) {
        return createApp(client, CredentialCache.of(client), GatewayConfig.DEFAULT_MAX_THREADS, cfg -> { }, access,
                limits, new UploadSlots(maxUploads));
    }

    private static Javalin createApp(GranaryClient client, CredentialCache credentials, int maxThreads, Consumer<JavalinConfig> listener,
                                     AccessConfig settings, HttpLimits limits, UploadSlots uploads) {
        AuthThrottle throttle = new AuthThrottle(new ClientIp(settings.trustedProxies()), new AuthFailureLimiter(
                settings.authFailureBurst(), settings.authFailurePeriod(), AuthFailureLimiter.DEFAULT_TRACKED_MAX,
                System::nanoTime));
        UrlSigner signer = new UrlSigner(settings.presignKeys(), Clock.systemUTC());
        // A signature is judged alone, before the token; an IP grant only opens a read that carries no
        // credential at all, and is asked (a master call) only when that read finds no public file.
        AccessControl access = new AccessControl(
                new RoutePolicy(ctx -> RequestPaths.entryAfter(ctx, RequestPaths.FILES)),
                new MasterTokenResolver(credentials), List.of(new PresignedUrlGrant(signer, throttle)),
                List.of(new IpGrantCheck(client)));
        GatewayRoutes routes = new GatewayRoutes(client, credentials, signer, limits.maxFormFields(), limits.maxFormFieldBytes(),
                maxThreads, uploads);
        Javalin app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            // Downloads are already-compressed or opaque bytes; compressing would also buffer them.
            cfg.http.disableCompression();
            cfg.http.prefer405over404 = true;
            cfg.jsonMapper(new JavalinJackson(GatewayJson.mapper(), false));
            cfg.jetty.threadPool = threadPool(maxThreads);
            listener.accept(cfg);
            cfg.jetty.modifyServer(server -> server.setErrorHandler(new ProblemErrorHandler()));
            // Larger request heads are refused with 431 before any handler runs.
            cfg.jetty.modifyHttpConfiguration(http -> {
                http.setRequestHeaderSize(limits.requestHeaderBytes());
                // Response buffers on the heap: direct memory is the chunk streams' (gRPC), and Jetty's
                // pool would keep a direct buffer per connection of every slow download.
                http.setUseOutputDirectByteBuffers(false);
            });
            routes.configure(cfg);
        });
        RequestTracing.install(app); // first, so every answer (a rejected path too) carries the id
        app.before(RequestPaths::rejectDotSegments);
        app.before(throttle::before);
        app.before(UnsupportedRequests::refuse); // before access: the method it decides on is the request line's
        app.before(access::handle);
        app.after(throttle::after);
        HttpErrors.install(app);
        AuthFailure.install(app);
        throttle.install(app);
        app.events(events -> events.serverStarted(() -> {
            limits.applyIdleTimeout(app);
            InputBuffers.apply(app);
        }));
        routes.register(app);
        return app;
    }

    /** Starts listening; returns once the port is bound. */
    public GatewayServer start() {
        log.info("{}: starting with {}", GatewayNode.ID, config);
        app.start(config.port());
        log.info("{}: listening on port {} ({})", GatewayNode.ID, app.port(),
                config.httpTls() == null ? "HTTP" : "HTTPS");
        if (s3 != null) {
            s3.start();
        }
        return this;
    }

    /** The bound port; meaningful after {@link #start()}. */
    public int port() {
        return app.port();
    }

    /** The bound S3 port, or {@link S3Settings#OFF} when there is none; meaningful after {@link #start()}. */
    public int s3Port() {
        return s3 == null ? S3Settings.OFF : s3.port();
    }

    /** Stops accepting requests, ends those in flight, and closes the client if this gateway made it. */
    @Override
    public void close() {
        if (s3 != null) {
            s3.close();
        }
        app.stop();
        try {
            ownedClient.close();
        } catch (Exception e) {
            log.warn("{}: closing the client failed: {}", GatewayNode.ID, e.toString());
        }
        log.info("{}: stopped", GatewayNode.ID);
    }

    private static QueuedThreadPool threadPool(int maxThreads) {
        QueuedThreadPool pool = new QueuedThreadPool(maxThreads, GatewayConfig.MIN_THREADS,
                (int) GatewayConfig.THREAD_IDLE_TIMEOUT.toMillis());
        pool.setName(GatewayNode.ID + "-http");
        return pool;
    }
}
