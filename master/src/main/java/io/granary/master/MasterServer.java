package io.granary.master;

import io.granary.common.MonotonicClock;
import io.granary.common.NamedThreadFactory;
import io.granary.common.grpc.ChannelPool;
import io.granary.common.grpc.ClusterSecurity;
import io.granary.common.grpc.GrpcServerMetrics;
import io.granary.common.grpc.RequestIds;
import io.granary.master.access.GrantCleanupTask;
import io.granary.master.access.Grants;
import io.granary.master.auth.S3Keys;
import io.granary.master.auth.Tokens;
import io.granary.master.cluster.ChunkLocations;
import io.granary.master.cluster.ChunkServerRegistry;
import io.granary.master.cluster.ClusterHealth;
import io.granary.master.cluster.ClusterState;
import io.granary.master.cluster.CopyTracker;
import io.granary.master.cluster.CorruptReplicas;
import io.granary.master.cluster.DeleteQueue;
import io.granary.master.cluster.GarbageCollector;
import io.granary.master.cluster.HeartbeatTask;
import io.granary.master.cluster.Membership;
import io.granary.master.cluster.PlacementPolicy;
import io.granary.master.cluster.ReadDemand;
import io.granary.master.cluster.RepairPlanner;
import io.granary.master.cluster.RepairTask;
import io.granary.master.cluster.ReplicationIndex;
import io.granary.master.cluster.SafeMode;
import io.granary.master.cluster.TrashTask;
import io.granary.master.grpc.AuthGrpcService;
import io.granary.master.grpc.GrantGrpcService;
import io.granary.master.grpc.GrpcChunkServerClient;
import io.granary.master.grpc.MasterGrpcService;
import io.granary.master.grpc.StoreHealthTask;
import io.granary.master.namespace.Directories;
import io.granary.master.namespace.MultipartUploads;
import io.granary.master.namespace.Namespace;
import io.granary.master.namespace.ReclaimTask;
import io.granary.master.namespace.UploadExpiryTask;
import io.granary.master.store.RedisMetadataStore;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A master process: connects to Redis, serves {@code MasterService} over gRPC, and runs the
 * heartbeat, upload-expiry and trash tasks. {@link #start()} once, {@link #close()} to stop.
 */
public final class MasterServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MasterServer.class);
    /** Threads serving rpcs; they block on Redis, so they are not the transport's event loop. */
    static final int RPC_THREADS = 16;
    static final int HEARTBEAT_REPLY_THREADS = 2;
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);
    /** How often expired IP grants are dropped from Redis (they stop working at their deadline regardless). */
    private static final Duration GRANT_CLEANUP_EVERY = Duration.ofSeconds(10);
    /** Long enough for a 1 GiB chunk at a modest copy bandwidth; a copy that takes longer is retried. */
    static final Duration COPY_DEADLINE = Duration.ofMinutes(10);

    private final MasterConfig config;
    private final ServerBuilder<?> serverBuilder;
    private final GrpcChunkServerClient chunkServers;
    private final Clock clock = Clock.systemUTC();
    /** Durations measured inside the master (dead detection, safe mode, repair episodes): immune to clock steps. */
    private final MonotonicClock ticks = MonotonicClock.system();
    private final ExecutorService rpcExecutor =
            Executors.newFixedThreadPool(RPC_THREADS, new NamedThreadFactory("master-rpc"));
    private final ExecutorService heartbeatReplies =
            Executors.newFixedThreadPool(HEARTBEAT_REPLY_THREADS, new NamedThreadFactory("master-heartbeat"));
    private final ScheduledExecutorService tasks =
            Executors.newSingleThreadScheduledExecutor(new NamedThreadFactory("master-tasks"));
    /**
     * {@code grpc.health.v1}: SERVING once started, NOT_SERVING while Redis does not answer
     * ({@link StoreHealthTask}), and for good from {@link #close()}.
     */
    private final HealthStatusManager health = new HealthStatusManager();
    private final MasterMetrics metrics;
    private volatile StoreHealthTask storeHealth;
    private RedisMetadataStore store;
    /** The first admin token when this start generated it; shown once by whoever started the master. */
    private Optional<String> generatedAdminToken = Optional.empty();
    private Server server;
    private boolean started;
    private volatile boolean closed; // written under the lock, read by serving() without it

    /**
     * A master listening on the configured port. Every call to it, and every call it makes to
     * chunkservers, carries {@code security}'s cluster secret (over TLS when configured).
     */
    public MasterServer(MasterConfig config, ClusterSecurity security) {
        this(config, security.serverBuilder(config.masterId(), config.port()),
                GrpcChunkServerClient.channelPool(security));
    }

    /**
     * For tests: any server transport (e.g. in-process) and any way to reach chunkservers. The server
     * takes ownership of {@code chunkServerChannels} and closes it.
     */
    public MasterServer(MasterConfig config, ServerBuilder<?> serverBuilder, ChannelPool chunkServerChannels) {
        this.config = config;
        this.serverBuilder = serverBuilder;
        this.chunkServers = new GrpcChunkServerClient(chunkServerChannels);
        this.metrics = new MasterMetrics(config.masterId(), clock);
    }

    /**
     * Connects to Redis, loads the cluster state, starts serving and the periodic tasks.
     *
     * @throws io.granary.common.GranaryException UNAVAILABLE when Redis cannot be reached
     * @throws UncheckedIOException when the port cannot be bound
     * @throws IllegalStateException when called twice
     */
    public synchronized void start() {
        if (started) {
            throw new IllegalStateException("master " + config.masterId() + " was already started");
        }
        started = true;
        log.info("{}: starting with {}", config.masterId(), config);
        try {
            store = RedisMetadataStore.connect(config.redisUri(), config.redisTimeout(), config.keyPrefix(),
                    metrics.registry());
            store.initialize(clock.millis());
            wire();
            log.info("{}: serving on port {}", config.masterId(), port());
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("master " + config.masterId() + " cannot serve on port " + config.port()
                    + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private void wire() throws IOException {
        String id = config.masterId();
        ChunkServerRegistry registry = new ChunkServerRegistry(config.fullReportEvery(), ticks);
        ChunkLocations locations = new ChunkLocations();
        ReplicationIndex replication = new ReplicationIndex();
        DeleteQueue deletes = new DeleteQueue();
        CorruptReplicas corrupt = new CorruptReplicas();
        CopyTracker copies = new CopyTracker(config.maxCopiesPerChunkServer(), config.maxCopiesInCluster());
        SafeMode safeMode = new SafeMode(id, registry, locations, replication, config.deadAfter(), ticks);
        GarbageCollector gc = new GarbageCollector(id, store, locations, deletes, config.gcGrace(), clock);
        Membership membership = new Membership(id, store, registry, locations, deletes, gc, corrupt, safeMode,
                config.deadAfter(), clock);
        ReadDemand demand = new ReadDemand();
        ClusterState cluster = new ClusterState(registry, locations, replication, new PlacementPolicy(), corrupt,
                safeMode, demand);
        Namespace namespace = new Namespace(id, store, cluster, gc, config.defaultReplication(),
                config.defaultChunkSizeBytes(), clock);
        MultipartUploads multipart = new MultipartUploads(id, store, cluster, gc, namespace, clock);
        Directories directories = new Directories(id, store, cluster, clock);
        RepairTask repairs = new RepairTask(id, new RepairPlanner(registry, locations, replication, corrupt, copies, demand),
                copies, locations, corrupt, deletes, safeMode, chunkServers, COPY_DEADLINE, heartbeatReplies, ticks);
        ClusterHealth clusterHealth = new ClusterHealth(id, registry, locations, replication, corrupt, copies, deletes,
                repairs, safeMode, store);

        // The committed chunks first: safe mode measures the share of them that has been reported.
        Grants grants = new Grants(id, store.grants(), clock);

        store.forEachCommittedChunk(replication::put);
        log.info("{}: {} committed chunk(s) in the namespace", id, replication.size());
        membership.restore();
        metrics.bind(clusterHealth);

        Tokens tokens = new Tokens(id, store.tokens(), clock);
        generatedAdminToken = tokens.ensureAdmin(config.adminToken());
        S3Keys s3Keys = new S3Keys(id, store.s3Keys(), clock);
        MasterGrpcService.Settings settings = new MasterGrpcService.Settings(id, config.defaultReplication(),
                config.defaultChunkSizeBytes(), config.heartbeatInterval());
        server = serverBuilder.addService(new MasterGrpcService(settings, namespace, multipart, directories, membership,
                        clusterHealth, store))
                .addService(new GrantGrpcService(grants))
                .addService(new AuthGrpcService(tokens, s3Keys))
                .addService(health.getHealthService())
                .intercept(new GrpcServerMetrics(metrics.registry()))
                .intercept(RequestIds.serverInterceptor(id))
                .executor(rpcExecutor)
                .build()
                .start();
        health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.SERVING);
        schedule(new HeartbeatTask(id, registry, membership, chunkServers, heartbeatDeadline(), heartbeatReplies),
                Duration.ZERO, config.heartbeatInterval());
        schedule(repairs, config.heartbeatInterval(), config.heartbeatInterval());
        storeHealth = new StoreHealthTask(id, store, health);
        schedule(storeHealth, config.heartbeatInterval(), config.heartbeatInterval());
        Duration expiryEvery = clamp(config.uploadTimeout().dividedBy(10), Duration.ofMillis(100), Duration.ofMinutes(1));
        schedule(new UploadExpiryTask(id, namespace, config.uploadTimeout(), config.multipartTimeout(), clock),
                expiryEvery, expiryEvery);
        Duration trashEvery = clamp(config.gcGrace().dividedBy(4), Duration.ofMillis(100), Duration.ofSeconds(30));
        schedule(new TrashTask(id, gc), trashEvery, trashEvery);
        // finishes recursive deletes cut short by a Redis outage or a master stop; first run at start
        schedule(new ReclaimTask(id, directories), Duration.ZERO, trashEvery);
        schedule(new GrantCleanupTask(id, grants), GRANT_CLEANUP_EVERY, GRANT_CLEANUP_EVERY);
    }

    /** Long enough for a busy chunkserver, short enough that a hung one is noticed before dead-after. */
    private Duration heartbeatDeadline() {
        return clamp(config.heartbeatInterval(), Duration.ofSeconds(1), config.deadAfter());
    }

    private void schedule(Runnable task, Duration initialDelay, Duration every) {
        tasks.scheduleWithFixedDelay(task, initialDelay.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static Duration clamp(Duration value, Duration min, Duration max) {
        return value.compareTo(min) < 0 ? min : value.compareTo(max) > 0 ? max : value;
    }

    /** The port served on (the chosen one when configured with 0); -1 for a transport without ports. */
    public synchronized int port() {
        if (server == null) {
            throw new IllegalStateException("master " + config.masterId() + " is not started");
        }
        return server.getPort();
    }

    /**
     * The admin token this start generated because none existed (a new cluster without
     * GRANARY_ADMIN_TOKEN): the caller prints it once. Empty on every later start.
     */
    public synchronized Optional<String> generatedAdminToken() {
        return generatedAdminToken;
    }

    /**
     * What {@code grpc.health.v1} says, without a call: started, not closed, and Redis answered the
     * last ping. Non-blocking; thread-safe.
     */
    public boolean serving() {
        StoreHealthTask task = storeHealth;
        return task != null && task.storeReachable() && !closed;
    }

    public String id() {
        return config.masterId();
    }

    /** This master's meters, for its metrics port. */
    public MasterMetrics metrics() {
        return metrics;
    }

    public MasterConfig config() {
        return config;
    }

    /** Stops serving, the tasks and every connection. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        // first, so that load balancers and probes stop sending work while calls in flight finish
        health.enterTerminalState();
        tasks.shutdownNow();
        if (server != null) {
            server.shutdown();
            awaitServer();
        }
        chunkServers.close();
        heartbeatReplies.shutdownNow();
        rpcExecutor.shutdownNow();
        if (store != null) {
            store.close();
        }
        log.info("{}: stopped", config.masterId());
    }

    private void awaitServer() {
        try {
            if (!server.awaitTermination(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                server.shutdownNow();
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
