package io.granary.launcher.local;

import io.granary.chunkserver.ChunkServerConfig;
import io.granary.client.GranaryClient;
import io.granary.client.TokenMeta;
import io.granary.common.GranaryException;
import io.granary.common.grpc.ClusterSecret;
import io.granary.common.grpc.ClusterSecurity;
import io.granary.common.grpc.GrpcTls;
import io.granary.gateway.GatewayConfig;
import io.granary.gateway.GatewayServer;
import io.granary.gateway.HttpLimits;
import io.granary.gateway.HttpTls;
import io.granary.gateway.auth.AccessConfig;
import io.granary.gateway.auth.PresignKeys;
import io.granary.gateway.s3.S3Settings;
import io.granary.launcher.daemon.Daemon;
import io.granary.master.MasterConfig;
import io.granary.master.auth.Tokens;
import io.granary.master.store.EmbeddedRedisServer;
import io.granary.master.store.RedisUris;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole Granary in one process: Redis (embedded unless an external one is given), the master, N
 * chunkservers and the gateway, all over real sockets. The master's and chunkservers' gRPC ports and
 * every metrics port listen on {@link LocalSettings#bindAddress()} (loopback by default); the
 * gateway's HTTP port on every interface. {@code granary local} runs one. The master and every
 * chunkserver serve their Prometheus metrics on a free port each ({@link MasterNode#metricsPort()},
 * {@link ChunkServerNode#metricsPort()}), logged at start.
 *
 * <p>On disk, under {@code DATA} (mode 700): {@code DATA/redis} (append-only file, fsynced on every write; mode 700),
 * {@code DATA/redis.password} and {@code DATA/presign.key} (mode 600) and {@code DATA/chunkservers/<n>}.
 * Starting again on the same directory serves every file again.
 *
 * <p>The admin principal (the token of {@link #adminToken()}) has an S3 key after every start: the
 * configured one ({@link LocalSettings#s3AccessKey()}), created again at each start (which the master
 * answers idempotently), or else one generated when the admin has none, that is when the data directory
 * is new, and shown once ({@link #generatedS3Key()}).
 */
public final class LocalCluster implements AutoCloseable {
    public static final String NODE_ID = "local";
    private static final Logger log = LoggerFactory.getLogger(LocalCluster.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final String LOOPBACK = "127.0.0.1";

    private final LocalSettings settings;
    private final ClusterSecurity security;
    private final HttpTls httpTls;
    private final AccessConfig access;
    private final HttpLimits limits;
    private final List<ChunkServerNode> chunkServers = new ArrayList<>();
    private EmbeddedRedisServer redis;
    private Optional<String> generatedAdminToken = Optional.empty();
    private Optional<LocalS3Key> generatedS3Key = Optional.empty();
    private String s3AccessKey;
    private MasterNode master;
    private GranaryClient client;
    private GatewayServer gateway;

    private LocalCluster(LocalSettings settings, ClusterSecurity security, HttpTls httpTls, AccessConfig access,
                         HttpLimits limits) {
        this.settings = settings;
        this.security = security;
        this.httpTls = httpTls;
        this.access = access;
        this.limits = limits;
    }

    /**
     * Starts every part, with a cluster secret of its own and no TLS, and returns once all
     * chunkservers are alive at the master.
     *
     * @throws RuntimeException with a clear message when a part cannot start; what did start is stopped
     */
    public static LocalCluster start(LocalSettings settings) {
        return start(settings, AccessConfig.defaults());
    }

    /**
     * Like {@link #start(LocalSettings)}, with the gateway's presigning keys, trusted proxies and
     * failed-authentication limit.
     * Without a presign key, one is generated once and kept in {@code DATA/presign.key} (mode 600), so
     * presigned URLs survive a restart.
     */
    public static LocalCluster start(LocalSettings settings, AccessConfig access) {
        return start(settings, ClusterSecret.generate(), null, null, access, HttpLimits.defaults());
    }

    /**
     * Starts every part with {@code secret}, gRPC TLS when {@code grpcTls} is set (every part then
     * uses the same certificate) and HTTPS on the gateway when {@code httpTls} is set.
     *
     * @throws RuntimeException with a clear message when a part cannot start; what did start is stopped
     */
    public static LocalCluster start(LocalSettings settings, ClusterSecret secret, GrpcTls grpcTls, HttpTls httpTls) {
        return start(settings, secret, grpcTls, httpTls, AccessConfig.defaults(), HttpLimits.defaults());
    }

    /** Starts every part with all of the above. */
    public static LocalCluster start(LocalSettings settings, ClusterSecret secret, GrpcTls grpcTls, HttpTls httpTls,
                                     AccessConfig access, HttpLimits limits) {
        LocalCluster cluster = new LocalCluster(settings, ClusterSecurity.of(secret).withTls(grpcTls), httpTls, access,
                limits);
        try {
            cluster.startParts();
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    private void startParts() {
        try {
            // chunk replicas are users' files: other users of the machine must not read them from disk
            OwnerOnlyFile.ownerOnlyDirectory(settings.dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the data directory " + settings.dataDir() + ": "
                    + e.getMessage(), e);
        }
        String redisUri = settings.redisUri();
        if (redisUri == null) {
            redis = EmbeddedRedisServer.start(settings.dataDir().resolve("redis"), 0, true,
                    LocalRedisPassword.loadOrCreate(settings.dataDir()));
            redisUri = redis.uri();
        }
        MasterConfig masterConfig = MasterConfig.builder(redisUri)
                .port(settings.masterPort())
                .defaultChunkSizeBytes(settings.chunkSizeBytes())
                .defaultReplication(settings.replication())
                .heartbeatInterval(settings.heartbeatInterval())
                .deadAfter(settings.deadAfter())
                .gcGrace(settings.gcGrace())
                .uploadTimeout(settings.uploadTimeout())
                .adminToken(settings.adminToken())
                .redisWaitReplicas(settings.redisWaitReplicas())
                .redisWaitTimeout(settings.redisWaitTimeout())
                .auditMaxEntries(settings.auditMaxEntries())
                .auditMaxAge(settings.auditMaxAge())
                .build();
        master = new MasterNode(masterConfig, security, settings.bindAddress());
        master.start();
        // kept on disk before anything else can fail, so that a failed first start does not lose it
        generatedAdminToken = master.server().generatedAdminToken()
                .map(token -> LocalAdminToken.keep(settings.dataDir(), token))
                .or(() -> LocalAdminToken.unshown(settings.dataDir()));
        for (int n = 1; n <= settings.chunkservers(); n++) {
            ChunkServerConfig config = ChunkServerConfig.builder(masterAddress(),
                            settings.dataDir().resolve("chunkservers").resolve(Integer.toString(n)))
                    .port(0)
                    .id("chunkserver-" + n)
                    .advertiseAddress(connectHost())
                    .capacityBytes(settings.capacityBytes())
                    .scrubInterval(settings.scrubInterval())
                    .scrubBytesPerSecond(settings.scrubBytesPerSecond())
                    .build();
            ChunkServerNode node = new ChunkServerNode(LocalJvm.withSharedWriteBudget(config, settings.chunkservers()),
                    security, settings.bindAddress());
            chunkServers.add(node);
            node.start();
        }
        client = GranaryClient.connect(masterAddress(),
                GatewayServer.clientOptions(NODE_ID, security, settings.chunkCacheBytes()));
        AdminS3Key.Given given = AdminS3Key.ensure(client.s3Keys(), adminPrincipal(), settings);
        s3AccessKey = given.accessKeyId();
        generatedS3Key = given.generated();
        AccessConfig gatewayAccess = access.presignKeys().enabled() ? access
                : access.withPresignKeys(PresignKeys.of(LocalPresignKey.loadOrCreate(settings.dataDir())));
        GatewayConfig gatewayConfig = GatewayConfig.builder(masterAddress())
                .port(settings.gatewayPort())
                .s3(s3Settings(settings.s3Port()))
                .security(security)
                .httpTls(httpTls)
                .access(gatewayAccess)
                .limits(limits)
                .cors(settings.cors())
                .build();
        gateway = new GatewayServer(LocalJvm.withSharedUploadBudget(gatewayConfig), client);
        gateway.start();
        awaitLiveChunkServers(settings.chunkservers());
    }

    /**
     * The id of the admin principal: the token of {@link #adminToken()} when it is known, else (restarted
     * without a configured token) the oldest live admin token, which the first start made.
     */
    private String adminPrincipal() {
        Optional<String> secret = settings.adminToken().isEmpty() ? generatedAdminToken
                : Optional.of(settings.adminToken());
        if (secret.isPresent()) {
            return client.resolveToken(Tokens.sha256(secret.get())).map(TokenMeta::id)
                    .orElseThrow(() -> new IllegalStateException("the admin token is not registered at the master"));
        }
        Instant now = Instant.now();
        return client.listTokens().stream()
                .filter(t -> t.role().equals(Tokens.ADMIN) && t.expires().map(now::isBefore).orElse(true))
                .findFirst().map(TokenMeta::id)
                .orElseThrow(() -> new IllegalStateException("no live admin token; set GRANARY_ADMIN_TOKEN"));
    }

    /**
     * The port of the embedded Redis on 127.0.0.1.
     *
     * @throws IllegalStateException when this cluster uses an external Redis
     */
    public synchronized int redisPort() {
        if (redis == null) {
            throw new IllegalStateException("this cluster uses the external Redis " + RedisUris.masked(settings.redisUri()));
        }
        return redis.port();
    }

    /** The master and its metrics port. */
    public MasterNode master() {
        return master;
    }

    /** Chunkserver {@code index} (0-based) and its metrics port. */
    public ChunkServerNode chunkServer(int index) {
        return chunkServers.get(index);
    }

    /**
     * The admin token: the configured one, or the one the master generated at this cluster's first
     * start on a new data directory.
     *
     * @throws IllegalStateException when none is known (restarted on old data without a configured one)
     */
    public synchronized String adminToken() {
        if (!settings.adminToken().isEmpty()) {
            return settings.adminToken();
        }
        return generatedAdminToken.orElseThrow(() -> new IllegalStateException(
                "the admin token was printed when the data directory was new; configure one to know it"));
    }

    /**
     * The admin token the master generated for this data directory and nobody has been shown yet
     * (see {@link #adminTokenShown()}): made at this start, or at an earlier one that failed before
     * showing it; empty otherwise.
     */
    public synchronized Optional<String> generatedAdminToken() {
        return generatedAdminToken;
    }

    /** Says that {@link #generatedAdminToken()} has been shown: it is no longer kept on disk. */
    public void adminTokenShown() {
        LocalAdminToken.shown(settings.dataDir());
    }

    /**
     * The access key id of the admin principal's S3 key: the configured one, the one generated for it,
     * or (restarted without a configured key) its oldest.
     */
    public synchronized String s3AccessKey() {
        return s3AccessKey;
    }

    /**
     * The secret key of {@link #s3AccessKey()}: the configured one, or the one generated for this data
     * directory while it has not been shown.
     *
     * @throws IllegalStateException when none is known (restarted after the banner showed it)
     */
    public synchronized String s3SecretKey() {
        if (!settings.s3SecretKey().isEmpty()) {
            return settings.s3SecretKey();
        }
        return generatedS3Key.map(LocalS3Key::secretKey).orElseThrow(() -> new IllegalStateException(
                "the S3 secret key was printed when the data directory was new; configure GRANARY_S3_ACCESS_KEY "
                        + "and GRANARY_S3_SECRET_KEY to know it"));
    }

    /**
     * The S3 key generated for the admin principal that nobody has been shown yet (see
     * {@link #s3KeyShown()}): made at this start, or at an earlier one that failed before showing it;
     * empty otherwise.
     */
    public synchronized Optional<LocalS3Key> generatedS3Key() {
        return generatedS3Key;
    }

    /** Says that {@link #generatedS3Key()} has been shown: it is no longer kept on disk. */
    public void s3KeyShown() {
        LocalS3Key.shown(settings.dataDir());
    }

    /** Blocks until the master counts at least {@code count} live chunkservers. */
    public void awaitLiveChunkServers(int count) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        int live = 0;
        while (System.nanoTime() < deadline) {
            try {
                live = client.cluster().liveCount();
                if (live >= count) {
                    return;
                }
            } catch (GranaryException e) {
                log.debug("{}: cluster not ready yet: {}", NODE_ID, e.getMessage());
            }
            sleep(Duration.ofMillis(100));
        }
        throw new IllegalStateException("only " + live + " of " + count + " chunkservers became live within "
                + READY_TIMEOUT.toSeconds() + "s");
    }

    public LocalSettings settings() {
        return settings;
    }

    /** {@code host:port} of the master's gRPC endpoint. */
    public String masterAddress() {
        return connectHost() + ":" + master.port();
    }

    /** Where the parts reach each other: loopback, unless the ports listen on one other address only. */
    private String connectHost() {
        String bind = settings.bindAddress();
        return bind.equals("0.0.0.0") || bind.equals("::") ? LOOPBACK : bind;
    }

    /**
     * The S3 settings for {@code port}: {@link LocalSettings#DEFAULT_S3_PORT}, when taken, becomes the next
     * free port above it, so that a second {@code granary local} on one machine still starts.
     */
    private static S3Settings s3Settings(int port) {
        if (port != LocalSettings.DEFAULT_S3_PORT) {
            return port == S3Settings.OFF ? S3Settings.off() : S3Settings.onPort(port);
        }
        for (int candidate = port; candidate < port + 100; candidate++) {
            try (ServerSocket probe = new ServerSocket(candidate)) {
                return S3Settings.onPort(candidate);
            } catch (IOException taken) {
                // try the next one
            }
        }
        return S3Settings.onPort(0);
    }

    /** The gateway's S3 port, or {@link S3Settings#OFF} when it serves none. */
    public int s3Port() {
        return gateway.s3Port();
    }

    /** Base URL of the S3 port, e.g. {@code http://127.0.0.1:9000}; meaningful when {@link #s3Port()} is not OFF. */
    public String s3Url() {
        return "http://" + LOOPBACK + ":" + gateway.s3Port();
    }

    /** Base URL of the gateway, e.g. {@code http://127.0.0.1:8080} ({@code https} with HTTPS). */
    public String gatewayUrl() {
        return (httpTls == null ? "http" : "https") + "://" + LOOPBACK + ":" + gateway.port();
    }

    /** The secret every part of this cluster demands on its gRPC calls; a Java client needs it too. */
    public String clusterSecret() {
        return security.secret().value();
    }

    /** The secret and TLS settings of this cluster's gRPC calls, for clients of its master. */
    public ClusterSecurity security() {
        return security;
    }

    /** A client of this cluster's master, owned by the cluster. */
    public GranaryClient client() {
        return client;
    }

    /** Stops everything, last started first; data stays on disk. Safe to call twice. */
    @Override
    public synchronized void close() {
        List<AutoCloseable> parts = new ArrayList<>();
        parts.add(gateway);
        parts.add(client);
        for (int i = chunkServers.size() - 1; i >= 0; i--) {
            parts.add(chunkServers.get(i));
        }
        parts.add(master);
        parts.add(redis);
        parts.removeIf(part -> part == null);
        chunkServers.clear();
        gateway = null;
        client = null;
        master = null;
        redis = null;
        Daemon.closeAll(NODE_ID, parts);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for chunkservers");
        }
    }
}
