package io.granary.launcher.local;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.granary.chunkserver.ChunkServerConfig;
import io.granary.common.BoundedJvm;
import io.granary.common.ByteSize;
import io.granary.gateway.GatewayConfig;
import java.lang.management.ManagementFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-code bounds every role of a {@code granary local} cluster gets when they share one JVM,
 * beside the JVM options of {@link BoundedJvm}.
 */
public final class LocalJvm {
    /** Above this maximum heap, {@code local} says how to bound it. */
    private static final long UNBOUNDED_HEAP_BYTES = 1024L * 1024 * 1024;
    private static final Logger log = LoggerFactory.getLogger(LocalJvm.class);
    /** What one chunk write reserves with the client library's 1 MiB pieces and a replica below. */
    private static final long WRITE_BYTES_EACH = 2 * ByteSize.MIB;

    /**
     * gRPC's shaded Netty pools direct memory in two arenas per core by default, each growing in
     * chunks of several MiB that are kept once touched; two arenas in all are plenty for a handful
     * of streams and keep the pool's high-water mark low. Must run before any Netty class loads: its defaults are
     * read once, in static initializers. An explicit -D of the same property wins.
     */
    public static void boundNettyPools() {
        setIfAbsent("io.grpc.netty.shaded.io.netty.allocator.numDirectArenas", "2");
        setIfAbsent("io.grpc.netty.shaded.io.netty.allocator.numHeapArenas", "2");
    }

    /** Logs, once, how to bound a cluster JVM that was started without a heap cap. */
    public static void warnIfUnbounded(String nodeId) {
        long maxHeap = Runtime.getRuntime().maxMemory();
        if (maxHeap > UNBOUNDED_HEAP_BYTES) {
            log.warn("{}: the JVM may grow its heap to {} MiB; to bound the whole cluster to ~400 MiB, run "
                    + "{} java {} -jar granary.jar local", nodeId, maxHeap >> 20, BoundedJvm.environmentLine(),
                    String.join(" ", BoundedJvm.OPTIONS));
        }
    }

    /**
     * The write budget of each of {@code chunkservers} chunkservers sharing this JVM: together their
     * writes may reserve half of its direct memory (a write's pieces live in gRPC's direct buffers while
     * they arrive and while they are queued to the next replica; the gateway's uploads have a quarter),
     * at most the default of a chunkserver of its own and one 2 MiB write (a 1 MiB piece, twice) at
     * least. The number of writes stays the default: the bytes bound them, since a write reserves room
     * for a 1 MiB piece before it asks for its first (a small file's only its announced size).
     */
    static ChunkServerConfig withSharedWriteBudget(ChunkServerConfig config, int chunkservers) {
        long bytes = Math.max(WRITE_BYTES_EACH, Math.min(ChunkServerConfig.DEFAULT_WRITE_BUFFER_BYTES,
                maxDirectMemoryBytes() / (2L * chunkservers)));
        return config.toBuilder().maxChunkWrites(ChunkServerConfig.DEFAULT_MAX_CHUNK_WRITES).writeBufferBytes(bytes).build();
    }

    /**
     * The uploads the gateway sharing this JVM streams at once: each holds up to a 1 MiB piece in
     * direct memory, and together they may have a quarter of it, at most the default of a gateway of
     * its own (with the README's 64 MiB: 16, the benchmark's highest concurrency).
     */
    static GatewayConfig withSharedUploadBudget(GatewayConfig config) {
        long uploads = maxDirectMemoryBytes() / 4 / ByteSize.MIB;
        return config.toBuilder().maxUploads((int) Math.max(1, Math.min(GatewayConfig.DEFAULT_MAX_UPLOADS, uploads))).build();
    }

    /** {@code -XX:MaxDirectMemorySize}, or the maximum heap the JVM uses in its place when it is unset. */
    static long maxDirectMemoryBytes() {
        try {
            String value = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .getVMOption("MaxDirectMemorySize").getValue();
            long bytes = Long.parseLong(value);
            return bytes > 0 ? bytes : Runtime.getRuntime().maxMemory();
        } catch (RuntimeException e) { // not a HotSpot JVM
            return Runtime.getRuntime().maxMemory();
        }
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }

    private LocalJvm() {
    }
}
