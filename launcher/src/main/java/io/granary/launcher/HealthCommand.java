package io.granary.launcher;

import io.granary.common.grpc.ClusterSecurity;
import io.granary.launcher.cli.DurationConverter;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code granary health}: a container health check that needs nothing but the JRE already in the
 * image (the slim runtime image has neither curl nor wget). Exit code 0 healthy, 1 not.
 */
@Command(name = "health", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Checks one Granary process, for container health checks; exit code 0 healthy, 1 not.")
final class HealthCommand implements Callable<Integer> {
    static final int HEALTHY = 0;
    static final int UNHEALTHY = 1;

    static final class Target {
        @Option(names = "--url", paramLabel = "URL", description = "An HTTP URL that must answer 2xx, "
                + "e.g. http://127.0.0.1:8080/health/ready (gateway).")
        URI url;

        @Option(names = "--master", paramLabel = "HOST:PORT", description = "A master whose gRPC health service "
                + "must answer SERVING (it does while it reaches Redis); needs no cluster secret.")
        String master;

        @Option(names = "--tcp", paramLabel = "HOST:PORT", description = "A port that must accept connections "
                + "(chunkserver).")
        String tcp;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "3s",
            description = "Give up after this long (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Mixin
    GrpcTlsOptions tls;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try {
            String problem = target.url != null ? checkUrl() : target.master != null ? checkMaster() : checkTcp();
            if (problem == null) {
                spec.commandLine().getOut().println("healthy");
                return HEALTHY;
            }
            spec.commandLine().getErr().println("unhealthy: " + problem);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            spec.commandLine().getErr().println("unhealthy: " + e);
        }
        return UNHEALTHY;
    }

    private String checkUrl() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(target.url).timeout(timeout).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return response.statusCode() / 100 == 2 ? null : response.statusCode() + " " + response.body();
    }

    /**
     * Asks {@code grpc.health.v1}, the one service that needs no cluster secret, so a container health
     * check needs no copy of it; the master answers NOT_SERVING while it cannot reach Redis.
     */
    private String checkMaster() {
        ManagedChannel channel = new ClusterSecurity(null, tls.tls()).channelBuilder(target.master).build();
        try {
            ServingStatus status = HealthGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .check(HealthCheckRequest.getDefaultInstance()).getStatus();
            return status == ServingStatus.SERVING ? null : "the master is " + status + " (is Redis reachable?)";
        } catch (StatusRuntimeException e) {
            return "the master does not answer: " + e.getStatus();
        } finally {
            channel.shutdownNow();
        }
    }

    private String checkTcp() throws IOException {
        int colon = target.tcp.lastIndexOf(':');
        if (colon < 0) {
            return "--tcp needs HOST:PORT, not '" + target.tcp + "'";
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(target.tcp.substring(0, colon),
                    Integer.parseInt(target.tcp.substring(colon + 1))), (int) timeout.toMillis());
            return null;
        }
    }
}
