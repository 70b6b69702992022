package io.granary.launcher;

import io.granary.client.ClientOptions;
import io.granary.common.MasterEndpoint;
import io.granary.gateway.GatewayConfig;
import io.granary.gateway.GatewayServer;
import io.granary.gateway.HttpTls;
import io.granary.gateway.http.GatewayNode;
import io.granary.gateway.s3.S3Settings;
import io.granary.launcher.cli.ByteSizeConverter;
import io.granary.launcher.daemon.Daemon;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code granary gateway}: the HTTP front door; stateless, so run as many as needed. */
@Command(name = "gateway", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs the HTTP gateway: uploads are split into chunks, downloads reassembled.")
final class GatewayCommand implements Callable<Integer> {

    @Option(names = "--master", paramLabel = "HOST:PORT[,HOST:PORT...]",
            defaultValue = "${env:GRANARY_MASTER:-" + MasterEndpoint.DEFAULT_ADDRESS + "}",
            description = "The master's gRPC address, or a comma-separated list of masters of which the active one "
                    + "is followed (default: ${DEFAULT-VALUE}).")
    String master;

    @Option(names = "--port", defaultValue = "${env:GRANARY_PORT:-" + GatewayConfig.DEFAULT_PORT + "}",
            description = "HTTP port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--max-threads", paramLabel = "N", defaultValue = "${env:GRANARY_MAX_THREADS:-" + GatewayConfig.DEFAULT_MAX_THREADS + "}",
            description = "HTTP threads, which bounds concurrent transfers and their memory (default: ${DEFAULT-VALUE}).")
    int maxThreads;

    @Option(names = "--max-uploads", paramLabel = "N",
            defaultValue = "${env:GRANARY_MAX_UPLOADS:-" + GatewayConfig.DEFAULT_MAX_UPLOADS + "}",
            description = "Uploads streamed at once; more are answered 503 with Retry-After (default: ${DEFAULT-VALUE}).")
    int maxUploads;

    @Option(names = "--chunk-cache", paramLabel = "SIZE", converter = ByteSizeConverter.class,
            defaultValue = "${env:GRANARY_CHUNK_CACHE:-" + ClientOptions.DEFAULT_CHUNK_CACHE_TEXT + "}",
            description = "Bytes of small chunks (up to 256KiB each) kept in memory, so small files are downloaded "
                    + "again without a chunkserver; 0 turns it off (default: ${DEFAULT-VALUE}).")
    long chunkCache;

    @Mixin
    ClusterSecurityOptions security;

    @Mixin
    AccessOptions access;

    @Mixin
    CorsOptions cors;

    @Option(names = "--http-tls-cert", paramLabel = "PEM", defaultValue = "${env:GRANARY_HTTP_TLS_CERT}",
            description = "Serve HTTPS (only) with this certificate chain (with --http-tls-key).")
    Path httpTlsCert;

    @Option(names = "--http-tls-key", paramLabel = "PEM", defaultValue = "${env:GRANARY_HTTP_TLS_KEY}",
            description = "The private key (PKCS#8 PEM) of --http-tls-cert.")
    Path httpTlsKey;

    @Option(names = "--s3-port", paramLabel = "PORT", defaultValue = "${env:GRANARY_S3_PORT:--1}",
            description = "Serve the S3 API on this port too; 0 picks a free one (default: none).")
    int s3Port;

    @Option(names = "--s3-domain", paramLabel = "DOMAIN", defaultValue = "${env:GRANARY_S3_DOMAIN}",
            description = "Also address buckets as virtual hosts, bucket.DOMAIN (default: path style only).")
    String s3Domain;

    @Override
    public Integer call() throws InterruptedException {
        GatewayConfig config = GatewayConfig.builder(master)
                .port(port)
                .maxThreads(maxThreads)
                .security(security.security())
                .httpTls(HttpTls.fromFlags(httpTlsCert, httpTlsKey))
                .access(access.toConfig())
                .limits(access.toLimits())
                .maxUploads(maxUploads)
                .chunkCacheBytes(chunkCache)
                .cors(cors.toSettings())
                .s3(new S3Settings(s3Port, s3Domain, S3Settings.DEFAULT_REGION))
                .build();
        GatewayServer gateway = GatewayServer.connect(config).start();
        return Daemon.runUntilShutdown(GatewayNode.ID, List.of(gateway));
    }
}
