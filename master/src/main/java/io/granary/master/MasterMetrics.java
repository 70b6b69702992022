package io.granary.master;

import io.granary.common.metrics.Registries;
import io.granary.master.cluster.ChunkServerInfo;
import io.granary.master.cluster.ClusterHealth;
import io.granary.master.cluster.ClusterStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master's meters: JVM, gRPC calls (see {@code GrpcServerMetrics}), Redis command latency
 * (lettuce's timers, renamed into the {@code granary_redis_*} namespace), and the cluster gauges,
 * computed once per scrape from {@link ClusterHealth#status()} (O(committed chunks), like
 * {@code GetCluster}). Thread-safe.
 */
public final class MasterMetrics {
    private static final Logger log = LoggerFactory.getLogger(MasterMetrics.class);
    private static final String LETTUCE_PREFIX = "lettuce.command.";
    private static final String REDIS_PREFIX = "granary.redis.command.";

    private final String masterId;
    private final Clock clock;
    private final PrometheusMeterRegistry registry = Registries.prometheusWithJvm(renameLettuce());
    private final MultiGauge heartbeatAge = MultiGauge.builder("granary.chunkserver.heartbeat.age")
            .description("Seconds since the master last heard a heartbeat answer from the chunkserver")
            .baseUnit("seconds").register(registry);
    private volatile ClusterHealth health;
    private volatile ClusterStatus status;

    MasterMetrics(String masterId, Clock clock) {
        this.masterId = masterId;
        this.clock = clock;
        gauge("granary.cluster.chunkservers.live", "Chunkservers the master considers alive", null,
                s -> s.chunkServers().stream().filter(ChunkServerInfo::alive).count());
        gauge("granary.cluster.chunks.under.replicated", "Committed chunks below their replication", null,
                ClusterStatus::underReplicated);
        gauge("granary.cluster.chunks.missing", "Committed chunks with no live replica", null, ClusterStatus::missing);
        gauge("granary.cluster.chunks.corrupt", "Committed chunks with a replica known to be corrupt", null,
                s -> s.repair().corruptChunks());
        gauge("granary.cluster.repair.queue", "Chunks waiting for a repair copy to be scheduled", null,
                s -> s.repair().queued());
        gauge("granary.cluster.repair.in.flight", "Repair copies running now", null, s -> s.repair().inFlight());
        gauge("granary.cluster.gc.pending", "Estimated bytes waiting for garbage collection", "bytes",
                s -> s.repair().gcPendingBytes());
        gauge("granary.cluster.balancer.outside", "Chunkservers whose usage lies outside the balancer's threshold",
                null, s -> s.balancer().outside().size());
        gauge("granary.cluster.balancer.moves.in.flight", "Balancer moves copying now", null,
                s -> s.balancer().movesInFlight());
        gauge("granary.cluster.balancer.moved", "Bytes the balancer moved since this master became active", "bytes",
                s -> s.balancer().bytesMoved());
        Gauge.builder("granary.master.active", this, m -> m.health == null ? 0 : 1).strongReference(true)
                .description("1 while this master is the active one, whose cluster gauges count; 0 as a standby")
                .register(registry);
    }

    /** The registry, for the gRPC interceptor and the Redis connection. */
    PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Where the cluster gauges come from; until this is called they read NaN. */
    void bind(ClusterHealth clusterHealth) {
        this.health = clusterHealth;
    }

    /**
     * The master stepped down: its cluster gauges read NaN and its heartbeat ages are gone, so that a
     * standby's scrape never shows the counts of a term it no longer has (and alerts on them do not fire
     * from it).
     */
    synchronized void unbind() {
        health = null;
        status = null;
        heartbeatAge.register(List.of(), true);
    }

    /** Recomputes the cluster gauges, then renders every meter in the Prometheus text format. */
    public String scrape() {
        refresh();
        return registry.scrape();
    }

    private synchronized void refresh() {
        ClusterHealth source = health;
        if (source == null) {
            return;
        }
        try {
            ClusterStatus now = source.status();
            if (health != source) {
                return; // stepped down meanwhile
            }
            status = now;
            long nowMs = clock.millis();
            heartbeatAge.register(now.chunkServers().stream()
                    .filter(server -> server.lastHeartbeatMs() > 0)
                    .map(server -> MultiGauge.Row.of(Tags.of("chunkserver", server.id()),
                            Math.max(0, nowMs - server.lastHeartbeatMs()) / 1000.0))
                    .toList(), true);
        } catch (RuntimeException e) {
            // the gauges keep their last values: a scrape must not fail because a count could not be made
            log.warn("{}: cluster metrics not refreshed: {}", masterId, e.toString());
        }
    }

    private void gauge(String name, String description, String unit, ToDoubleFunction<ClusterStatus> value) {
        Gauge.builder(name, this, m -> m.read(value)).strongReference(true).description(description).baseUnit(unit)
                .register(registry);
    }

    private double read(ToDoubleFunction<ClusterStatus> value) {
        ClusterStatus current = status;
        return current == null ? Double.NaN : value.applyAsDouble(current);
    }

    /** {@code lettuce.command.completion} becomes {@code granary.redis.command.completion}, and so on. */
    private static MeterFilter renameLettuce() {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                return id.getName().startsWith(LETTUCE_PREFIX)
                        ? id.withName(REDIS_PREFIX + id.getName().substring(LETTUCE_PREFIX.length()))
                        : id;
            }
        };
    }
}
