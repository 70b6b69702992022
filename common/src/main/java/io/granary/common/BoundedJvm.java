package io.granary.common;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The JVM options and environment a whole {@code granary local} cluster runs with in bounded memory
 * (about 340 MiB resident after 1 GiB uploads and downloads, the embedded Redis's ~10 MiB aside).
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
public final class BoundedJvm {
    /** JVM options of a memory-bounded {@code local} cluster; the last of a repeated option wins. */
    public static final List<String> OPTIONS = List.of(
            "-Xmx128m", "-XX:+UseSerialGC", "-XX:MaxDirectMemorySize=64m",
            "-XX:ReservedCodeCacheSize=32m", "-Xss512k", "-Djdk.nio.maxCachedBufferSize=262144");

    /** Environment of a memory-bounded {@code local} cluster: glibc keeps fewer malloc arenas. */
    public static final Map<String, String> ENVIRONMENT = Map.of("MALLOC_ARENA_MAX", "2");

    private BoundedJvm() {
    }

    /** {@link #ENVIRONMENT} as a shell would set it before a command. */
    public static String environmentLine() {
        return ENVIRONMENT.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .sorted().collect(Collectors.joining(" "));
    }
}
