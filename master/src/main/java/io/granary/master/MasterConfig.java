package io.granary.master;

import io.granary.common.ByteSize;
import io.granary.common.ChunkSizes;
import io.granary.common.Durations;
import io.granary.common.MasterEndpoint;
import io.granary.master.auth.Tokens;
import io.granary.master.cluster.BalancerSettings;
import io.granary.master.model.FileLimits;
import io.granary.master.store.RedisUris;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything a master process is configured with. Immutable; validated on construction, so a
 * {@link MasterServer} never starts with nonsense. Built with {@link #builder(String)}, changed with
 * {@link #toBuilder()}.
 *
 * @param port                  gRPC port; 0 picks a free one
 * @param redisUri              where the metadata lives, e.g. {@code redis://127.0.0.1:6379}
 * @param defaultChunkSizeBytes chunk size of uploads that do not ask for one
 * @param defaultReplication    replicas per chunk of uploads that do not ask for a number
 * @param heartbeatInterval     how often every chunkserver is heartbeated
 * @param deadAfter             a chunkserver silent this long is declared dead
 * @param uploadTimeout         an upload idle this long is abandoned and its chunks collected
 * @param multipartTimeout      a multipart upload idle this long is abandoned and its parts' chunks collected
 * @param gcGrace               deleted chunks stay on disk this long, so readers of a replaced file finish
 * @param redisTimeout          timeout of every Redis command (and of the first connection)
 * @param masterId              name of this master in logs and answers
 * @param keyPrefix             prefix (and Redis Cluster hash tag) of every key
 * @param fullReportEvery       every this many heartbeats a chunkserver is asked for its full chunk list
 * @param maxCopiesPerChunkServer repair copies one chunkserver takes part in at once, as source or target
 * @param maxCopiesInCluster    repair copies running at once in the whole cluster
 * @param adminToken            an admin token to make sure exists (GRANARY_ADMIN_TOKEN); "" to generate
 *                              one at first start instead
 * @param advertise             the {@code host:port} other processes reach this master at: its identity
 *                              as the lease holder, and where standbys send clients; "" for this host's
 *                              address facing the network (loopback without one) and the bound port
 * @param leaseTtl              how long the master lease lasts unless renewed: the longest a failed
 *                              active master keeps the cluster without one
 * @param redisWaitReplicas     Redis replicas that must confirm each metadata change (WAIT) before it
 *                              is acknowledged, so a Redis failover cannot lose it; 0 for none
 * @param redisWaitTimeout      how long a change waits for them; then it fails as DEADLINE_EXCEEDED
 * @param balancer              whether and how the balancer evens out the chunkservers' usage
 * @param auditMaxEntries       the most entries the audit log keeps; each change beyond drops the oldest
 * @param auditMaxAge           audit entries older than this are dropped (checked every minute)
 */
public record MasterConfig(
        int port,
        String redisUri,
        long defaultChunkSizeBytes,
        int defaultReplication,
        Duration heartbeatInterval,
        Duration deadAfter,
        Duration uploadTimeout,
        Duration multipartTimeout,
        Duration gcGrace,
        Duration redisTimeout,
        String masterId,
        String keyPrefix,
        int fullReportEvery,
        int maxCopiesPerChunkServer,
        int maxCopiesInCluster,
        String adminToken,
        String advertise,
        Duration leaseTtl,
        int redisWaitReplicas,
        Duration redisWaitTimeout,
        BalancerSettings balancer,
        long auditMaxEntries,
        Duration auditMaxAge) {

    /*
     * Defaults. Those that a flag takes are also kept as the text an operator writes (the flags'
     * defaults, --help and docs/configuration.md show it); the typed constant is parsed from that text, so the
     * two cannot disagree.
     */
    public static final int DEFAULT_PORT = MasterEndpoint.DEFAULT_PORT;
    public static final String DEFAULT_REDIS_URI = "redis://127.0.0.1:6379";
    public static final String DEFAULT_CHUNK_SIZE_TEXT = "64MiB";
    public static final long DEFAULT_CHUNK_SIZE_BYTES = ByteSize.parse(DEFAULT_CHUNK_SIZE_TEXT);
    public static final int DEFAULT_REPLICATION = 3;
    public static final String DEFAULT_HEARTBEAT_INTERVAL_TEXT = "3s";
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Durations.parse(DEFAULT_HEARTBEAT_INTERVAL_TEXT);
    public static final String DEFAULT_DEAD_AFTER_TEXT = "15s";
    public static final Duration DEFAULT_DEAD_AFTER = Durations.parse(DEFAULT_DEAD_AFTER_TEXT);
    public static final String DEFAULT_UPLOAD_TIMEOUT_TEXT = "1h";
    public static final Duration DEFAULT_UPLOAD_TIMEOUT = Durations.parse(DEFAULT_UPLOAD_TIMEOUT_TEXT);
    /** A multipart upload is resumed over days (S3 keeps one until aborted): a week of inactivity. */
    public static final String DEFAULT_MULTIPART_TIMEOUT_TEXT = "168h";
    public static final Duration DEFAULT_MULTIPART_TIMEOUT = Durations.parse(DEFAULT_MULTIPART_TIMEOUT_TEXT);
    public static final String DEFAULT_GC_GRACE_TEXT = "60s";
    public static final Duration DEFAULT_GC_GRACE = Durations.parse(DEFAULT_GC_GRACE_TEXT);
    public static final Duration DEFAULT_REDIS_TIMEOUT = Duration.ofSeconds(2);
    public static final String DEFAULT_MASTER_ID = "master";
    public static final String DEFAULT_KEY_PREFIX = "{granary}";
    public static final int DEFAULT_FULL_REPORT_EVERY = 10;
    /** Two copies per node keep repair from starving client traffic on a node's disk and network. */
    public static final int DEFAULT_MAX_COPIES_PER_CHUNKSERVER = 2;
    public static final int DEFAULT_MAX_COPIES_IN_CLUSTER = 32;
    /** Long enough that a GC pause or a Redis hiccup does not move the lease; a failover waits this out. */
    public static final String DEFAULT_LEASE_TTL_TEXT = "10s";
    public static final Duration DEFAULT_LEASE_TTL = Durations.parse(DEFAULT_LEASE_TTL_TEXT);
    /** A lease renewed a few times a second at most: shorter ones would load Redis for nothing. */
    static final Duration MIN_LEASE_TTL = Duration.ofSeconds(1);
    public static final int DEFAULT_REDIS_WAIT_REPLICAS = 0;
    /** Well under the Redis command timeout, which bounds the WAIT command itself. */
    public static final String DEFAULT_REDIS_WAIT_TIMEOUT_TEXT = "1s";
    public static final Duration DEFAULT_REDIS_WAIT_TIMEOUT = Durations.parse(DEFAULT_REDIS_WAIT_TIMEOUT_TEXT);
    /** Audit entries kept at most: some 30 MB of Redis at about 300 bytes an entry. */
    public static final long DEFAULT_AUDIT_MAX_ENTRIES = 100_000;
    /** 30 days. */
    public static final String DEFAULT_AUDIT_MAX_AGE_TEXT = "30d";
    public static final Duration DEFAULT_AUDIT_MAX_AGE = Durations.parse(DEFAULT_AUDIT_MAX_AGE_TEXT);

    public MasterConfig {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port " + port + " is not between 0 and 65535");
        }
        if (redisUri == null || redisUri.isBlank()) {
            throw new IllegalArgumentException("a Redis URI is required, like redis://127.0.0.1:6379");
        }
        ChunkSizes.check(defaultChunkSizeBytes);
        FileLimits.checkReplication(defaultReplication);
        requirePositive("heartbeat interval", heartbeatInterval);
        requirePositive("dead-after", deadAfter);
        requirePositive("upload timeout", uploadTimeout);
        requirePositive("multipart timeout", multipartTimeout);
        requirePositive("redis timeout", redisTimeout);
        Objects.requireNonNull(gcGrace, "gc grace");
        if (gcGrace.isNegative()) {
            throw new IllegalArgumentException("gc grace " + gcGrace + " is negative");
        }
        if (deadAfter.compareTo(heartbeatInterval) <= 0) {
            throw new IllegalArgumentException("dead-after " + deadAfter
                    + " must be longer than the heartbeat interval " + heartbeatInterval);
        }
        if (masterId == null || masterId.isBlank()) {
            throw new IllegalArgumentException("a master id is required");
        }
        checkKeyPrefix(keyPrefix);
        if (maxCopiesPerChunkServer < 1 || maxCopiesInCluster < 1) {
            throw new IllegalArgumentException("copy limits must be at least 1, not " + maxCopiesPerChunkServer
                    + " per chunkserver and " + maxCopiesInCluster + " in the cluster");
        }
        adminToken = adminToken == null ? "" : adminToken;
        Tokens.checkConfiguredAdmin(adminToken); // at start, not at each activation, which would step down again and again
        advertise = advertise == null ? "" : advertise.strip();
        if (!advertise.isEmpty() && !advertise.matches("(\\[[0-9A-Fa-f:.]+]|[^:\\[\\]\\s]+):[0-9]{1,5}")) {
            throw new IllegalArgumentException("advertised address '" + advertise + "' is not host:port");
        }
        checkRedisWait(redisWaitReplicas, redisWaitTimeout, redisTimeout);
        requirePositive("lease ttl", leaseTtl);
        if (leaseTtl.compareTo(MIN_LEASE_TTL) < 0) {
            throw new IllegalArgumentException("lease ttl " + leaseTtl + " is shorter than " + MIN_LEASE_TTL);
        }
        Objects.requireNonNull(balancer, "balancer settings");
        checkAuditRetention(auditMaxEntries, auditMaxAge);
        if (fullReportEvery < 1) {
            throw new IllegalArgumentException("full report every " + fullReportEvery + " heartbeats: must be at least 1");
        }
    }

    /** For the start-up log line: the Redis password, if the URI carries one, is masked. */
    @Override
    public String toString() {
        return "MasterConfig[port=" + port + ", redisUri=" + RedisUris.masked(redisUri)
                + ", defaultChunkSize=" + ByteSize.format(defaultChunkSizeBytes)
                + ", defaultReplication=" + defaultReplication + ", heartbeatInterval=" + heartbeatInterval
                + ", deadAfter=" + deadAfter + ", uploadTimeout=" + uploadTimeout + ", multipartTimeout=" + multipartTimeout
                + ", gcGrace=" + gcGrace
                + ", redisTimeout=" + redisTimeout + ", masterId=" + masterId + ", keyPrefix=" + keyPrefix
                + ", fullReportEvery=" + fullReportEvery + ", maxCopiesPerChunkServer=" + maxCopiesPerChunkServer
                + ", maxCopiesInCluster=" + maxCopiesInCluster
                + ", adminToken=" + (adminToken.isEmpty() ? "(generated at first start)" : "***")
                + ", advertise=" + (advertise.isEmpty() ? "(this host)" : advertise) + ", leaseTtl=" + leaseTtl
                + ", redisWaitReplicas=" + redisWaitReplicas + ", redisWaitTimeout=" + redisWaitTimeout
                + ", balancer=" + balancer + ", auditMaxEntries=" + auditMaxEntries + ", auditMaxAge=" + auditMaxAge
                + "]";
    }

    /** The defaults, talking to the given Redis. */
    public static MasterConfig defaults(String redisUri) {
        return builder(redisUri).build();
    }

    /**
     * Checks the replica wait settings as the constructor does, for a process that builds its
     * configuration later (after other checks of its own).
     *
     * @param redisTimeout the Redis command timeout, which bounds the {@code WAIT} command itself
     * @throws IllegalArgumentException saying which setting is wrong
     */
    public static void checkRedisWait(int replicas, Duration timeout, Duration redisTimeout) {
        if (replicas < 0) {
            throw new IllegalArgumentException("redis wait replicas " + replicas + " is negative");
        }
        requirePositive("redis wait timeout", timeout);
        if (replicas > 0 && timeout.compareTo(redisTimeout) >= 0) {
            throw new IllegalArgumentException("redis wait timeout " + timeout
                    + " must be shorter than the redis timeout " + redisTimeout + ", which bounds the WAIT itself");
        }
    }

    /**
     * Checks the audit log's retention as the constructor does, for a process that builds its
     * configuration later.
     *
     * @throws IllegalArgumentException saying which setting is wrong
     */
    public static void checkAuditRetention(long maxEntries, Duration maxAge) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("the audit log must keep at least 1 entry, not " + maxEntries);
        }
        requirePositive("audit max age", maxAge);
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, not " + value);
        }
    }

    /** A builder holding the defaults, talking to the given Redis. */
    /**
     * Checks a key prefix: it must start with a hash tag ({@code {granary}}), so that every key lives
     * in one Redis Cluster slot.
     *
     * @throws IllegalArgumentException saying so, when it does not
     */
    public static void checkKeyPrefix(String keyPrefix) {
        if (keyPrefix == null || !keyPrefix.matches("\\{[^{}]+}[^{}]*")) {
            throw new IllegalArgumentException("key prefix '" + keyPrefix
                    + "' must start with a hash tag like {granary}, so all keys live in one Redis Cluster slot");
        }
    }

    public static Builder builder(String redisUri) {
        return new Builder(redisUri);
    }

    /** A builder holding this configuration, to change some of it. */
    public Builder toBuilder() {
        return new Builder(redisUri).port(port).defaultChunkSizeBytes(defaultChunkSizeBytes)
                .defaultReplication(defaultReplication).heartbeatInterval(heartbeatInterval).deadAfter(deadAfter)
                .uploadTimeout(uploadTimeout).multipartTimeout(multipartTimeout).gcGrace(gcGrace).redisTimeout(redisTimeout).masterId(masterId)
                .keyPrefix(keyPrefix).fullReportEvery(fullReportEvery).maxCopiesPerChunkServer(maxCopiesPerChunkServer)
                .maxCopiesInCluster(maxCopiesInCluster).adminToken(adminToken).advertise(advertise).leaseTtl(leaseTtl)
                .redisWaitReplicas(redisWaitReplicas).redisWaitTimeout(redisWaitTimeout).balancer(balancer)
                .auditMaxEntries(auditMaxEntries).auditMaxAge(auditMaxAge);
    }

    /**
     * Collects the settings of a {@link MasterConfig}, starting from the defaults; {@link #build()}
     * validates them together (dead-after against the heartbeat interval, say). Not thread-safe.
     */
    public static final class Builder {
        private int port = DEFAULT_PORT;
        private String redisUri;
        private long defaultChunkSizeBytes = DEFAULT_CHUNK_SIZE_BYTES;
        private int defaultReplication = DEFAULT_REPLICATION;
        private Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;
        private Duration deadAfter = DEFAULT_DEAD_AFTER;
        private Duration uploadTimeout = DEFAULT_UPLOAD_TIMEOUT;
        private Duration multipartTimeout = DEFAULT_MULTIPART_TIMEOUT;
        private Duration gcGrace = DEFAULT_GC_GRACE;
        private Duration redisTimeout = DEFAULT_REDIS_TIMEOUT;
        private String masterId = DEFAULT_MASTER_ID;
        private String keyPrefix = DEFAULT_KEY_PREFIX;
        private int fullReportEvery = DEFAULT_FULL_REPORT_EVERY;
        private int maxCopiesPerChunkServer = DEFAULT_MAX_COPIES_PER_CHUNKSERVER;
        private int maxCopiesInCluster = DEFAULT_MAX_COPIES_IN_CLUSTER;
        private String adminToken = "";
        private String advertise = "";
        private Duration leaseTtl = DEFAULT_LEASE_TTL;
        private int redisWaitReplicas = DEFAULT_REDIS_WAIT_REPLICAS;
        private Duration redisWaitTimeout = DEFAULT_REDIS_WAIT_TIMEOUT;
        private long auditMaxEntries = DEFAULT_AUDIT_MAX_ENTRIES;
        private Duration auditMaxAge = DEFAULT_AUDIT_MAX_AGE;
        private BalancerSettings balancer = BalancerSettings.OFF;

        private Builder(String redisUri) {
            this.redisUri = redisUri;
        }

        public Builder port(int value) {
            port = value;
            return this;
        }

        public Builder redisUri(String value) {
            redisUri = value;
            return this;
        }

        public Builder defaultChunkSizeBytes(long value) {
            defaultChunkSizeBytes = value;
            return this;
        }

        public Builder defaultReplication(int value) {
            defaultReplication = value;
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

        public Builder uploadTimeout(Duration value) {
            uploadTimeout = value;
            return this;
        }

        public Builder multipartTimeout(Duration value) {
            multipartTimeout = value;
            return this;
        }

        public Builder gcGrace(Duration value) {
            gcGrace = value;
            return this;
        }

        public Builder redisTimeout(Duration value) {
            redisTimeout = value;
            return this;
        }

        public Builder masterId(String value) {
            masterId = value;
            return this;
        }

        public Builder keyPrefix(String value) {
            keyPrefix = value;
            return this;
        }

        public Builder fullReportEvery(int value) {
            fullReportEvery = value;
            return this;
        }

        public Builder maxCopiesPerChunkServer(int value) {
            maxCopiesPerChunkServer = value;
            return this;
        }

        public Builder maxCopiesInCluster(int value) {
            maxCopiesInCluster = value;
            return this;
        }

        /** An admin token that must exist (GRANARY_ADMIN_TOKEN); "" or null to generate one at first start instead. */
        public Builder adminToken(String value) {
            adminToken = value;
            return this;
        }

        /** The {@code host:port} other processes reach this master at; "" for this host's own. */
        public Builder advertise(String value) {
            advertise = value;
            return this;
        }

        public Builder leaseTtl(Duration value) {
            leaseTtl = value;
            return this;
        }

        /** Redis replicas that must confirm each metadata change; 0 for none. */
        public Builder redisWaitReplicas(int value) {
            redisWaitReplicas = value;
            return this;
        }

        public Builder redisWaitTimeout(Duration value) {
            redisWaitTimeout = value;
            return this;
        }

        public Builder balancer(BalancerSettings value) {
            balancer = value;
            return this;
        }

        public Builder auditMaxEntries(long value) {
            auditMaxEntries = value;
            return this;
        }

        public Builder auditMaxAge(Duration value) {
            auditMaxAge = value;
            return this;
        }

        /**
         * The configuration.
         *
         * @throws IllegalArgumentException saying which setting is wrong
         */
        public MasterConfig build() {
            return new MasterConfig(port, redisUri, defaultChunkSizeBytes, defaultReplication, heartbeatInterval,
                    deadAfter, uploadTimeout, multipartTimeout, gcGrace, redisTimeout, masterId, keyPrefix, fullReportEvery,
                    maxCopiesPerChunkServer, maxCopiesInCluster, adminToken, advertise, leaseTtl, redisWaitReplicas,
                    redisWaitTimeout, balancer, auditMaxEntries, auditMaxAge);
        }
    }
}
