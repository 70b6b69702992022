package io.granary.master;

import io.granary.common.MonotonicClock;
import io.granary.common.NamedThreadFactory;
import io.granary.common.grpc.ChunkAccess;
import io.granary.master.access.GrantCleanupTask;
import io.granary.master.access.Grants;
import io.granary.master.audit.AuditLog;
import io.granary.master.audit.AuditTrimTask;
import io.granary.master.auth.S3Keys;
import io.granary.master.auth.Tokens;
import io.granary.master.cluster.BalancePlanner;
import io.granary.master.cluster.BalancerTask;
import io.granary.master.cluster.ChunkLocations;
import io.granary.master.cluster.ChunkServerClient;
import io.granary.master.cluster.ChunkServerRegistry;
import io.granary.master.cluster.ClusterHealth;
import io.granary.master.cluster.ClusterState;
import io.granary.master.cluster.CopyTracker;
import io.granary.master.cluster.CorruptReplicas;
import io.granary.master.cluster.DecommissionTask;
import io.granary.master.cluster.Decommissioner;
import io.granary.master.cluster.Decommissions;
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
import io.granary.master.grpc.MasterGrpcService;
import io.granary.master.namespace.Directories;
import io.granary.master.namespace.MultipartUploads;
import io.granary.master.namespace.Namespace;
import io.granary.master.namespace.ReclaimTask;
import io.granary.master.namespace.UploadExpiryTask;
import io.granary.master.store.RedisMetadataStore;
import io.grpc.BindableService;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One spell of this master as the active one, from taking the lease to losing it or stopping: the
 * cluster state learnt from scratch (as after a restart: safe mode, chunk reports), the services
 * over it, and the periodic tasks on a scheduler of its own. Nothing of it outlives {@link #close()},
 * so a master that becomes active again starts afresh from Redis and the chunkservers.
 */
final class ActiveTerm implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ActiveTerm.class);
    /** How often expired IP grants are dropped from Redis (they stop working at their deadline regardless). */
    private static final Duration GRANT_CLEANUP_EVERY = Duration.ofSeconds(10);
    /** How often audit entries past their maximum age are dropped: a day's age is kept to within a minute. */
    private static final Duration AUDIT_TRIM_EVERY = Duration.ofMinutes(1);
    /** Long enough for a 1 GiB chunk at a modest copy bandwidth; a copy that takes longer is retried. */
    static final Duration COPY_DEADLINE = Duration.ofMinutes(10);

    private final long epoch;
    private final List<BindableService> services;
    private final ClusterHealth clusterHealth;
    private final Optional<String> generatedAdminToken;
    private final ScheduledExecutorService tasks;

    /**
     * Loads the cluster state for {@code epoch} from {@code store} and starts the periodic tasks.
     *
     * @throws io.granary.common.GranaryException when Redis fails or refuses the epoch; nothing is left running
     */
    ActiveTerm(long epoch, MasterConfig config, RedisMetadataStore store, ChunkServerClient chunkServers,
               ExecutorService heartbeatReplies, Clock clock, MonotonicClock ticks,
               Optional<ChunkAccess> chunkAccess) {
        this.epoch = epoch;
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
        Decommissions decommissions = new Decommissions();
        Decommissioner decommissioner = new Decommissioner(id, store, registry, decommissions, clock);
        ClusterState cluster = new ClusterState(registry, locations, replication, new PlacementPolicy(decommissions),
                corrupt, safeMode, demand);
        Namespace namespace = new Namespace(id, store, cluster, gc, config.defaultReplication(),
                config.defaultChunkSizeBytes(), clock);
        MultipartUploads multipart = new MultipartUploads(id, store, cluster, gc, namespace, clock);
        Directories directories = new Directories(id, store, cluster, clock);
        RepairPlanner planner = new RepairPlanner(registry, locations, replication, corrupt, copies, demand,
                decommissions);
        RepairTask repairs = new RepairTask(id, planner, copies, locations, corrupt, deletes, safeMode, chunkServers,
                COPY_DEADLINE, heartbeatReplies, ticks);
        tasks = Executors.newSingleThreadScheduledExecutor(new NamedThreadFactory("master-tasks-" + epoch));
        BalancerTask balancer = new BalancerTask(id, config.balancer(),
                new BalancePlanner(registry, locations, replication, corrupt, copies, decommissions,
                        config.balancer().thresholdPercent()),
                repairs, copies, locations, replication, corrupt, registry, decommissions, deletes, safeMode,
                chunkServers, COPY_DEADLINE, config.heartbeatInterval(), tasks, ticks);
        clusterHealth = new ClusterHealth(id, registry, locations, replication, corrupt, copies, deletes,
                repairs, balancer, safeMode, store, decommissions);
        Grants grants = new Grants(id, store.grants(), clock);
        AuditLog audit = new AuditLog(store.audit(), config.auditMaxAge());

        store.initialize(clock.millis());
        // The committed chunks first: safe mode measures the share of them that has been reported.
        store.forEachCommittedChunk(replication::put);
        log.info("{}: epoch {}: {} committed chunk(s) in the namespace", id, epoch, replication.size());
        membership.restore();
        decommissioner.restore();

        Tokens tokens = new Tokens(id, store.tokens(), clock);
        generatedAdminToken = tokens.ensureAdmin(config.adminToken());
        S3Keys s3Keys = new S3Keys(id, store.s3Keys(), clock);
        MasterGrpcService.Settings settings = new MasterGrpcService.Settings(id, config.defaultReplication(),
                config.defaultChunkSizeBytes(), config.heartbeatInterval(), chunkAccess);
        services = List.of(
                new MasterGrpcService(settings, namespace, multipart, directories, membership, clusterHealth,
                        decommissioner, store, audit),
                new GrantGrpcService(grants),
                new AuthGrpcService(tokens, s3Keys));

        schedule(new HeartbeatTask(id, registry, membership, chunkServers, heartbeatDeadline(config), heartbeatReplies),
                Duration.ZERO, config.heartbeatInterval());
        schedule(repairs, config.heartbeatInterval(), config.heartbeatInterval());
        if (config.balancer().enabled()) {
            schedule(balancer, config.heartbeatInterval(), config.heartbeatInterval());
            log.info("{}: epoch {}: balancer {}", id, epoch, config.balancer());
        }
        schedule(new DecommissionTask(id, decommissioner, decommissions, registry, locations, replication, corrupt,
                safeMode), config.heartbeatInterval(), config.heartbeatInterval());
        Duration expiryEvery = clamp(config.uploadTimeout().dividedBy(10), Duration.ofMillis(100), Duration.ofMinutes(1));
        schedule(new UploadExpiryTask(id, namespace, config.uploadTimeout(), config.multipartTimeout(), clock),
                expiryEvery, expiryEvery);
        Duration trashEvery = clamp(config.gcGrace().dividedBy(4), Duration.ofMillis(100), Duration.ofSeconds(30));
        schedule(new TrashTask(id, gc), trashEvery, trashEvery);
        // finishes recursive deletes cut short by a Redis outage or a master stop; first run at start
        schedule(new ReclaimTask(id, directories), Duration.ZERO, trashEvery);
        schedule(new GrantCleanupTask(id, grants), GRANT_CLEANUP_EVERY, GRANT_CLEANUP_EVERY);
        schedule(new AuditTrimTask(id, audit), Duration.ZERO, AUDIT_TRIM_EVERY);
    }

    /** Long enough for a busy chunkserver, short enough that a hung one is noticed before dead-after. */
    private static Duration heartbeatDeadline(MasterConfig config) {
        return clamp(config.heartbeatInterval(), Duration.ofSeconds(1), config.deadAfter());
    }

    private void schedule(Runnable task, Duration initialDelay, Duration every) {
        tasks.scheduleWithFixedDelay(task, initialDelay.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    static Duration clamp(Duration value, Duration min, Duration max) {
        return value.compareTo(min) < 0 ? min : value.compareTo(max) > 0 ? max : value;
    }

    long epoch() {
        return epoch;
    }

    /** The metadata services over this term's state. */
    List<BindableService> services() {
        return services;
    }

    ClusterHealth clusterHealth() {
        return clusterHealth;
    }

    /** The admin token this term generated because none existed; see {@link MasterServer#generatedAdminToken()}. */
    Optional<String> generatedAdminToken() {
        return generatedAdminToken;
    }

    /** Stops the periodic tasks; calls in flight on the services finish against Redis, which fences them. */
    @Override
    public void close() {
        tasks.shutdownNow();
    }
}
