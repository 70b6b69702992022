package io.granary.common.metrics;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** Meter registries as every Granary process makes them. */
public final class Registries {
    private Registries() {
    }

    /**
     * A Prometheus registry with the JVM's memory, GC, thread, class-loading and CPU metrics bound,
     * where every timer publishes the buckets of {@link LatencyHistograms}.
     * {@code filters} (renames, say) apply to every meter. One per node, so nodes sharing a JVM (tests, {@code granary local}) keep their counts apart.
     */
    public static PrometheusMeterRegistry prometheusWithJvm(MeterFilter... filters) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // before any meter exists: a filter only applies to meters registered after it
        registry.config().meterFilter(new LatencyHistograms());
        for (MeterFilter filter : filters) {
            registry.config().meterFilter(filter);
        }
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        return registry;
    }
}
