package io.granary.bench;

import io.granary.common.ByteSize;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * CPU seconds per GiB moved, spent by the cluster (its JVM and every process it started, i.e.
 * redis-server) and by the benchmark's own JVM (the sending or receiving side: the HTTP client, the
 * client library, the AWS SDK), over each measured repeat of a transfer. Unlike MiB/s, which drops
 * whenever other work takes a core, CPU time per byte barely moves with the machine's load, so it
 * is the figure to compare two ways of moving the same bytes by. Read from the operating system's
 * per-process accounting ({@link ProcessHandle.Info#totalCpuDuration()}: user + system time, in
 * clock ticks of 10 ms on Linux), so it needs transfers of at least a second to be precise; the
 * benchmark tracks its largest size. Not thread-safe: one transfer at a time.
 */
final class CpuMeter {
    static final String UNIT = "CPU s/GiB";
    static final String CLUSTER = "cluster";
    static final String BENCHMARK = "benchmark JVM";

    private final ProcessHandle cluster;
    private final Map<String, List<Double>> clusterValues = new LinkedHashMap<>();
    private final Map<String, List<Double>> benchmarkValues = new LinkedHashMap<>();

    /** @param clusterPid the cluster's process id, or null when unknown (then only the benchmark's CPU is read) */
    CpuMeter(Long clusterPid) {
        this.cluster = clusterPid == null ? null : ProcessHandle.of(clusterPid).orElse(null);
    }

    /**
     * Runs {@code transfer} of {@code bytes} and, unless {@code repeat} is the warm-up, records the CPU
     * time both sides spent per GiB under {@code figure}'s name.
     *
     * @return what the transfer returned (its MiB/s)
     */
    double track(String figure, int repeat, long bytes, Callable<Double> transfer) throws Exception {
        if (repeat == Repeater.WARM_UP) {
            return transfer.call();
        }
        Optional<Duration> clusterBefore = clusterCpu();
        Duration benchmarkBefore = benchmarkCpu();
        double result = transfer.call();
        Duration benchmarkSpent = benchmarkCpu().minus(benchmarkBefore);
        benchmarkValues.computeIfAbsent(figure, f -> new ArrayList<>()).add(perGiB(benchmarkSpent, bytes));
        clusterBefore.ifPresent(before -> clusterCpu().ifPresent(after -> clusterValues
                .computeIfAbsent(figure, f -> new ArrayList<>()).add(perGiB(after.minus(before), bytes))));
        return result;
    }

    /** Forgets what was recorded under {@code figure}: it failed, so it has no figure to be read beside. */
    void discard(String figure) {
        benchmarkValues.remove(figure);
        clusterValues.remove(figure);
    }

    /** One figure per tracked transfer and side, in the order measured: the cluster's, then the benchmark's. */
    List<Figure> figures() {
        List<Figure> figures = new ArrayList<>();
        benchmarkValues.forEach((figure, values) -> {
            List<Double> clusterSide = clusterValues.get(figure);
            if (clusterSide != null) {
                figures.add(new Figure(name(figure, CLUSTER), UNIT, clusterSide));
            }
            figures.add(new Figure(name(figure, BENCHMARK), UNIT, values));
        });
        return figures;
    }

    /** The name of the CPU figure of one side of a transfer figure, e.g. {@code upload 1GiB (S3), cluster}. */
    static String name(String figure, String side) {
        return figure + ", " + side;
    }

    private static double perGiB(Duration spent, long bytes) {
        return spent.toNanos() / 1e9 / ((double) bytes / ByteSize.GIB);
    }

    /** The cluster's CPU time so far, its descendants' included; empty when the process is unknown or gone. */
    private Optional<Duration> clusterCpu() {
        if (cluster == null) {
            return Optional.empty();
        }
        Optional<Duration> own = cluster.info().totalCpuDuration();
        if (own.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(cluster.descendants().map(p -> p.info().totalCpuDuration().orElse(Duration.ZERO))
                .reduce(own.get(), Duration::plus));
    }

    private static Duration benchmarkCpu() {
        return ProcessHandle.current().info().totalCpuDuration().orElseThrow(() -> new IllegalStateException(
                "this operating system does not report the CPU time of a process"));
    }
}
