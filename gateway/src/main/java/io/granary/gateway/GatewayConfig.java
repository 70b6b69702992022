package io.granary.gateway;

import io.granary.common.ByteSize;
import java.time.Duration;

/**
 * Configuration of one gateway process. Immutable; defaults and limits are the named constants.
 *
 * @param port          HTTP port; 0 picks a free one (logged at start)
 * @param masterAddress {@code host:port} of the master's gRPC endpoint
 * @param maxThreads    upper bound of the HTTP thread pool; every upload or download in progress
 *                      holds one thread, so this bounds concurrent transfers (and their memory)
 * @param access        presigning keys, trusted proxies and request limits
 */
public record GatewayConfig(int port, String masterAddress, int maxThreads, AccessConfig access) {
    public static final String NODE_ID = "gateway";
    public static final int DEFAULT_PORT = 8080;
    public static final int DEFAULT_MAX_THREADS = 64;
    /** Jetty's acceptor and selector threads come out of the same pool. */
    public static final int MIN_THREADS = 8;
    public static final Duration THREAD_IDLE_TIMEOUT = Duration.ofSeconds(60);
    /** Bytes copied from a chunk stream to the HTTP response at a time. */
    public static final int DOWNLOAD_BUFFER_BYTES = (int) (64 * ByteSize.KIB);

    public GatewayConfig {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be between 0 (any free port) and 65535, not " + port);
        }
        if (masterAddress == null || masterAddress.isBlank()) {
            throw new IllegalArgumentException("the master's address (host:port) is required");
        }
        if (access == null) {
            throw new IllegalArgumentException("access settings are required (AccessConfig.defaults())");
        }
        if (maxThreads < MIN_THREADS) {
            throw new IllegalArgumentException("the HTTP thread pool needs at least " + MIN_THREADS
                    + " threads, not " + maxThreads);
        }
    }

    /** Default access settings. */
    public GatewayConfig(int port, String masterAddress, int maxThreads) {
        this(port, masterAddress, maxThreads, AccessConfig.defaults());
    }

    /** The defaults, with the given port and master. */
    public static GatewayConfig of(int port, String masterAddress) {
        return new GatewayConfig(port, masterAddress, DEFAULT_MAX_THREADS);
    }

    public GatewayConfig withAccess(AccessConfig value) {
        return new GatewayConfig(port, masterAddress, maxThreads, value);
    }
}
