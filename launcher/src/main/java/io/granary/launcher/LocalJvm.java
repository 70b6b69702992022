package io.granary.launcher;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.granary.chunkserver.ChunkServerConfig;
import io.granary.common.ByteSize;
import io.granary.gateway.GatewayConfig;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a whole {@code granary local} cluster runs in bounded memory (about 340 MiB resident after
 * 1 GiB uploads and downloads, the embedded Redis's ~10 MiB aside), and the in-code bounds every
 * role gets.
 *
 * <p>JVM options cannot live in the jar, so {@link #OPTIONS} and {@link #ENVIRONMENT} are what the
 * README's {@code local} command, {@code granary bench}'s child cluster and {@code MemoryIT} run
 * with. What they cut, measured with Native Memory Tracking after two 1 GiB uploads and downloads
 * (docs/benchmarks.md): the heap (the JVM default is a quarter of the machine's RAM, which the
 * collector grows into under the allocation rate of uploads), G1's own structures (~45 MiB at a
 * 192 MiB heap, under 1 MiB with the serial collector, which also suits a 2-core machine), the code
 * cache and thread stacks' reservations, and glibc's per-thread malloc arenas (~30 MiB that Native
 * Memory Tracking does not see). {@code jdk.nio.maxCachedBufferSize} stops each disk thread from keeping,
 * for ever, a direct copy buffer as large as the largest read or write it ever did through a heap
 * buffer (1 MiB upload pieces, on 24 disk threads of 3 chunkservers): those share the direct-memory
 * limit with gRPC's buffers, and ran it out under many concurrent downloads ({@code SlowReadersIT}).
 */
public final class LocalJvm {
    /** JVM options of a memory-bounded {@code local} cluster; the last of a repeated option wins. */
    public static final List<String> OPTIONS = List.of(
            "-Xmx128m", "-XX:+UseSerialGC", "-XX:MaxDirectMemorySize=64m",
            "-XX:ReservedCodeCacheSize=32m", "-Xss512k", "-Djdk.nio.maxCachedBufferSize=262144");

    /** Environment of a memory-bounded {@code local} cluster: glibc keeps fewer malloc arenas. */
    public static final Map<String, String> ENVIRONMENT = Map.of("MALLOC_ARENA_MAX", "2");

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
    static void boundNettyPools() {
        setIfAbsent("io.grpc.netty.shaded.io.netty.allocator.numDirectArenas", "2");
        setIfAbsent("io.grpc.netty.shaded.io.netty.allocator.numHeapArenas", "2");
    }

    /** Logs, once, how to bound a cluster JVM that was started without a heap cap. */
    static void warnIfUnbounded(String nodeId) {
        long maxHeap = Runtime.getRuntime().maxMemory();
        if (maxHeap > UNBOUNDED_HEAP_BYTES) {
            log.warn("{}: the JVM may grow its heap to {} MiB; to bound the whole cluster to ~400 MiB, run "
                    + "{} java {} -jar granary.jar local", nodeId, maxHeap >> 20, environmentLine(),
                    String.join(" ", OPTIONS));
        }
    }

    /** {@link #ENVIRONMENT} as a shell would set it before a command. */
    public static String environmentLine() {
        return ENVIRONMENT.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .sorted().collect(Collectors.joining(" "));
    }

    /**
     * The write budget of each of {@code chunkservers} chunkservers sharing this JVM: together their
     * writes may reserve half of its direct memory (a write's pieces live in gRPC's direct buffers while
     * they are queued to the next replica; the gateway's uploads have a quarter), at most the default of
     * a chunkserver of its own and one 2 MiB write (a 1 MiB piece, twice) at least. The number of writes
     * stays the default: small files reserve little, and the bytes bound the large ones.
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
