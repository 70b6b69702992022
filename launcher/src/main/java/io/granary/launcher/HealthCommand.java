package io.granary.launcher;

import io.granary.client.ClientOptions;
import io.granary.client.ClusterView;
import io.granary.client.GranaryClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

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

        @Option(names = "--master", paramLabel = "HOST:PORT", description = "A master that must answer over "
                + "gRPC and reach its Redis.")
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

    private String checkMaster() {
        try (GranaryClient client = GranaryClient.connect(target.master,
                ClientOptions.defaults().withName("health").withMetadataDeadline(timeout))) {
            ClusterView cluster = client.cluster();
            return cluster.metadataStoreReachable() ? null
                    : "the master cannot reach Redis: " + cluster.metadataStoreError();
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
