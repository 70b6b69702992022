package io.granary.launcher.local;

import io.granary.common.grpc.ClusterSecurity;
import io.granary.common.metrics.MetricsServer;
import io.granary.master.MasterConfig;
import io.granary.master.MasterServer;
import io.granary.master.grpc.GrpcChunkServerClient;
import java.time.Clock;

/**
 * The master of a cluster in this JVM and its metrics port, which can be stopped and started again
 * on the same Redis (and, with a fixed port in its configuration, the same port). Thread-safe.
 */
public final class MasterNode implements AutoCloseable {
    private final MasterConfig config;
    private final ClusterSecurity security;
    private final String bindAddress;
    private MasterServer server;
    private MetricsServer metrics;

    MasterNode(MasterConfig config, ClusterSecurity security, String bindAddress) {
        this.config = config;
        this.security = security;
        this.bindAddress = bindAddress;
    }

    /**
     * Starts the master, and its metrics on a free port.
     *
     * @throws IllegalStateException when it is running
     */
    public synchronized void start() {
        if (server != null) {
            throw new IllegalStateException("the master is running");
        }
        MasterServer started = new MasterServer(config,
                security.serverBuilder(config.masterId(), bindAddress, config.port()),
                GrpcChunkServerClient.channelPool(security), security.chunkAccess(Clock.systemUTC()));
        started.start();
        server = started;
        metrics = MetricsServer.start(started.id(), bindAddress, 0, started.metrics()::scrape, started::serving);
    }

    /** Stops it cleanly. Does nothing when it is stopped. */
    @Override
    public synchronized void close() {
        if (metrics != null) {
            metrics.close();
            metrics = null;
        }
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** The running master, or null when stopped. */
    public synchronized MasterServer server() {
        return server;
    }

    public MasterConfig config() {
        return config;
    }

    /** The port of its gRPC endpoint: the configured one, or the one it got when that was 0. */
    public synchronized int port() {
        return server != null ? server.port() : config.port();
    }

    /**
     * The HTTP port serving its Prometheus metrics at {@code /metrics}.
     *
     * @throws IllegalStateException when it is stopped
     */
    public synchronized int metricsPort() {
        if (metrics == null) {
            throw new IllegalStateException("the master is stopped");
        }
        return metrics.port();
    }
}
