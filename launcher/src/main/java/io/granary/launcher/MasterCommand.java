package io.granary.launcher;

import io.granary.launcher.cli.ByteSizeConverter;
import io.granary.launcher.cli.DurationConverter;
import io.granary.launcher.daemon.Daemon;
import io.granary.master.MasterConfig;
import io.granary.master.MasterServer;
import io.granary.master.cluster.BalancerSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code granary master}: the metadata server, on a Redis of its own choosing. */
@Command(name = "master", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs the master: namespace and chunk map in Redis, placement, heartbeats.")
final class MasterCommand implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "${env:GRANARY_PORT:-" + MasterConfig.DEFAULT_PORT + "}",
            description = "gRPC port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Mixin
    RedisOption redis;

    @Option(names = "--id", paramLabel = "NAME", defaultValue = "${env:GRANARY_ID:-" + MasterConfig.DEFAULT_MASTER_ID + "}",
            description = "This master's name in logs and answers; give each master its own (default: ${DEFAULT-VALUE}).")
    String id;

    @Option(names = "--advertise", paramLabel = "HOST:PORT", defaultValue = "${env:GRANARY_ADVERTISE}",
            description = "How other processes reach this master: its identity as the lease holder, and where "
                    + "standbys send clients (default: this machine's name and the bound port).")
    String advertise;

    @Option(names = "--lease-ttl", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "${env:GRANARY_LEASE_TTL:-" + MasterConfig.DEFAULT_LEASE_TTL_TEXT + "}",
            description = "How long the active master's lease lasts unless renewed: the longest a failed active "
                    + "master leaves the cluster without one (default: ${DEFAULT-VALUE}).")
    Duration leaseTtl;

    @Mixin
    RedisWaitOptions redisWait;

    @Mixin
    AuditOptions audit;

    @Mixin
    PlacementOptions placement;

    @Mixin
    ClusterSecurityOptions security;

    @Option(names = "--heartbeat-interval", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "${env:GRANARY_HEARTBEAT_INTERVAL:-" + MasterConfig.DEFAULT_HEARTBEAT_INTERVAL_TEXT + "}",
            description = "How often each chunkserver is heartbeated (default: ${DEFAULT-VALUE}).")
    Duration heartbeatInterval;

    @Option(names = "--dead-after", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "${env:GRANARY_DEAD_AFTER:-" + MasterConfig.DEFAULT_DEAD_AFTER_TEXT + "}",
            description = "A chunkserver silent this long is declared dead (default: ${DEFAULT-VALUE}).")
    Duration deadAfter;

    @Option(names = "--gc-grace", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "${env:GRANARY_GC_GRACE:-" + MasterConfig.DEFAULT_GC_GRACE_TEXT + "}",
            description = "Deleted chunks stay on disk this long, so readers of a replaced file finish "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration gcGrace;

    @Mixin
    UploadTimeoutOption uploadTimeout;

    @Mixin
    MultipartTimeoutOption multipartTimeout;

    @Option(names = "--max-copies-per-chunkserver", paramLabel = "N",
            defaultValue = "${env:GRANARY_MAX_COPIES_PER_CHUNKSERVER:-"
                    + MasterConfig.DEFAULT_MAX_COPIES_PER_CHUNKSERVER + "}",
            description = "Repair copies one chunkserver takes part in at once (default: ${DEFAULT-VALUE}).")
    int maxCopiesPerChunkServer;

    @Option(names = "--max-copies", paramLabel = "N", 
            defaultValue = "${env:GRANARY_MAX_COPIES:-" + MasterConfig.DEFAULT_MAX_COPIES_IN_CLUSTER + "}",
            description = "Repair copies running at once in the whole cluster (default: ${DEFAULT-VALUE}).")
    int maxCopies;

    @Option(names = "--balancer", defaultValue = "${env:GRANARY_BALANCER:-false}", arity = "0..1",
            description = "Move replicas from the fullest chunkservers to the emptiest until each one's usage lies "
                    + "within --balancer-threshold of the average; repairs come first (default: ${DEFAULT-VALUE}).")
    boolean balancer;

    @Option(names = "--balancer-threshold", paramLabel = "PERCENT",
            defaultValue = "${env:GRANARY_BALANCER_THRESHOLD:-" + BalancerSettings.DEFAULT_THRESHOLD_TEXT + "}",
            description = "Percentage points of capacity a chunkserver's usage may lie above or below the average "
                    + "(default: ${DEFAULT-VALUE}).")
    double balancerThreshold;

    @Option(names = "--balancer-bandwidth", paramLabel = "SIZE", converter = ByteSizeConverter.class,
            defaultValue = "${env:GRANARY_BALANCER_BANDWIDTH:-" + BalancerSettings.DEFAULT_BANDWIDTH_TEXT + "}",
            description = "Bytes per second the balancer's moves copy at most, in the whole cluster "
                    + "(default: ${DEFAULT-VALUE}).")
    long balancerBandwidth;

    @Mixin
    MetricsOptions metrics;

    @Option(names = "--admin-token", paramLabel = "TOKEN", defaultValue = "${env:GRANARY_ADMIN_TOKEN}",
            description = "An admin token to accept (env GRANARY_ADMIN_TOKEN, preferred: a flag shows in ps); "
                    + "without it one is generated at first start and printed once.")
    String adminToken;

    @Override
    public Integer call() throws InterruptedException {
        MasterServer master = new MasterServer(config(), security.security());
        master.start();
        // printed once, on stdout (logs may be shipped elsewhere), and never again at a later start
        master.generatedAdminToken().ifPresent(token -> System.out.printf(
                "%nFirst admin token (shown only this once, keep it):%n  %s%n%n", token));
        List<AutoCloseable> parts = new ArrayList<>(List.of(master));
        try {
            metrics.start(master.id(), master.metrics()::scrape, master::serving).ifPresent(parts::add);
        } catch (RuntimeException e) {
            master.close();
            throw e;
        }
        return Daemon.runUntilShutdown(master.id(), parts);
    }

    /** The master's configuration from the flags and variables; validated. */
    MasterConfig config() {
        return MasterConfig.builder(redis.uri)
                .port(port)
                .masterId(id)
                .advertise(advertise)
                .leaseTtl(leaseTtl)
                .redisWaitReplicas(redisWait.replicas)
                .redisWaitTimeout(redisWait.timeout)
                .auditMaxEntries(audit.maxEntries)
                .auditMaxAge(audit.maxAge)
                .defaultChunkSizeBytes(placement.chunkSize)
                .defaultReplication(placement.replication)
                .heartbeatInterval(heartbeatInterval)
                .deadAfter(deadAfter)
                .gcGrace(gcGrace)
                .uploadTimeout(uploadTimeout.value)
                .multipartTimeout(multipartTimeout.value)
                .maxCopiesPerChunkServer(maxCopiesPerChunkServer)
                .maxCopiesInCluster(maxCopies)
                .balancer(new BalancerSettings(balancer, balancerThreshold, balancerBandwidth))
                .adminToken(adminToken)
                .build();
    }
}
