package io.granary.launcher;

import io.granary.chunkserver.ChunkServer;
import io.granary.chunkserver.ChunkServerConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code granary chunkserver}: one storage node; it registers itself with the master. */
@Command(name = "chunkserver", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs one chunkserver: stores chunks under --data and registers with the master.")
final class ChunkServerCommand implements Callable<Integer> {

    @Option(names = "--master", paramLabel = "HOST:PORT", defaultValue = "${env:GRANARY_MASTER:-127.0.0.1:7070}",
            description = "The master's gRPC address (default: ${DEFAULT-VALUE}).")
    String master;

    @Option(names = "--port", defaultValue = "${env:GRANARY_PORT:-7080}",
            description = "gRPC port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "${env:GRANARY_DATA:-./data}",
            description = "Where chunks, checksums and this node's id live (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--id", paramLabel = "NAME", defaultValue = "${env:GRANARY_ID}",
            description = "This node's id (default: the one kept in --data, or a new one written there).")
    String id;

    @Option(names = "--advertise", paramLabel = "HOST[:PORT]", defaultValue = "${env:GRANARY_ADVERTISE}",
            description = "How the master, gateways and other chunkservers reach this node "
                    + "(default: this machine's address and the bound port).")
    String advertise;

    @Option(names = "--capacity", paramLabel = "SIZE", converter = ByteSizeConverter.class,
            defaultValue = "${env:GRANARY_CAPACITY:-0}",
            description = "Bytes this node may store, e.g. 100GiB; 0 means the free space of --data (default).")
    long capacity;

    @Override
    public Integer call() throws Exception {
        ChunkServer server = new ChunkServer(new ChunkServerConfig(master, port, data, id, advertise, capacity));
        try {
            server.start();
        } catch (Exception e) {
            server.close();
            throw e;
        }
        return Daemon.runUntilShutdown(server.id(), List.of(server));
    }
}
