package io.granary.launcher;

import io.granary.gateway.GatewayConfig;
import io.granary.gateway.GatewayServer;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code granary gateway}: the HTTP front door; stateless, so run as many as needed. */
@Command(name = "gateway", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs the HTTP gateway: uploads are split into chunks, downloads reassembled.")
final class GatewayCommand implements Callable<Integer> {

    @Option(names = "--master", paramLabel = "HOST:PORT", defaultValue = "${env:GRANARY_MASTER:-127.0.0.1:7070}",
            description = "The master's gRPC address (default: ${DEFAULT-VALUE}).")
    String master;

    @Option(names = "--port", defaultValue = "${env:GRANARY_PORT:-8080}",
            description = "HTTP port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--max-threads", paramLabel = "N", defaultValue = "${env:GRANARY_MAX_THREADS:-64}",
            description = "HTTP threads, which bounds concurrent transfers and their memory (default: ${DEFAULT-VALUE}).")
    int maxThreads;

    @Mixin
    AccessOptions access;

    @Override
    public Integer call() throws InterruptedException {
        GatewayServer gateway = GatewayServer.connect(new GatewayConfig(port, master, maxThreads, access.toConfig()))
                .start();
        return Daemon.runUntilShutdown(GatewayConfig.NODE_ID, List.of(gateway));
    }
}
