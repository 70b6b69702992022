package io.granary.gateway;

import io.granary.client.ClientOptions;
import io.granary.common.grpc.ClusterSecurity;
import io.granary.common.grpc.MasterChannel;
import io.granary.gateway.auth.AccessConfig;
import io.granary.gateway.http.CorsSettings;
import io.granary.gateway.s3.S3Settings;
import java.time.Duration;

/**
 * Configuration of one gateway process. Immutable; defaults and limits are the named constants. Built with
 * {@link #builder(String)}, changed with {@link #toBuilder()}.
 *
 * @param port          HTTP port; 0 picks a free one (logged at start)
 * @param masterAddress {@code host:port} of the master's gRPC endpoint, or a comma-separated list of several
 *                      masters, of which the gateway follows the active one
 * @param maxThreads    upper bound of the HTTP thread pool; every upload or download in progress
 *                      holds one thread, so this bounds concurrent transfers (and their memory)
 * @param security      the cluster secret (and gRPC TLS) of every call to the master and chunkservers
 * @param httpTls       HTTPS certificate and key, or null for plain HTTP
 * @param access        presigning keys, trusted proxies and the failed-authentication limit
 * @param limits        limits on a request's head, its idle time and a form's fields
 * @param maxUploads    uploads streamed at once; more are refused with 503 and {@code Retry-After}. Each
 *                      holds a piece (1 MiB) in gRPC's direct buffers while it is on its way to a chunkserver
 * @param s3            the S3 port ({@link S3Settings#off()} for none); its uploads count against {@code maxUploads}
 * @param chunkCacheBytes bytes of small chunks the gateway's client keeps on the heap, so downloading a small
 *                      file again asks the master for its layout only ({@link ClientOptions#chunkCacheBytes()});
 *                      0 for none. For the client {@link GatewayServer#connect} makes: a gateway over a
 *                      client it is given uses that client's cache
 * @param cors          which web pages on other origins may call the HTTP API ({@link CorsSettings#OFF}: none)
 */
