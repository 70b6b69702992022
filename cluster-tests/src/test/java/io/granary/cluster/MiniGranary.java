package io.granary.cluster;

import io.granary.chunkserver.ChunkServer;
import io.granary.client.GranaryClient;
import io.granary.common.ByteSize;
import io.granary.common.grpc.ClusterSecret;
import io.granary.common.grpc.ClusterSecurity;
import io.granary.common.grpc.GrpcTls;
import io.granary.gateway.HttpLimits;
import io.granary.gateway.HttpTls;
import io.granary.gateway.auth.AccessConfig;
import io.granary.gateway.s3.S3Settings;
import io.granary.launcher.local.LocalCluster;
import io.granary.launcher.local.LocalSettings;
import io.granary.master.MasterServer;
import io.granary.master.testing.RedisFixture;
import io.granary.master.testing.TempDirs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A whole Granary for a test, in the test's JVM over real sockets, in the manner of Ratis's
 * {@code MiniRaftCluster} and Hadoop's {@code MiniDFSCluster}: a real {@code redis-server}
 * ({@link RedisFixture}, restartable on the same data and port), the master on a fixed free port (so it
 * can restart where the chunkservers and the client look for it), N chunkservers with their data in a
 * temporary directory, and the gateway.
 *
 * <pre>{@code
 * @RegisterExtension
 * final MiniGranary cluster = MiniGranary.builder().chunkservers(4).replication(3).chunkSize("256KiB").build();
 * }</pre>
 *
 * <p>Registered on an instance field, each test gets a cluster of its own, started before its
 * {@code @BeforeEach} methods and stopped after its {@code @AfterEach} ones; on a static field, the
 * tests of the class share one, started before {@code @BeforeAll}. Either way its temporary directory
 * is deleted when it stops. Faults: {@link #killChunkServer}, {@link #stopChunkServer},
 * {@link #startChunkServer}, {@link #stopMaster}, {@link #startMasterAgain}, {@link #restartMaster}, and
 * {@link #redis()}'s stop, kill, start again and write pause.
 *
 * <p>Its gateway keeps no chunk cache unless {@link Builder#chunkCache} asks for one, so that every
 * download in a test reaches a chunkserver: the faults above, a damaged replica, a hedged read are
 * what the tests watch, and a download served from the gateway's memory would pass them without
 * showing anything.
 */
public final class MiniGranary implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    private final UnaryOperator<LocalSettings.Builder> settings;
    private final ClusterSecret secret;
    private final GrpcTls grpcTls;
    private final HttpTls httpTls;
    private final AccessConfig access;
    private final HttpLimits limits;
    private boolean perClass;
    private Path dir;
    private RedisFixture redis;
    private LocalCluster cluster;

    private MiniGranary(Builder builder) {
        this.settings = builder.settings;
        this.secret = builder.secret;
        this.grpcTls = builder.grpcTls;
        this.httpTls = builder.httpTls;
        this.access = builder.access;
        this.limits = builder.limits;
    }

    /** A cluster of {@link LocalSettings#DEFAULT_CHUNKSERVERS} chunkservers with the defaults of {@code local}. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        perClass = true;
        start();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (!perClass) {
            start();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!perClass) {
            stop();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    private void start() {
        try {
            dir = Files.createTempDirectory("mini-granary-");
            redis = RedisFixture.start(dir);
            LocalSettings local = settings.apply(LocalSettings.builder(dir.resolve("cluster"), 0)
                    .redisUri(redis.uri()).masterPort(freePort()).s3Port(S3Settings.OFF).chunkCacheBytes(0)).build();
            cluster = LocalCluster.start(local, secret, grpcTls, httpTls, access, limits);
        } catch (IOException e) {
            stop();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
    }

    private void stop() {
        try {
            if (cluster != null) {
                cluster.close();
            }
            if (redis != null) {
                redis.close();
            }
            if (dir != null) {
                TempDirs.deleteTree(dir);
            }
        } finally {
            cluster = null;
            redis = null;
            dir = null;
        }
    }

    /** Base URL of the S3 port, e.g. {@code http://127.0.0.1:41235}, of a cluster built with {@link Builder#s3()}. */
    public String s3Endpoint() {
        return cluster.s3Url();
    }

    /** Base URL of the gateway, e.g. {@code http://127.0.0.1:41234}. */
    public String gatewayUrl() {
        return cluster.gatewayUrl();
    }

    /** {@code host:port} of the master's gRPC endpoint; the same after a restart. */
    public String masterAddress() {
        return cluster.masterAddress();
    }

    /** The admin token the cluster was started with. */
    public String adminToken() {
        return cluster.adminToken();
    }

    /** The access key id of the admin's S3 key, which the cluster was started with. */
    public String s3AccessKey() {
        return cluster.s3AccessKey();
    }

    /** The secret key of {@link #s3AccessKey()}. */
    public String s3SecretKey() {
        return cluster.s3SecretKey();
    }

    /** A client of the master, owned by the cluster. */
    public GranaryClient client() {
        return cluster.client();
    }

    /** The secret and TLS settings of the cluster's gRPC calls, for other clients of its master. */
    public ClusterSecurity security() {
        return cluster.security();
    }

    public String clusterSecret() {
        return cluster.clusterSecret();
    }

    /** What the cluster was started with. */
    public LocalSettings settings() {
        return cluster.settings();
    }

    /** The running master, or null while it is stopped. */
    public MasterServer master() {
        return cluster.master().server();
    }

    public int masterMetricsPort() {
        return cluster.master().metricsPort();
    }

    /** The running chunkserver {@code index} (0-based), or null while it is stopped. */
    public ChunkServer chunkServer(int index) {
        return cluster.chunkServer(index).server();
    }

    public int chunkServerMetricsPort(int index) {
        return cluster.chunkServer(index).metricsPort();
    }

    /** The data directory of chunkserver {@code index} (0-based). */
    public Path chunkServerDataDir(int index) {
        return cluster.chunkServer(index).config().dataDir();
    }

    /** The id of chunkserver {@code index} (0-based). */
    public String chunkServerId(int index) {
        return cluster.chunkServer(index).config().id();
    }

    /** Blocks until the master counts at least {@code count} live chunkservers. */
    public void awaitLiveChunkServers(int count) {
        cluster.awaitLiveChunkServers(count);
    }

    /** Stops chunkserver {@code index} (0-based) as {@code kill -9} would; its data stays. */
    public void killChunkServer(int index) {
        cluster.chunkServer(index).kill();
    }

    /** Stops chunkserver {@code index} (0-based) cleanly; its data stays. */
    public void stopChunkServer(int index) {
        cluster.chunkServer(index).close();
    }

    /** Starts chunkserver {@code index} (0-based) again on its data directory. */
    public void startChunkServer(int index) {
        cluster.chunkServer(index).start();
    }

    /** Stops the master, as an outage would; the chunkservers and the gateway keep running and find it gone. */
    public void stopMaster() {
        cluster.master().close();
    }

    /** Starts a new master on the same port and Redis after {@link #stopMaster()}. */
    public void startMasterAgain() {
        cluster.master().start();
    }

    /** Stops the master and starts a new one on the same port and Redis; the others reconnect by themselves. */
    public void restartMaster() {
        stopMaster();
        startMasterAgain();
    }

    /** The cluster's Redis, to stop, kill, start again or pause. */
    public RedisFixture redis() {
        return redis;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }


    /** What the cluster is made of; every setting not given is the default of {@code granary local}. */
    public static final class Builder {
        private UnaryOperator<LocalSettings.Builder> settings = UnaryOperator.identity();
        private ClusterSecret secret = ClusterSecret.generate();
        private GrpcTls grpcTls;
        private HttpTls httpTls;
        private AccessConfig access = AccessConfig.defaults();
        private HttpLimits limits = HttpLimits.defaults();

        private Builder() {
        }

        private Builder and(UnaryOperator<LocalSettings.Builder> change) {
            UnaryOperator<LocalSettings.Builder> before = settings;
            settings = s -> change.apply(before.apply(s));
            return this;
        }

        public Builder chunkservers(int count) {
            return and(s -> s.chunkservers(count));
        }

        public Builder replication(int replicas) {
            return and(s -> s.replication(replicas));
        }

        public Builder chunkSize(long bytes) {
            return and(s -> s.chunkSizeBytes(bytes));
        }

        /** A size such as {@code "256KiB"}. */
        public Builder chunkSize(String size) {
            return chunkSize(ByteSize.parse(size));
        }

        /** How often the master heartbeats each chunkserver, and after how long without an answer it is dead. */
        public Builder heartbeat(Duration interval, Duration deadAfter) {
            return and(s -> s.heartbeatInterval(interval).deadAfter(deadAfter));
        }

        public Builder gcGrace(Duration grace) {
            return and(s -> s.gcGrace(grace));
        }

        public Builder scrub(Duration interval, long bytesPerSecond) {
            return and(s -> s.scrubInterval(interval).scrubBytesPerSecond(bytesPerSecond));
        }

        public Builder capacityBytes(long bytes) {
            return and(s -> s.capacityBytes(bytes));
        }

        public Builder uploadTimeout(Duration timeout) {
            return and(s -> s.uploadTimeout(timeout));
        }

        /** The gateway's presigning keys, trusted proxies and failed-authentication limit. */
        public Builder access(AccessConfig value) {
            access = value;
            return this;
        }

        /** The gateway's limits on request heads, idle connections and form fields. */
        public Builder limits(HttpLimits value) {
            limits = value;
            return this;
        }

        /** The secret every part demands on its gRPC calls, and gRPC TLS when {@code tls} is set. */
        public Builder grpcSecurity(ClusterSecret value, GrpcTls tls) {
            secret = value;
            grpcTls = tls;
            return this;
        }

        /** The gateway's chunk cache of {@code bytes} (without this, none). */
        public Builder chunkCache(long bytes) {
            return and(s -> s.chunkCacheBytes(bytes));
        }

        /** The gateway's S3 port, on a free port (without this, the cluster serves no S3). */
        public Builder s3() {
            return and(s -> s.s3Port(0));
        }

        /** HTTPS on the gateway. */
        public Builder httpTls(HttpTls value) {
            httpTls = value;
            return this;
        }

        public MiniGranary build() {
            return new MiniGranary(this);
        }
    }
}
