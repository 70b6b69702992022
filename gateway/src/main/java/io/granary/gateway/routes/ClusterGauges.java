package io.granary.gateway.routes;

import io.granary.client.ClusterView;
import io.granary.client.GranaryClient;
import io.granary.common.GranaryException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.function.ToDoubleFunction;

/**
 * Gauges read from the master's cluster view. The view is cached for {@link #MAX_AGE}, so a scrape
 * reading six gauges asks the master once, and scrapes in quick succession not at all. Thread-safe.
 */
final class ClusterGauges {
    static final Duration MAX_AGE = Duration.ofSeconds(5);

    private final GranaryClient client;
    private ClusterView cached;
    private long fetchedAtNanos;

    private ClusterGauges(GranaryClient client) {
        this.client = client;
    }

    /** Registers the gauges; each reads NaN while the master does not answer. */
    static void register(MeterRegistry registry, GranaryClient client) {
        ClusterGauges gauges = new ClusterGauges(client);
        gauges.gauge(registry, "granary.cluster.chunkservers.live", "Chunkservers the master considers alive",
                null, ClusterView::liveCount);
        gauges.gauge(registry, "granary.cluster.chunks.under.replicated", "Committed chunks below their replication",
                null, ClusterView::underReplicatedChunks);
        gauges.gauge(registry, "granary.cluster.chunks.missing", "Committed chunks with no live replica",
                null, ClusterView::missingChunks);
        gauges.gauge(registry, "granary.cluster.chunks.corrupt", "Committed chunks with a replica known to be corrupt",
                null, v -> v.repair().corruptChunks());
        gauges.gauge(registry, "granary.cluster.repair.queue", "Chunks waiting for a repair copy to be scheduled",
                null, v -> v.repair().repairQueue());
        gauges.gauge(registry, "granary.cluster.gc.pending", "Estimated bytes waiting for garbage collection",
                "bytes", v -> v.repair().gcPendingBytes());
    }

    private void gauge(MeterRegistry registry, String name, String description, String unit,
                       ToDoubleFunction<ClusterView> value) {
        // strong: nothing else holds this object, and a weakly held one would read NaN after a GC
        Gauge.builder(name, this, g -> g.read(value)).strongReference(true).description(description).baseUnit(unit)
                .register(registry);
    }

    private double read(ToDoubleFunction<ClusterView> value) {
        ClusterView view = view();
        return view == null ? Double.NaN : value.applyAsDouble(view);
    }

    private synchronized ClusterView view() {
        long now = System.nanoTime();
        if (fetchedAtNanos == 0 || now - fetchedAtNanos >= MAX_AGE.toNanos()) {
            // a failed fetch is cached too: a master that is down is not asked again on every gauge
            fetchedAtNanos = now;
            try {
                cached = client.cluster();
            } catch (GranaryException e) {
                cached = null;
            }
        }
        return cached;
    }
}
