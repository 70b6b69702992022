package io.granary.launcher;

import io.granary.chunkserver.ChunkServer;
import io.granary.chunkserver.ChunkServerConfig;
import io.granary.chunkserver.store.DataSlot;
import io.granary.common.MasterEndpoint;
import io.granary.launcher.cli.ByteSizeConverter;
import io.granary.launcher.cli.DurationConverter;
import io.granary.launcher.daemon.Daemon;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code granary chunkserver}: one storage node; it registers itself with the master. */
@Command(name = "chunkserver", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs one chunkserver: stores chunks under --data and registers with the master.")
final class ChunkServerCommand implements Callable<Integer> {

    @Option(names = "--master", paramLabel = "HOST:PORT[,HOST:PORT...]",
            defaultValue = "${env:GRANARY_MASTER:-" + MasterEndpoint.DEFAULT_ADDRESS + "}",
            description = "The master's gRPC address, or a comma-separated list of masters of which the active one "
                    + "is followed (default: ${DEFAULT-VALUE}).")
    String master;

    @Option(names = "--port", defaultValue = "${env:GRANARY_PORT:-" + ChunkServerConfig.DEFAULT_PORT + "}",
            description = "gRPC port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "${env:GRANARY_DATA:-" + ChunkServerConfig.DEFAULT_DATA_DIR + "}",
            description = "Where chunks, checksums and this node's id live (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--data-slots", defaultValue = "${env:GRANARY_DATA_SLOTS:-false}", arity = "0..1",
            description = "--data is shared by several chunkservers (one volume of a scaled service): this one "
                    + "claims the lowest slot-N directory in it that no running chunkserver holds (an OS file "
                    + "lock held while it runs) and keeps its chunks and id there (default: ${DEFAULT-VALUE}).")
    boolean dataSlots;

    @Option(names = "--id", paramLabel = "NAME", defaultValue = "${env:GRANARY_ID}",
            description = "This node's id (default: the one kept in --data, or a new one written there).")
    String id;

    @Option(names = "--advertise", paramLabel = "HOST[:PORT]", defaultValue = "${env:GRANARY_ADVERTISE}",
            description = "How the master, gateways and other chunkservers reach this node "
                    + "(default: this machine's address and the bound port).")
    String advertise;

    @Option(names = "--capacity", paramLabel = "SIZE", converter = ByteSizeConverter.class,
            defaultValue = "${env:GRANARY_CAPACITY:-" + ChunkServerConfig.DEFAULT_CAPACITY_BYTES + "}",
            description = "Bytes this node may store, e.g. 100GiB; 0 means the free space of --data (default).")
    long capacity;

    @Option(names = "--scrub-interval", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "${env:GRANARY_SCRUB_INTERVAL:-" + ChunkServerConfig.DEFAULT_SCRUB_INTERVAL_TEXT + "}",
            description = "The scrubber re-reads a chunk not checked for this long (default: ${DEFAULT-VALUE}).")
    Duration scrubInterval;

    @Option(names = "--scrub-rate", paramLabel = "SIZE", converter = ByteSizeConverter.class,
            defaultValue = "${env:GRANARY_SCRUB_RATE:-" + ChunkServerConfig.DEFAULT_SCRUB_BYTES_PER_SECOND_TEXT + "}",
            description = "Bytes per second the scrubber may read; 0 turns it off (default: ${DEFAULT-VALUE}).")
    long scrubRate;

    @Option(names = "--copy-rate", paramLabel = "SIZE", converter = ByteSizeConverter.class,
            defaultValue = "${env:GRANARY_COPY_RATE:-" + ChunkServerConfig.DEFAULT_COPY_BYTES_PER_SECOND_TEXT + "}",
            description = "Bytes per second repair copies may pull into this node; 0 means no cap "
                    + "(default: ${DEFAULT-VALUE}).")
    long copyRate;

    @Option(names = "--max-chunk-writes", paramLabel = "N",
            defaultValue = "${env:GRANARY_MAX_CHUNK_WRITES:-" + ChunkServerConfig.DEFAULT_MAX_CHUNK_WRITES + "}",
            description = "Chunk writes this node takes at once; more are refused as busy (the gateway answers "
                    + "503 with Retry-After) (default: ${DEFAULT-VALUE}).")
    int maxChunkWrites;

    @Option(names = "--write-buffer", paramLabel = "SIZE", converter = ByteSizeConverter.class,
            defaultValue = "${env:GRANARY_WRITE_BUFFER:-" + ChunkServerConfig.DEFAULT_WRITE_BUFFER_TEXT + "}",
            description = "Bytes of data pieces the writes in progress may hold at once; a write that does not "
                    + "fit is refused as busy (default: ${DEFAULT-VALUE}).")
    long writeBuffer;

    @Mixin
    ClusterSecurityOptions security;

    @Mixin
    MetricsOptions metrics;

    @Override
    public Integer call() throws Exception {
        DataSlot slot = dataSlots ? DataSlot.claim(data) : null;
        try {
            return run(slot == null ? data : slot.dir(), slot);
        } catch (Exception e) {
            if (slot != null) {
                slot.close();
            }
            throw e;
        }
    }

    /** Runs the chunkserver on {@code dataDir}; the slot, if any, is released after it stops. */
    private Integer run(Path dataDir, DataSlot slot) throws Exception {
        ChunkServer server = new ChunkServer(ChunkServerConfig.builder(master, dataDir)
                .port(port)
                .id(id)
                .advertiseAddress(advertise)
                .capacityBytes(capacity)
                .scrubInterval(scrubInterval)
                .scrubBytesPerSecond(scrubRate)
                .copyBytesPerSecond(copyRate)
                .maxChunkWrites(maxChunkWrites)
                .writeBufferBytes(writeBuffer)
                .build(), security.security());
        List<AutoCloseable> parts = new ArrayList<>();
        if (slot != null) {
            parts.add(slot); // closed last: no other chunkserver takes the slot while this one runs
        }
        parts.add(server);
        try {
            server.start();
            metrics.start(server.id(), server::scrapeMetrics, server::serving).ifPresent(parts::add);
        } catch (Exception e) {
            server.close();
            throw e;
        }
        return Daemon.runUntilShutdown(server.id(), parts);
    }
}
