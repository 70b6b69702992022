package io.granary.launcher.local;

import io.granary.chunkserver.ChunkServer;
import io.granary.chunkserver.ChunkServerConfig;
import io.granary.common.grpc.ClusterSecurity;
import io.granary.common.metrics.MetricsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;

/**
 * One chunkserver of a cluster in this JVM and its metrics port, which can be stopped and started
 * again on the same data directory and port-0 rules as often as wanted. Thread-safe.
 */
public final class ChunkServerNode implements AutoCloseable {
    private final ChunkServerConfig config;
    private final ClusterSecurity security;
    private final String bindAddress;
    private ChunkServer server;
    private MetricsServer metrics;

    ChunkServerNode(ChunkServerConfig config, ClusterSecurity security, String bindAddress) {
        this.config = config;
        this.security = security;
        this.bindAddress = bindAddress;
    }

    /**
     * Starts the chunkserver on its data directory, and its metrics on a free port.
     *
     * @throws IllegalStateException when it is running
     * @throws UncheckedIOException  when it cannot start; nothing is left running
     */
    public synchronized void start() {
        if (server != null) {
            throw new IllegalStateException(config.id() + " is running");
        }
        ChunkServer started = new ChunkServer(config, security.serverBuilder(config.id(), bindAddress, config.port()),
                ChunkServer.channelPool(security), security.chunkAccess(Clock.systemUTC()));
        try {
            started.start();
        } catch (IOException e) {
            started.close();
            throw new UncheckedIOException(config.id() + " cannot start: " + e.getMessage(), e);
        }
        server = started;
        metrics = MetricsServer.start(started.id(), bindAddress, 0, started::scrapeMetrics, started::serving);
    }

    /** Stops it cleanly; its data stays on disk. Does nothing when it is stopped. */
    @Override
    public synchronized void close() {
        closeMetrics();
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /**
     * Stops it abruptly, as {@code kill -9} would: calls in flight are cut, the master is told
     * nothing. Its data stays on disk for {@link #start()}.
     */
    public synchronized void kill() {
        closeMetrics();
        if (server != null) {
            server.kill();
            server = null;
        }
    }

    /** The running chunkserver, or null when stopped. */
    public synchronized ChunkServer server() {
        return server;
    }

    public ChunkServerConfig config() {
        return config;
    }

    /**
     * The HTTP port serving its Prometheus metrics at {@code /metrics}.
     *
     * @throws IllegalStateException when it is stopped
     */
    public synchronized int metricsPort() {
        if (metrics == null) {
            throw new IllegalStateException(config.id() + " is stopped");
        }
        return metrics.port();
    }

    private void closeMetrics() {
        if (metrics != null) {
            metrics.close();
            metrics = null;
        }
    }
}
