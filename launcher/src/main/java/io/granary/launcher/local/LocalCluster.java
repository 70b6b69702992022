package io.granary.launcher.local;

import io.granary.chunkserver.ChunkServer;
import io.granary.chunkserver.ChunkServerConfig;
import io.granary.client.ClientOptions;
import io.granary.client.GranaryClient;
import io.granary.common.GranaryException;
import io.granary.common.grpc.ClusterSecret;
import io.granary.common.grpc.ClusterSecurity;
import io.granary.common.grpc.GrpcTls;
import io.granary.common.metrics.MetricsServer;
import io.granary.gateway.GatewayConfig;
import io.granary.gateway.GatewayServer;
import io.granary.gateway.HttpLimits;
import io.granary.gateway.HttpTls;
import io.granary.gateway.auth.AccessConfig;
import io.granary.gateway.auth.PresignKeys;
import io.granary.launcher.daemon.Daemon;
import io.granary.master.MasterConfig;
import io.granary.master.MasterServer;
import io.granary.master.grpc.GrpcChunkServerClient;
import io.granary.master.store.EmbeddedRedisServer;
import io.granary.master.store.RedisUris;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole Granary in one process: Redis (embedded unless an external one is given), the master, N
 * chunkservers and the gateway, all over real sockets. The master's and chunkservers' gRPC ports and
 * every metrics port listen on {@link LocalSettings#bindAddress()} (loopback by default); the
 * gateway's HTTP port on every interface. {@code granary local} runs one;
 * the integration tests run many, and stop and restart their parts. The master and every chunkserver
 * serve their Prometheus metrics on a free port each ({@link #masterMetricsPort()},
 * {@link #chunkServerMetricsPort(int)}), logged at start.
 *
 * <p>On disk, under {@code DATA} (mode 700): {@code DATA/redis} (append-only file, fsynced on every write; mode 700),
 * {@code DATA/redis.password} and {@code DATA/presign.key} (mode 600) and {@code DATA/chunkservers/<n>}. Starting again on the same directory serves every file again.
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
    private final List<ChunkServerConfig> chunkServerConfigs = new ArrayList<>();
    private final List<ChunkServer> chunkServers = new ArrayList<>();
    /** The metrics port of each chunkserver, by index; null while it is stopped. */
    private final List<MetricsServer> chunkServerMetrics = new ArrayList<>();
    private MetricsServer masterMetrics;
    private EmbeddedRedisServer redis;
    private MasterConfig masterConfig;
    private Optional<String> generatedAdminToken = Optional.empty();
    private MasterServer master;
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
        masterConfig = MasterConfig.defaults(redisUri)
                .withPort(settings.masterPort())
                .withDefaultChunkSizeBytes(settings.chunkSizeBytes())
                .withDefaultReplication(settings.replication())
                .withHeartbeat(settings.heartbeatInterval(), settings.deadAfter())
                .withGcGrace(settings.gcGrace())
                .withUploadTimeout(settings.uploadTimeout())
                .withAdminToken(settings.adminToken());
        startMaster();
        // kept on disk before anything else can fail, so that a failed first start does not lose it
        generatedAdminToken = master.generatedAdminToken()
                .map(token -> LocalAdminToken.keep(settings.dataDir(), token))
                .or(() -> LocalAdminToken.unshown(settings.dataDir()));
        for (int n = 1; n <= settings.chunkservers(); n++) {
            chunkServerConfigs.add(LocalJvm.withSharedWriteBudget(new ChunkServerConfig(masterAddress(), 0,
                    settings.dataDir().resolve("chunkservers").resolve(Integer.toString(n)),
                    "chunkserver-" + n, connectHost(), settings.capacityBytes())
                    .withScrub(settings.scrubInterval(), settings.scrubBytesPerSecond()), settings.chunkservers()));
            chunkServers.add(null);
            chunkServerMetrics.add(null);
            startChunkServer(n - 1);
        }
        client = GranaryClient.connect(masterAddress(), ClientOptions.defaults().withName(NODE_ID).withSecurity(security));
        AccessConfig gatewayAccess = access.presignKeys().enabled() ? access
                : access.withPresignKeys(PresignKeys.of(LocalPresignKey.loadOrCreate(settings.dataDir())));
        gateway = new GatewayServer(LocalJvm.withSharedUploadBudget(GatewayConfig.of(settings.gatewayPort(),
                masterAddress())).withSecurity(security)
                .withHttpTls(httpTls).withAccess(gatewayAccess).withLimits(limits), client);
        gateway.start();
        awaitLiveChunkServers(settings.chunkservers());
    }

    /** Starts chunkserver {@code index} (0-based) again on its data directory, after {@link #stopChunkServer}. */
    public synchronized void startChunkServer(int index) {
        if (chunkServers.get(index) != null) {
            throw new IllegalStateException("chunkserver " + (index + 1) + " is running");
        }
        ChunkServerConfig config = chunkServerConfigs.get(index);
        ChunkServer server = new ChunkServer(config,
                security.serverBuilder(config.id(), settings.bindAddress(), config.port()),
                ChunkServer.channelPool(security));
        try {
            server.start();
        } catch (IOException e) {
            server.close();
            throw new UncheckedIOException("chunkserver " + (index + 1) + " cannot start: " + e.getMessage(), e);
        }
        chunkServers.set(index, server);
        chunkServerMetrics.set(index, MetricsServer.start(server.id(), settings.bindAddress(), 0, server::scrapeMetrics,
                server::serving));
    }

    /** The master, and its metrics on a free port. */
    private void startMaster() {
        master = new MasterServer(masterConfig,
                security.serverBuilder(masterConfig.masterId(), settings.bindAddress(), masterConfig.port()),
                GrpcChunkServerClient.channelPool(security));
        master.start();
        masterMetrics = MetricsServer.start(master.id(), settings.bindAddress(), 0, master.metrics()::scrape,
                master::serving);
    }

    /** Stops chunkserver {@code index} (0-based) cleanly; its data stays on disk. */
    public synchronized void stopChunkServer(int index) {
        closeMetrics(index);
        ChunkServer server = chunkServers.set(index, null);
        if (server != null) {
            server.close();
        }
    }

    /**
     * Stops chunkserver {@code index} (0-based) abruptly, as {@code kill -9} would: calls in flight are
     * cut, the master is told nothing. Its data stays on disk for {@link #startChunkServer}.
     */
    public synchronized void killChunkServer(int index) {
        closeMetrics(index);
        ChunkServer server = chunkServers.set(index, null);
        if (server != null) {
            server.kill();
        }
    }

    /**
     * Stops the master and starts a new one on the same port and Redis; chunkservers and clients
     * reconnect by themselves. Needs a fixed master port ({@link LocalSettings#withMasterPort}).
     *
     * @throws IllegalStateException when the master port was chosen at random
     */
    public synchronized void restartMaster() {
        stopMaster();
        startMasterAgain();
    }

    /**
     * Stops the master, as an outage would; chunkservers and the gateway keep running and find it gone.
     * {@link #startMasterAgain} ends the outage. Needs a fixed master port, as {@link #restartMaster} does.
     *
     * @throws IllegalStateException when the master port was chosen at random, or the master is stopped
     */
    public synchronized void stopMaster() {
        if (settings.masterPort() == 0) {
            throw new IllegalStateException("restarting the master needs a fixed master port: withMasterPort(port)");
        }
        if (master == null) {
            throw new IllegalStateException("the master is stopped already");
        }
        masterMetrics.close();
        masterMetrics = null;
        master.close();
        master = null;
    }

    /**
     * Starts a new master on the same port and Redis after {@link #stopMaster}.
     *
     * @throws IllegalStateException when the master is running
     */
    public synchronized void startMasterAgain() {
        if (master != null) {
            throw new IllegalStateException("the master is running");
        }
        startMaster();
    }

    private void closeMetrics(int index) {
        MetricsServer metrics = chunkServerMetrics.set(index, null);
        if (metrics != null) {
            metrics.close();
        }
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

    /** The HTTP port serving the master's Prometheus metrics at {@code /metrics}. */
    public synchronized int masterMetricsPort() {
        return masterMetrics.port();
    }

    /**
     * The HTTP port serving chunkserver {@code index}'s (0-based) Prometheus metrics at {@code /metrics}.
     *
     * @throws IllegalStateException when that chunkserver is stopped
     */
    public synchronized int chunkServerMetricsPort(int index) {
        MetricsServer metrics = chunkServerMetrics.get(index);
        if (metrics == null) {
            throw new IllegalStateException("chunkserver " + (index + 1) + " is stopped");
        }
        return metrics.port();
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

    /** The running master. */
    public synchronized MasterServer master() {
        return master;
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
        return connectHost() + ":" + (master != null ? master.port() : settings.masterPort());
    }

    /** Where the parts reach each other: loopback, unless the ports listen on one other address only. */
    private String connectHost() {
        String bind = settings.bindAddress();
        return bind.equals("0.0.0.0") || bind.equals("::") ? LOOPBACK : bind;
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

    /** The running chunkserver {@code index} (0-based), or null if stopped. */
    public synchronized ChunkServer chunkServer(int index) {
        return chunkServers.get(index);
    }

    /** Stops everything, last started first; data stays on disk. Safe to call twice. */
    @Override
    public synchronized void close() {
        List<AutoCloseable> parts = new ArrayList<>();
        parts.add(gateway);
        parts.add(client);
        for (int i = chunkServers.size() - 1; i >= 0; i--) {
            parts.add(chunkServerMetrics.get(i));
            parts.add(chunkServers.get(i));
        }
        parts.add(masterMetrics);
        parts.add(master);
        parts.add(redis);
        parts.removeIf(part -> part == null);
        chunkServers.replaceAll(server -> null);
        chunkServerMetrics.replaceAll(metrics -> null);
        masterMetrics = null;
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
