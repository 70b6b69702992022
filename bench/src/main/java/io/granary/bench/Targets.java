package io.granary.bench;

import io.granary.common.ByteSize;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The performance targets Granary is held to, judged on one run's figures, through each access path (HTTP and client). */
final class Targets {
    static final double UPLOAD_RATIO = 0.7;
    static final double DOWNLOAD_RATIO = 0.25;
    static final double SMALL_UPLOAD_RATIO = 5;
    static final double SMALL_DOWNLOADS_PER_S = 3000;
    static final double PEAK_RSS_MIB = 400;
    static final String CLUSTER_RSS = "cluster peak RSS (JVM + redis-server)";

    private Targets() {
    }

    /** The throughput targets are judged at the largest size run (1 GiB by default). */
    static List<TargetResult> evaluate(long largest, List<String> labels, List<Comparison> rows, List<Figure> memory) {
        List<TargetResult> results = new ArrayList<>();
        String size = ByteSize.format(largest);
        for (String label : labels) {
            ratio(rows, ThroughputWorkload.uploadName(largest, label), UPLOAD_RATIO,
                    "durable upload " + size + " at replication 3 (" + label + ")").ifPresent(results::add);
            ratio(rows, ThroughputWorkload.downloadName(largest, label), DOWNLOAD_RATIO,
                    "download " + size + " (" + label + ")").ifPresent(results::add);
            ratio(rows, SmallFileWorkload.name("4KiB uploads", 16, label), SMALL_UPLOAD_RATIO,
                    "4KiB uploads c16 (" + label + ")").ifPresent(results::add);
            find(rows, SmallFileWorkload.name("4KiB downloads", 16, label)).ifPresent(row -> results.add(
                    new TargetResult("4KiB downloads c16 (" + label + ") >= " + (int) SMALL_DOWNLOADS_PER_S + " ops/s",
                            row.figure().median(), SMALL_DOWNLOADS_PER_S, true, Figure.OPS_PER_S)));
        }
        memory.stream().filter(f -> f.name().equals(CLUSTER_RSS)).findFirst().ifPresent(f -> results.add(
                new TargetResult(CLUSTER_RSS + " over the whole run (incl. the " + size + " runs) <= "
                        + (int) PEAK_RSS_MIB + " MiB", f.median(), PEAK_RSS_MIB, false, Figure.MIB)));
        return results;
    }

    private static Optional<TargetResult> ratio(List<Comparison> rows, String name, double limit, String what) {
        return find(rows, name).map(row -> new TargetResult(what + " >= " + limit + " x " + row.baseline().name(),
                row.ratio(), limit, true, TargetResult.RATIO));
    }

    private static Optional<Comparison> find(List<Comparison> rows, String name) {
        return rows.stream().filter(row -> row.figure().name().equals(name)).findFirst();
    }
}