public record GatewayConfig(int port, String masterAddress, int maxThreads, ClusterSecurity security,
                            HttpTls httpTls, AccessConfig access, HttpLimits limits, int maxUploads, S3Settings s3,
                            long chunkCacheBytes, CorsSettings cors) {
    public static final int DEFAULT_PORT = 8080;
    public static final int DEFAULT_MAX_THREADS = 64;
    /** Half the default threads: the other half stays free for downloads, probes and metadata calls. */
    public static final int DEFAULT_MAX_UPLOADS = DEFAULT_MAX_THREADS / 2;
    /** Jetty's acceptor and selector threads come out of the same pool. */
    public static final int MIN_THREADS = 8;
    public static final Duration THREAD_IDLE_TIMEOUT = Duration.ofSeconds(60);
    /**
     * The HTTP/2 window of each stream from a chunkserver to a gateway's client
     * ({@link ClientOptions#chunkStreamWindowBytes}): what a chunkserver sends ahead of a download
     * whose HTTP client stalls waits there in direct memory. Each port streams 16 downloads at once by
     * default, each with at most two chunk streams: at 128 KiB, 8 MiB for both ports of the 64 MiB a
     * bounded {@code local} has; at the client's 1 MiB default, all of it.
     */
    public static final int CHUNK_STREAM_WINDOW_BYTES = 128 * 1024;

    public GatewayConfig {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be between 0 (any free port) and 65535, not " + port);
        }
        if (masterAddress == null || masterAddress.isBlank()) {
            throw new IllegalArgumentException("the master's address (host:port) is required");
        }
        MasterChannel.parseAddresses(masterAddress);
        if (access == null) {
            throw new IllegalArgumentException("access settings are required (AccessConfig.defaults())");
        }
        if (limits == null) {
            throw new IllegalArgumentException("HTTP limits are required (HttpLimits.defaults())");
        }
        if (maxThreads < MIN_THREADS) {
            throw new IllegalArgumentException("the HTTP thread pool needs at least " + MIN_THREADS
                    + " threads, not " + maxThreads);
        }
        if (security == null) {
            throw new IllegalArgumentException("cluster security is required (ClusterSecurity.none() in tests)");
        }
        if (s3 == null) {
            throw new IllegalArgumentException("S3 settings are required (S3Settings.off() for no S3 port)");
        }
        if (maxUploads < 1) {
            throw new IllegalArgumentException("at least 1 upload at a time is needed, not " + maxUploads);
        }
        if (cors == null) {
            throw new IllegalArgumentException("CORS settings are required (CorsSettings.OFF for none)");
        }
        if (chunkCacheBytes < 0) {
            throw new IllegalArgumentException("the chunk cache must be 0 (off) or more bytes, not " + chunkCacheBytes);
        }
    }

    /**
     * A builder holding the defaults, for a gateway of the given master: port {@value #DEFAULT_PORT},
     * no cluster secret ({@link ClusterSecurity#none()}, for tests: a gateway command sets the cluster's),
     * plain HTTP, default access settings.
     */
    public static Builder builder(String masterAddress) {
        return new Builder(masterAddress);
    }

    /** A builder holding this configuration, to change some of it. */
    public Builder toBuilder() {
        return new Builder(masterAddress).port(port).maxThreads(maxThreads).security(security).httpTls(httpTls)
                .access(access).limits(limits).maxUploads(maxUploads).s3(s3).chunkCacheBytes(chunkCacheBytes).cors(cors);
    }

    /**
     * Collects the settings of a {@link GatewayConfig}, starting from the defaults; {@link #build()}
     * validates them. Not thread-safe.
     */
    public static final class Builder {
        private int port = DEFAULT_PORT;
        private String masterAddress;
        private int maxThreads = DEFAULT_MAX_THREADS;
        private ClusterSecurity security = ClusterSecurity.none();
        private HttpTls httpTls;
        private AccessConfig access = AccessConfig.defaults();
        private HttpLimits limits = HttpLimits.defaults();
        private int maxUploads = DEFAULT_MAX_UPLOADS;
        private S3Settings s3 = S3Settings.off();
        private long chunkCacheBytes = ClientOptions.DEFAULT_CHUNK_CACHE_BYTES;
        private CorsSettings cors = CorsSettings.OFF;

        private Builder(String masterAddress) {
            this.masterAddress = masterAddress;
        }

        public Builder port(int value) {
            port = value;
            return this;
        }

        public Builder masterAddress(String value) {
            masterAddress = value;
            return this;
        }

        public Builder maxThreads(int value) {
            maxThreads = value;
            return this;
        }

        public Builder security(ClusterSecurity value) {
            security = value;
            return this;
        }

        /** HTTPS certificate and key; null (the default) for plain HTTP. */
        public Builder httpTls(HttpTls value) {
            httpTls = value;
            return this;
        }

        public Builder access(AccessConfig value) {
            access = value;
            return this;
        }

        /** Limits on request heads, idle connections and form fields. */
        public Builder limits(HttpLimits value) {
            limits = value;
            return this;
        }

        public Builder maxUploads(int value) {
            maxUploads = value;
            return this;
        }

        /** The S3 port; {@link S3Settings#off()} (the default) for none. */
        public Builder s3(S3Settings value) {
            s3 = value;
            return this;
        }

        /** Bytes of small chunks kept in memory; 0 for none. */
        public Builder chunkCacheBytes(long value) {
            chunkCacheBytes = value;
            return this;
        }

        /** Cross-origin calls from web pages; {@link CorsSettings#OFF} (the default) for none. */
        public Builder cors(CorsSettings value) {
            cors = value;
            return this;
        }

        /**
         * The configuration.
         *
         * @throws IllegalArgumentException saying which setting is wrong
         */
        public GatewayConfig build() {
            return new GatewayConfig(port, masterAddress, maxThreads, security, httpTls, access, limits, maxUploads, s3,
                    chunkCacheBytes, cors);
        }
    }
}
