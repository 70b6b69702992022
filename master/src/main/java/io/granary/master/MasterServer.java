package io.granary.master;

import io.granary.common.GranaryException;
import io.granary.common.MonotonicClock;
import io.granary.common.NamedThreadFactory;
import io.granary.common.grpc.ChannelPool;
import io.granary.common.grpc.ChunkAccess;
import io.granary.common.grpc.ClusterSecretInterceptors;
import io.granary.common.grpc.ClusterSecurity;
import io.granary.common.grpc.GrpcServerMetrics;
import io.granary.common.grpc.RequestIds;
import io.granary.common.grpc.StandbyRefusal;
import io.granary.common.net.AuthFailureLimiter;
import io.granary.master.auth.Tokens;
import io.granary.master.grpc.GrpcChunkServerClient;
import io.granary.master.grpc.PrincipalAdmission;
import io.granary.master.grpc.StandbyServices;
import io.granary.master.grpc.StoreHealthTask;
import io.granary.master.ha.LeaseTask;
import io.granary.master.store.RedisMetadataStore;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServiceDescriptor;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.grpc.util.MutableHandlerRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
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
 * A master process: connects to Redis, serves the metadata services over gRPC while it holds the
 * master lease, and runs the heartbeat, repair, upload-expiry and trash tasks meanwhile. Any number of
 * masters may share one Redis: the others are standbys, which refuse metadata calls naming the
 * active master ({@link StandbyServices}) and take the lease over when it lapses ({@link LeaseTask}).
 * {@link #start()} once, {@link #close()} to stop.
 */
public final class MasterServer implements AutoCloseable, LeaseTask.Role {
    private static final Logger log = LoggerFactory.getLogger(MasterServer.class);
    /** Threads serving rpcs; they block on Redis, so they are not the transport's event loop. */
    static final int RPC_THREADS = 16;
    static final int HEARTBEAT_REPLY_THREADS = 2;
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);

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
    /** The lease and the store's health checks: never blocked by the active term's tasks. */
    private final ScheduledExecutorService leaseTasks =
            Executors.newSingleThreadScheduledExecutor(new NamedThreadFactory("master-lease"));
    /** Where the metadata services live: the active term's, or a standby's refusals. */
    private final MutableHandlerRegistry services = new MutableHandlerRegistry();
    /**
     * {@code grpc.health.v1}: SERVING while active and Redis answers ({@link StoreHealthTask}),
     * NOT_SERVING as a standby or while Redis does not answer, and for good from {@link #close()}.
     */
    private final HealthStatusManager health = new HealthStatusManager();
    private final MasterMetrics metrics;
    private volatile StoreHealthTask storeHealth;
    private RedisMetadataStore store;
    private LeaseTask lease;
    /** The admin token this master generated because none existed; shown once by whoever started it. */
    private volatile Optional<String> generatedAdminToken = Optional.empty();
    private final Optional<ChunkAccess> chunkAccess;
    private Server server;
    private String advertised;
    private boolean started;
    private volatile ActiveTerm term; // written under the lock
    private volatile boolean closed; // written under the lock, read by serving() without it

    /**
     * A master listening on the configured port. Every call to it, and every call it makes to
     * chunkservers, carries {@code security}'s cluster secret (over TLS when configured).
     */
    public MasterServer(MasterConfig config, ClusterSecurity security) {
        this(config, security.serverBuilder(config.masterId(), config.port()),
                GrpcChunkServerClient.channelPool(security), security.chunkAccess(Clock.systemUTC()));
    }

    /**
     * For tests: any server transport (e.g. in-process) and any way to reach chunkservers. The server
     * takes ownership of {@code chunkServerChannels} and closes it.
     */
    public MasterServer(MasterConfig config, ServerBuilder<?> serverBuilder, ChannelPool chunkServerChannels) {
        this(config, serverBuilder, chunkServerChannels, Optional.empty());
    }

    /**
     * As {@link #MasterServer(MasterConfig, ServerBuilder, ChannelPool)}, signing {@code chunkAccess}
     * tickets (keyed by the cluster secret: see {@link ClusterSecurity#chunkAccess}) for the callers a
     * token admits, so that they can read and write chunks without the secret; empty: none.
     */
    public MasterServer(MasterConfig config, ServerBuilder<?> serverBuilder, ChannelPool chunkServerChannels,
                        Optional<ChunkAccess> chunkAccess) {
        this.chunkAccess = chunkAccess;
        this.config = config;
        this.serverBuilder = serverBuilder;
        this.chunkServers = new GrpcChunkServerClient(chunkServerChannels, this::epoch);
        this.metrics = new MasterMetrics(config.masterId(), clock);
    }

    /**
     * Connects to Redis, starts serving, and takes the master lease if nobody holds it (then loads
     * the cluster state and starts the periodic tasks before returning); otherwise it serves as a
     * standby until the lease lapses.
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
            store.awaitReplicas(config.redisWaitReplicas(), config.redisWaitTimeout());
            store.keepAudit(config.auditMaxEntries());
            serve();
            advertised = config.advertise().isEmpty() ? defaultHost() + ":" + server.getPort() : config.advertise();
            lease = new LeaseTask(config.masterId(), advertised, store.lease(), config.leaseTtl(), this, ticks);
            store.fenceWith(lease);
            storeHealth = new StoreHealthTask(config.masterId(), store, this::reportHealth);
            // the first attempt now, so that a lone master is active when start() returns
            lease.run();
            Duration every = LeaseTask.period(config.leaseTtl());
            leaseTasks.scheduleWithFixedDelay(lease, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
            Duration healthEvery = config.heartbeatInterval();
            leaseTasks.scheduleWithFixedDelay(storeHealth, healthEvery.toMillis(), healthEvery.toMillis(),
                    TimeUnit.MILLISECONDS);
            log.info("{}: serving on port {} as {}, advertised as {}", config.masterId(), port(),
                    active() ? "the active master" : "a standby", advertised);
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("master " + config.masterId() + " cannot serve on port " + config.port()
                    + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private void serve() throws IOException {
        String id = config.masterId();
        StandbyServices.refusing(this::refusal).forEach(services::addService);
        server = serverBuilder
                .addService(health.getHealthService())
                // behind the cluster secret like every service but health: see ClusterSecretInterceptors;
                // it lists the services of the fallback registry too, a standby's as an active master's
                .addService(ProtoReflectionServiceV1.newInstance())
                .fallbackHandlerRegistry(services)
                // a token's caller is admitted here, before the cluster secret is asked for
                .intercept(ClusterSecretInterceptors.admitting(id,
                        new PrincipalAdmission(new Tokens(id, store.tokens(), clock), AuthFailureLimiter.withDefaults())))
                .intercept(new GrpcServerMetrics(metrics.registry()))
                .intercept(RequestIds.serverInterceptor(id))
                .executor(rpcExecutor)
                .build()
                .start();
        reportHealth();
    }

    private StatusRuntimeException refusal() {
        LeaseTask current = lease;
        return StandbyRefusal.of(config.masterId(), current == null ? Optional.empty() : current.activeMaster());
    }

    /** Becomes the active master at {@code epoch}: learns the cluster afresh and serves. */
    @Override
    public void activate(long epoch) {
        synchronized (this) {
            if (closed) {
                return;
            }
            ActiveTerm next = new ActiveTerm(epoch, config, store, chunkServers, heartbeatReplies, clock, ticks,
                    chunkAccess);
            next.generatedAdminToken().ifPresent(token -> generatedAdminToken = Optional.of(token));
            next.services().forEach(services::addService);
            metrics.bind(next.clusterHealth());
            term = next;
        }
        reportHealth();
    }

    /** Stops acting as the active master: refuses calls again and stops the term's tasks. */
    @Override
    public void stepDown(String why) {
        synchronized (this) {
            ActiveTerm ending = term;
            term = null;
            if (!closed) {
                StandbyServices.refusing(this::refusal).forEach(services::addService);
            }
            if (ending != null) {
                metrics.unbind();
                ending.close();
            }
        }
        reportHealth();
    }

    private void reportHealth() {
        ServingStatus status = serving() ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
        // after close() the manager is in its terminal state and ignores this
        health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, status);
        for (ServiceDescriptor service : StandbyServices.metadataServices()) {
            health.setStatus(service.getName(), status);
        }
    }

    /** This machine's name, as other processes on its network reach it; loopback when it has none. */
    private static String defaultHost() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "127.0.0.1";
        }
    }

    /** The port served on (the chosen one when configured with 0); -1 for a transport without ports. */
    public synchronized int port() {
        if (server == null) {
            throw new IllegalStateException("master " + config.masterId() + " is not started");
        }
        return server.getPort();
    }

    /** The {@code host:port} this master holds the lease as, and that standbys name while it is active. */
    public synchronized String advertisedAddress() {
        if (advertised == null) {
            throw new IllegalStateException("master " + config.masterId() + " is not started");
        }
        return advertised;
    }

    /**
     * The admin token this master generated because none existed (a new cluster without
     * GRANARY_ADMIN_TOKEN): the caller prints it once. Empty otherwise.
     */
    public Optional<String> generatedAdminToken() {
        return generatedAdminToken;
    }

    /** Whether this master is the active one (it holds the lease, as far as it knows). Non-blocking. */
    public boolean active() {
        return term != null;
    }

    /** The fencing epoch of this master's lease; 0 while it is a standby. */
    public long epoch() {
        ActiveTerm current = term;
        return current == null ? 0 : current.epoch();
    }

    /**
     * What {@code grpc.health.v1} says, without a call: active, not closed, and Redis answered the
     * last ping. Non-blocking; thread-safe.
     */
    public boolean serving() {
        StoreHealthTask task = storeHealth;
        return task != null && task.storeReachable() && active() && !closed;
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

    /**
     * Stops serving, the tasks and every connection, giving the lease up if held so that a standby
     * takes over at once. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        // first, so that load balancers and probes stop sending work while calls in flight finish
        health.enterTerminalState();
        leaseTasks.shutdownNow();
        awaitLeaseTasks();
        stepDown("stopping");
        if (server != null) {
            server.shutdown();
            awaitServer();
        }
        releaseLease();
        chunkServers.close();
        heartbeatReplies.shutdownNow();
        rpcExecutor.shutdownNow();
        if (store != null) {
            store.close();
        }
        log.info("{}: stopped", config.masterId());
    }

    private void awaitLeaseTasks() {
        try {
            leaseTasks.awaitTermination(config.redisTimeout().toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void releaseLease() {
        if (lease == null) {
            return;
        }
        try {
            lease.release();
        } catch (GranaryException e) {
            log.warn("{}: could not release the master lease; a standby takes over when it lapses: {}",
                    config.masterId(), e.getMessage());
        }
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
