package io.granary.launcher;

import io.granary.client.ClientOptions;
import io.granary.common.ByteSize;
import io.granary.common.grpc.ClusterSecret;
import io.granary.gateway.GatewayConfig;
import io.granary.gateway.s3.S3Settings;
import io.granary.launcher.cli.ByteSizeConverter;
import io.granary.launcher.daemon.Daemon;
import io.granary.launcher.local.LocalCluster;
import io.granary.launcher.local.LocalJvm;
import io.granary.launcher.local.LocalS3Key;
import io.granary.launcher.local.LocalSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code granary local}: the whole cluster in one process, for a laptop or a demo. */
@Command(name = "local", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs Redis (embedded unless --redis), the master, N chunkservers and the gateway in one process.")
final class LocalCommand implements Callable<Integer> {

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "${env:GRANARY_DATA:-" + LocalSettings.DEFAULT_DATA_DIR + "}",
            description = "Where Redis and the chunkservers keep their files (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--port", defaultValue = "${env:GRANARY_PORT:-" + GatewayConfig.DEFAULT_PORT + "}",
            description = "HTTP port of the gateway; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--chunkservers", paramLabel = "N", defaultValue = "${env:GRANARY_CHUNKSERVERS:-" + LocalSettings.DEFAULT_CHUNKSERVERS + "}",
            description = "How many chunkservers to run (default: ${DEFAULT-VALUE}).")
    int chunkservers;

    @Mixin
    PlacementOptions placement;

    @Option(names = "--redis", paramLabel = "URL", defaultValue = "${env:GRANARY_REDIS}",
            description = "Use this Redis instead of the embedded one: redis://[[USER]:PASSWORD@]HOST:PORT, or "
                    + "rediss:// for TLS (env GRANARY_REDIS, preferred: a flag shows in ps; logged masked).")
    String redis;

    @Mixin
    RedisWaitOptions redisWait;

    @Mixin
    AuditOptions audit;

    @Option(names = "--master-port", paramLabel = "PORT", defaultValue = "${env:GRANARY_MASTER_PORT:-" + LocalSettings.DEFAULT_MASTER_PORT + "}",
            description = "gRPC port of the master, for Java clients; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int masterPort;

    @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "${env:GRANARY_BIND:-" + LocalSettings.DEFAULT_BIND_ADDRESS + "}",
            description = "Address the master's and chunkservers' gRPC ports and every metrics port listen on "
                    + "(default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 for every interface). "
                    + "The gateway's HTTP port (--port) listens on every interface.")
    String bind;

    @Mixin
    UploadTimeoutOption uploadTimeout;

    @Option(names = "--cluster-secret", paramLabel = "SECRET", defaultValue = "${env:GRANARY_CLUSTER_SECRET}",
            description = "The secret the parts demand of each other on gRPC (default: a new random one per run, "
                    + "printed in the banner for Java clients of the master).")
    String clusterSecret;

    @Mixin
    AccessOptions access;

    @Mixin
    CorsOptions cors;

    @Option(names = "--admin-token", paramLabel = "TOKEN", defaultValue = "${env:GRANARY_ADMIN_TOKEN}",
            description = "An admin token to accept (env GRANARY_ADMIN_TOKEN, preferred: a flag shows in ps); "
                    + "without it one is generated when the data directory is new and printed once.")
    String adminToken;

    @Option(names = "--s3-access-key", paramLabel = "ID", defaultValue = "${env:GRANARY_S3_ACCESS_KEY}",
            description = "The access key id of an S3 key the admin token gets (env GRANARY_S3_ACCESS_KEY; 16 to 128 "
                    + "of A-Za-z0-9), with --s3-secret-key; without both, one is generated when the data directory "
                    + "is new and printed once.")
    String s3AccessKey;

    @Option(names = "--s3-secret-key", paramLabel = "SECRET", defaultValue = "${env:GRANARY_S3_SECRET_KEY}",
            description = "Its secret key (env GRANARY_S3_SECRET_KEY, preferred: a flag shows in ps; 16 to 128 "
                    + "printable ASCII characters without spaces).")
    String s3SecretKey;

    @Option(names = "--s3-port", paramLabel = "PORT", defaultValue = "${env:GRANARY_S3_PORT:-" + LocalSettings.DEFAULT_S3_PORT + "}",
            description = "The gateway's S3 port (env GRANARY_S3_PORT; default ${DEFAULT-VALUE}, or the next free port "
                    + "when it is taken; 0 for any free port, -1 for none).")
    int s3Port;

    @Option(names = "--chunk-cache", paramLabel = "SIZE", converter = ByteSizeConverter.class,
            defaultValue = "${env:GRANARY_CHUNK_CACHE:-" + ClientOptions.DEFAULT_CHUNK_CACHE_TEXT + "}",
            description = "Bytes of small chunks (up to 256KiB each) the gateway keeps in memory, so small files are "
                    + "downloaded again without a chunkserver; 0 turns it off (default: ${DEFAULT-VALUE}).")
    long chunkCache;

    @Override
    public Integer call() throws InterruptedException {
        LocalSettings settings = settings();
        LocalJvm.warnIfUnbounded(LocalCluster.NODE_ID);
        ClusterSecret secret = clusterSecret == null ? ClusterSecret.generate() : ClusterSecret.of(clusterSecret);
        LocalCluster cluster = LocalCluster.start(settings, secret, null, null, access.toConfig(),
                access.toLimits());
        System.out.printf("%nGranary is up: %d chunkservers, %s chunks, replication %d, data in %s%n"
                        + "  HTTP gateway   %s/api/v1/files/...%n"
                        + "  dashboard      %s/%n"
                        + "  S3             %s%n"
                        + "  admin token    %s%n"
                        + "  S3 keys        %s%n"
                        + "  master (gRPC)  %s%n"
                        + "  cluster secret %s%n"
                        + "  metrics        %s/metrics (gateway), master and chunkservers on %s ports %s%n"
                        + "Press Ctrl-C to stop.%n%n",
                chunkservers, ByteSize.format(placement.chunkSize), placement.replication,
                data.toAbsolutePath().normalize(), cluster.gatewayUrl(), cluster.gatewayUrl(), s3Line(cluster),
                adminTokenLine(cluster), s3KeyLine(cluster), cluster.masterAddress(),
                clusterSecret == null ? cluster.clusterSecret() + " (for Java clients: ClientOptions.withClusterSecret)"
                        : "(from --cluster-secret / GRANARY_CLUSTER_SECRET)",
                cluster.gatewayUrl(), settings.bindAddress(), metricsPorts(cluster));
        cluster.adminTokenShown();
        cluster.s3KeyShown();
        return Daemon.runUntilShutdown(LocalCluster.NODE_ID, List.of(cluster));
    }

    /** The cluster's settings from the flags and variables; validated. */
    LocalSettings settings() {
        return LocalSettings.builder(data, port)
                .chunkservers(chunkservers)
                .chunkSizeBytes(placement.chunkSize)
                .replication(placement.replication)
                .redisUri(redis)
                .redisWait(redisWait.replicas, redisWait.timeout)
                .masterPort(masterPort)
                .uploadTimeout(uploadTimeout.value)
                .bindAddress(bind)
                .adminToken(adminToken)
                .s3Key(s3AccessKey, s3SecretKey)
                .s3Port(s3Port)
                .chunkCacheBytes(chunkCache)
                .cors(cors.toSettings())
                .auditRetention(audit.maxEntries, audit.maxAge)
                .build();
    }

    private String metricsPorts(LocalCluster cluster) {
        StringBuilder ports = new StringBuilder().append(cluster.master().metricsPort());
        for (int i = 0; i < chunkservers; i++) {
            ports.append(", ").append(cluster.chunkServer(i).metricsPort());
        }
        return ports.toString();
    }

    /** The generated token is shown this once; a configured one is the operator's, so it is not echoed. */
    private String adminTokenLine(LocalCluster cluster) {
        if (cluster.generatedAdminToken().isPresent()) {
            return cluster.generatedAdminToken().get() + "   (generated for this data directory and shown only once: keep it;"
                    + " export GRANARY_TOKEN=... for the CLI)";
        }
        if (adminToken != null && !adminToken.isEmpty()) {
            return "from GRANARY_ADMIN_TOKEN";
        }
        return "printed when " + data + " was new (set GRANARY_ADMIN_TOKEN to choose one)";
    }

    /** Where the S3 port is, saying when it is not the port asked for. */
    private String s3Line(LocalCluster cluster) {
        if (cluster.s3Port() == S3Settings.OFF) {
            return "off (--s3-port -1)";
        }
        String moved = s3Port == LocalSettings.DEFAULT_S3_PORT && cluster.s3Port() != s3Port
                ? "   (port " + s3Port + " is taken)" : "";
        return cluster.s3Url() + "   (aws --endpoint-url " + cluster.s3Url() + " s3 ls)" + moved;
    }

    /** Like the admin token: a generated secret key is shown this once, a configured one never. */
    private String s3KeyLine(LocalCluster cluster) {
        if (cluster.generatedS3Key().isPresent()) {
            LocalS3Key key = cluster.generatedS3Key().get();
            return key.accessKeyId() + "   secret " + key.secretKey()
                    + "   (generated for this data directory and shown only once: keep it)";
        }
        if (s3SecretKey != null && !s3SecretKey.isEmpty()) {
            return cluster.s3AccessKey() + " (secret from GRANARY_S3_SECRET_KEY)";
        }
        return cluster.s3AccessKey() + " (secret printed when " + data
                + " was new; set GRANARY_S3_ACCESS_KEY and GRANARY_S3_SECRET_KEY to choose a key)";
    }
}
