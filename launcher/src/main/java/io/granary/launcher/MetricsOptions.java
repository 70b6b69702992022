package io.granary.launcher;

import io.granary.common.metrics.MetricsServer;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/** {@code --metrics-port} of {@code master} and {@code chunkserver}: Prometheus metrics over HTTP. */
final class MetricsOptions {
    @Option(names = "--metrics-port", paramLabel = "PORT", defaultValue = "${env:GRANARY_METRICS_PORT:-" + MetricsServer.OFF + "}",
            description = "HTTP port serving Prometheus metrics at /metrics and readiness at /health/ready; 0 picks a free one (logged), "
                    + "-1 turns it off (default: ${DEFAULT-VALUE}).")
    int metricsPort;

    /**
     * The metrics and readiness endpoint of {@code nodeId}, or empty when turned off.
     *
     * @throws IllegalArgumentException for a port below -1 or above 65535
     */
    Optional<MetricsServer> start(String nodeId, Supplier<String> scrape, BooleanSupplier ready) {
        if (metricsPort < MetricsServer.OFF || metricsPort > 65_535) {
            throw new IllegalArgumentException("--metrics-port must be -1 (off), 0 (any free port) or a port up to "
                    + "65535, not " + metricsPort);
        }
        return metricsPort == MetricsServer.OFF ? Optional.empty()
                : Optional.of(MetricsServer.start(nodeId, null, metricsPort, scrape, ready));
    }
}
