package io.granary.launcher.local;

import io.granary.chunkserver.ChunkServerConfig;
import io.granary.client.ClientOptions;
import io.granary.common.AccessTokens;
import io.granary.common.ChunkSizes;
import io.granary.common.GranaryException;
import io.granary.common.S3AccessKeys;
import io.granary.gateway.http.CorsSettings;
import io.granary.gateway.s3.S3Settings;
import io.granary.master.MasterConfig;
import io.granary.master.model.FileLimits;
import io.granary.master.store.RedisUris;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link LocalCluster} is made of. Immutable; checked on construction so that nothing is
 * started (not even Redis) when a setting is wrong. Built with {@link #builder(Path, int)}, changed with
 * {@link #toBuilder()}.
 *
 * @param dataDir           everything lives under it: {@code redis/} and {@code chunkservers/<n>/}
 * @param gatewayPort       HTTP port of the gateway; 0 picks a free one
 * @param masterPort        gRPC port of the master; 0 picks a free one
 * @param chunkservers      how many chunkservers to run
 * @param chunkSizeBytes    default chunk size of uploads
 * @param replication       default replicas per chunk; at most {@code chunkservers}
 * @param redisUri          an external Redis, or null to run the embedded one under {@code dataDir/redis}
 * @param heartbeatInterval how often the master heartbeats each chunkserver
 * @param deadAfter         silence after which a chunkserver is declared dead
 * @param gcGrace           how long deleted chunks stay on disk before they are collected
 * @param scrubInterval     each chunkserver's scrubber re-reads a chunk not checked for this long
 * @param scrubBytesPerSecond the scrubbers' read rate cap; 0 turns them off
 * @param capacityBytes     bytes each chunkserver may store; 0 means its disk's free space
 * @param adminToken        an admin token the master makes sure exists; "" to let it generate one at
 *                          first start (returned once by {@link LocalCluster#generatedAdminToken()})
 * @param uploadTimeout     an upload idle this long is abandoned and its chunks collected
 * @param bindAddress       the address the master's and chunkservers' gRPC ports and every metrics
 *                          port listen on ({@value #DEFAULT_BIND_ADDRESS} unless told otherwise); the
 *                          gateway's HTTP port listens on every interface
 * @param s3AccessKey       the access key id of an S3 key the admin principal is given at every start;
 *                          "" (with an empty {@code s3SecretKey}) to let one be generated when the admin
 *                          has none (returned once by {@link LocalCluster#generatedS3Key()})
 * @param s3SecretKey       its secret key: set together with {@code s3AccessKey}, or both left empty
 * @param s3Port            the gateway's S3 port: {@value #DEFAULT_S3_PORT} (or, when it is taken, the next
 *                          free port above it), another port, 0 for any free port, or
 *                          {@link S3Settings#OFF} for no S3 port
 * @param chunkCacheBytes   bytes of small chunks the gateway's client keeps in memory
 *                          ({@link io.granary.client.ClientOptions#chunkCacheBytes()}); 0 for none
 * @param redisWaitReplicas Redis replicas that must confirm each metadata change before the master
 *                          acknowledges it ({@link MasterConfig#redisWaitReplicas()}); more than 0 only
 *                          with an external {@code redisUri}, as the embedded Redis has no replica
 * @param redisWaitTimeout  how long a change waits for them ({@link MasterConfig#redisWaitTimeout()})
 * @param cors              which web pages' scripts may call the gateway's HTTP API; {@link CorsSettings#OFF} by default
 * @param auditMaxEntries   the most entries the audit log keeps ({@link MasterConfig#auditMaxEntries()})
 * @param auditMaxAge       audit entries older than this are dropped ({@link MasterConfig#auditMaxAge()})
 */
public record LocalSettings(Path dataDir, int gatewayPort, int masterPort, int chunkservers, long chunkSizeBytes,
                            int replication, String redisUri, Duration heartbeatInterval, Duration deadAfter,
                            Duration gcGrace, Duration scrubInterval, long scrubBytesPerSecond, long capacityBytes,
                            String adminToken, Duration uploadTimeout, String bindAddress, String s3AccessKey,
                            String s3SecretKey, int s3Port, long chunkCacheBytes, int redisWaitReplicas,
                            Duration redisWaitTimeout, CorsSettings cors, long auditMaxEntries,
                            Duration auditMaxAge) {

    public static final String DEFAULT_DATA_DIR = "./data";
    /** 0: the master's gRPC port is a free one, printed in the banner. */
    public static final int DEFAULT_MASTER_PORT = 0;
    public static final int DEFAULT_CHUNKSERVERS = 3;
    /** Loopback: on a shared machine or network, nothing but the gateway is reachable from elsewhere. */
    public static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";
    /** The S3 port of {@code granary local}, as MinIO's; the next free one above it when it is taken. */
    public static final int DEFAULT_S3_PORT = 9000;
    /** Enough for a laptop; each chunkserver costs a few threads and a little heap. */
    public static final int MAX_CHUNKSERVERS = 32;

    public LocalSettings {
        adminToken = adminToken == null ? "" : adminToken;
        s3AccessKey = s3AccessKey == null ? "" : s3AccessKey;
        s3SecretKey = s3SecretKey == null ? "" : s3SecretKey;
        checkS3Key(s3AccessKey, s3SecretKey);
        if (s3Port < S3Settings.OFF || s3Port > 65_535) {
            throw new IllegalArgumentException("--s3-port must be between 0 (any free port) and 65535, or -1 for no "
                    + "S3 port, not " + s3Port);
        }
        MasterConfig.checkRedisWait(redisWaitReplicas, redisWaitTimeout, MasterConfig.DEFAULT_REDIS_TIMEOUT);
        MasterConfig.checkAuditRetention(auditMaxEntries, auditMaxAge);
        if (redisWaitReplicas > 0 && redisUri == null) {
            throw new IllegalArgumentException("--redis-wait-replicas " + redisWaitReplicas + " needs --redis: the "
                    + "embedded Redis has no replica, so no change could be confirmed");
        }
        if (chunkCacheBytes < 0) {
            throw new IllegalArgumentException("--chunk-cache must be 0 or more bytes, not " + chunkCacheBytes);
        }
        if (uploadTimeout == null || uploadTimeout.isNegative() || uploadTimeout.isZero()) {
            throw new IllegalArgumentException("upload timeout must be a positive duration, not " + uploadTimeout);
        }
        if (bindAddress == null || bindAddress.isBlank()) {
            throw new IllegalArgumentException("a bind address is required, like " + DEFAULT_BIND_ADDRESS);
        }
        if (dataDir == null) {
            throw new IllegalArgumentException("a data directory is required");
        }
        if (chunkservers < 1 || chunkservers > MAX_CHUNKSERVERS) {
            throw new IllegalArgumentException("--chunkservers " + chunkservers + " is not between 1 and "
                    + MAX_CHUNKSERVERS);
        }
        ChunkSizes.check(chunkSizeBytes);
        FileLimits.checkReplication(replication);
        if (replication > chunkservers) {
            throw new IllegalArgumentException("replication " + replication + " needs at least " + replication
                    + " chunkservers, but --chunkservers is " + chunkservers
                    + "; lower --replication or add chunkservers");
        }
    }

    /** Both parts of a configured S3 key, or neither; each of the form {@link S3AccessKeys} accepts. */
    private static void checkS3Key(String accessKeyId, String secretKey) {
        if (accessKeyId.isEmpty() != secretKey.isEmpty()) {
            throw new IllegalArgumentException("--s3-access-key and --s3-secret-key (GRANARY_S3_ACCESS_KEY, "
                    + "GRANARY_S3_SECRET_KEY) go together: set both, or neither to have a key generated");
        }
        if (!accessKeyId.isEmpty()) {
            try {
                S3AccessKeys.checkAccessKeyId(accessKeyId);
                S3AccessKeys.checkSecretKey(secretKey);
            } catch (GranaryException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }
    }

    /**
     * The defaults of {@code granary local}, under {@code dataDir}, on the given gateway port, with a
     * fresh random admin token and S3 key, so that a test knows them whatever the state of {@code dataDir}.
     */
    public static LocalSettings defaults(Path dataDir, int gatewayPort) {
        return builder(dataDir, gatewayPort).build();
    }

    /**
     * A builder holding the defaults of {@code granary local}, under {@code dataDir}, on the given gateway
     * port, with a fresh random admin token and S3 key (see {@link #defaults}).
     */
    public static Builder builder(Path dataDir, int gatewayPort) {
        return new Builder(dataDir, gatewayPort);
    }

    /** A builder holding these settings, to change some of them. */
    public Builder toBuilder() {
        return new Builder(dataDir, gatewayPort).masterPort(masterPort).chunkservers(chunkservers)
                .chunkSizeBytes(chunkSizeBytes).replication(replication).redisUri(redisUri)
                .heartbeatInterval(heartbeatInterval).deadAfter(deadAfter).gcGrace(gcGrace)
                .scrubInterval(scrubInterval).scrubBytesPerSecond(scrubBytesPerSecond).capacityBytes(capacityBytes)
                .adminToken(adminToken).uploadTimeout(uploadTimeout).bindAddress(bindAddress)
                .s3Key(s3AccessKey, s3SecretKey).s3Port(s3Port).chunkCacheBytes(chunkCacheBytes)
                .redisWait(redisWaitReplicas, redisWaitTimeout).cors(cors).auditRetention(auditMaxEntries, auditMaxAge);
    }


    /** For logs: the admin token and the S3 secret key are masked. */
    @Override
    public String toString() {
        return "LocalSettings[dataDir=" + dataDir + ", gatewayPort=" + gatewayPort + ", masterPort=" + masterPort
                + ", chunkservers=" + chunkservers + ", chunkSizeBytes=" + chunkSizeBytes + ", replication=" + replication
                + ", redisUri=" + RedisUris.masked(redisUri) + ", heartbeatInterval=" + heartbeatInterval + ", deadAfter=" + deadAfter
                + ", gcGrace=" + gcGrace + ", uploadTimeout=" + uploadTimeout + ", bindAddress=" + bindAddress
                + ", adminToken=" + (adminToken.isEmpty() ? "(generated)" : "***")
                + ", s3AccessKey=" + (s3AccessKey.isEmpty() ? "(generated)" : s3AccessKey)
                + ", s3SecretKey=" + (s3SecretKey.isEmpty() ? "(generated)" : "***") + ", s3Port=" + s3Port + ", chunkCacheBytes=" + chunkCacheBytes
                + ", redisWaitReplicas=" + redisWaitReplicas + ", redisWaitTimeout=" + redisWaitTimeout + ", cors=" + cors + ", auditMaxEntries=" + auditMaxEntries
                + ", auditMaxAge=" + auditMaxAge + "]";
    }

    /**
     * Collects the settings of a {@link LocalSettings}, starting from the defaults; {@link #build()}
     * validates them together (replication against chunkservers, say). Not thread-safe.
     */
    public static final class Builder {
        private Path dataDir;
        private int gatewayPort;
        private int masterPort = DEFAULT_MASTER_PORT;
        private int chunkservers = DEFAULT_CHUNKSERVERS;
        private long chunkSizeBytes = MasterConfig.DEFAULT_CHUNK_SIZE_BYTES;
        private int replication = MasterConfig.DEFAULT_REPLICATION;
        private String redisUri;
        private Duration heartbeatInterval = MasterConfig.DEFAULT_HEARTBEAT_INTERVAL;
        private Duration deadAfter = MasterConfig.DEFAULT_DEAD_AFTER;
        private Duration gcGrace = MasterConfig.DEFAULT_GC_GRACE;
        private Duration scrubInterval = ChunkServerConfig.DEFAULT_SCRUB_INTERVAL;
        private long scrubBytesPerSecond = ChunkServerConfig.DEFAULT_SCRUB_BYTES_PER_SECOND;
        private long capacityBytes = ChunkServerConfig.DEFAULT_CAPACITY_BYTES;
        private String adminToken = AccessTokens.newToken();
        private Duration uploadTimeout = MasterConfig.DEFAULT_UPLOAD_TIMEOUT;
        private String bindAddress = DEFAULT_BIND_ADDRESS;
        private String s3AccessKey = S3AccessKeys.newAccessKeyId();
        private String s3SecretKey = S3AccessKeys.newSecretKey();
        private int s3Port = DEFAULT_S3_PORT;
        private long chunkCacheBytes = ClientOptions.DEFAULT_CHUNK_CACHE_BYTES;
        private int redisWaitReplicas = MasterConfig.DEFAULT_REDIS_WAIT_REPLICAS;
        private Duration redisWaitTimeout = MasterConfig.DEFAULT_REDIS_WAIT_TIMEOUT;
        private CorsSettings cors = CorsSettings.OFF;
        private long auditMaxEntries = MasterConfig.DEFAULT_AUDIT_MAX_ENTRIES;
        private Duration auditMaxAge = MasterConfig.DEFAULT_AUDIT_MAX_AGE;

        private Builder(Path dataDir, int gatewayPort) {
            this.dataDir = dataDir;
            this.gatewayPort = gatewayPort;
        }

        public Builder dataDir(Path value) {
            dataDir = value;
            return this;
        }

        public Builder gatewayPort(int value) {
            gatewayPort = value;
            return this;
        }

        public Builder masterPort(int value) {
            masterPort = value;
            return this;
        }

        public Builder chunkservers(int value) {
            chunkservers = value;
            return this;
        }

        public Builder chunkSizeBytes(long value) {
            chunkSizeBytes = value;
            return this;
        }

        public Builder replication(int value) {
            replication = value;
            return this;
        }

        /** An external Redis; null (the default) runs the embedded one under the data directory. */
        public Builder redisUri(String value) {
            redisUri = value;
            return this;
        }

        /**
         * Redis replicas that must confirm each metadata change (0 for none; more only with an
         * external Redis), and how long a change waits for them.
         */
        public Builder redisWait(int replicas, Duration timeout) {
            redisWaitReplicas = replicas;
            redisWaitTimeout = timeout;
            return this;
        }

        public Builder heartbeatInterval(Duration value) {
            heartbeatInterval = value;
            return this;
        }

        public Builder deadAfter(Duration value) {
            deadAfter = value;
            return this;
        }

        public Builder gcGrace(Duration value) {
            gcGrace = value;
            return this;
        }

        public Builder scrubInterval(Duration value) {
            scrubInterval = value;
            return this;
        }

        public Builder scrubBytesPerSecond(long value) {
            scrubBytesPerSecond = value;
            return this;
        }

        public Builder capacityBytes(long value) {
            capacityBytes = value;
            return this;
        }

        /** The admin token to register; "" or null lets the master generate one at first start and print it once. */
        public Builder adminToken(String value) {
            adminToken = value;
            return this;
        }

        public Builder uploadTimeout(Duration value) {
            uploadTimeout = value;
            return this;
        }

        public Builder bindAddress(String value) {
            bindAddress = value;
            return this;
        }

        /**
         * The S3 key (access key id and secret key, set together) the admin principal is given at every
         * start; "" or null for both lets one be generated when the admin has none, printed once.
         */
        public Builder s3Key(String accessKeyId, String secretKey) {
            s3AccessKey = accessKeyId;
            s3SecretKey = secretKey;
            return this;
        }

        /** The S3 port (see {@link LocalSettings#s3Port()}); {@link S3Settings#OFF} for none. */
        public Builder s3Port(int value) {
            s3Port = value;
            return this;
        }

        /** Bytes of small chunks the gateway's client keeps (see {@link LocalSettings#chunkCacheBytes()}); 0 for none. */
        public Builder chunkCacheBytes(long value) {
            chunkCacheBytes = value;
            return this;
        }

        /** The gateway's CORS (see {@link LocalSettings#cors()}). */
        public Builder cors(CorsSettings value) {
            cors = Objects.requireNonNull(value, "cors");
            return this;
        }

        /** How much of the audit log Redis keeps: at most {@code maxEntries}, none older than {@code maxAge}. */
        public Builder auditRetention(long maxEntries, Duration maxAge) {
            auditMaxEntries = maxEntries;
            auditMaxAge = maxAge;
            return this;
        }

        /**
         * The settings.
         *
         * @throws IllegalArgumentException saying which setting is wrong
         */
        public LocalSettings build() {
            return new LocalSettings(dataDir, gatewayPort, masterPort, chunkservers, chunkSizeBytes, replication,
                    redisUri, heartbeatInterval, deadAfter, gcGrace, scrubInterval, scrubBytesPerSecond, capacityBytes,
                    adminToken, uploadTimeout, bindAddress, s3AccessKey, s3SecretKey, s3Port, chunkCacheBytes,
                    redisWaitReplicas, redisWaitTimeout, cors, auditMaxEntries, auditMaxAge);
        }
    }
}
