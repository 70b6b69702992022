package io.granary.bench;

import io.granary.common.ByteSize;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The performance targets Granary is held to, judged on one run's figures: each through every access
 * path (HTTP, client, S3), and the S3 port's own against the HTTP API's and against itself.
 */
final class Targets {
    static final double UPLOAD_RATIO = 0.7;
    static final double DOWNLOAD_RATIO = 0.25;
    /** The client library's download against the raw loopback TCP stream between two JVMs. */
    static final double CLIENT_READ_RATIO = 0.6;
    static final double SMALL_UPLOAD_RATIO = 5;
    static final double SMALL_DOWNLOADS_PER_S = 3000;
    static final double PEAK_RSS_MIB = 400;
    static final String CLUSTER_RSS = "cluster peak RSS (JVM + redis-server)";
    /** An S3 PutObject or GetObject through the AWS SDK against the same transfer through the HTTP API. */
    static final double S3_TO_HTTP_RATIO = 0.9;
    /** A multipart upload with its parts sent at once against one PutObject of the same size. */
    static final double MULTIPART_TO_PUT_RATIO = 1.0;

    private Targets() {
    }

    /**
     * Judges every target whose figures were measured; the throughput targets at the largest size run
     * (1 GiB by default). A target whose figure is named in {@code failed} is judged missed, its value
     * NaN.
     */
    static List<TargetResult> evaluate(long largest, List<String> labels, List<Comparison> rows, List<String> failed,
                                       List<Figure> memory) {
        List<TargetResult> results = new ArrayList<>();
        String size = ByteSize.format(largest);
        for (String label : labels) {
            ratio(rows, ThroughputWorkload.uploadName(largest, label), UPLOAD_RATIO,
                    "durable upload " + size + " at replication 3 (" + label + ")").ifPresent(results::add);
            ratio(rows, ThroughputWorkload.downloadName(largest, label),
                    label.equals(ClientTarget.LABEL) ? CLIENT_READ_RATIO : DOWNLOAD_RATIO,
                    "download " + size + " (" + label + ")").ifPresent(results::add);
            ratio(rows, SmallFileWorkload.name("4KiB uploads", 16, label), SMALL_UPLOAD_RATIO,
                    "4KiB uploads c16 (" + label + ")").ifPresent(results::add);
            find(rows, SmallFileWorkload.name("4KiB downloads", 16, label)).ifPresent(row -> results.add(
                    new TargetResult("4KiB downloads c16 (" + label + ") >= " + (int) SMALL_DOWNLOADS_PER_S + " ops/s",
                            row.figure().median(), SMALL_DOWNLOADS_PER_S, true, Figure.OPS_PER_S)));
        }
        String httpUp = ThroughputWorkload.uploadName(largest, HttpTarget.LABEL);
        String httpDown = ThroughputWorkload.downloadName(largest, HttpTarget.LABEL);
        String s3Put = ThroughputWorkload.uploadName(largest, S3Target.LABEL);
        relative(rows, failed, s3Put, httpUp, S3_TO_HTTP_RATIO, "S3 PutObject " + size).ifPresent(results::add);
        relative(rows, failed, ThroughputWorkload.downloadName(largest, S3Target.LABEL), httpDown, S3_TO_HTTP_RATIO,
                "S3 GetObject " + size).ifPresent(results::add);
        relative(rows, failed, S3Workload.multipartName(largest, S3Target.LABEL), s3Put, MULTIPART_TO_PUT_RATIO,
                "S3 multipart upload " + size + ", " + S3Workload.PARTS + " parts at once").ifPresent(results::add);
        memory.stream().filter(f -> f.name().equals(CLUSTER_RSS)).findFirst().ifPresent(f -> results.add(
                new TargetResult(CLUSTER_RSS + " over the whole run (incl. the " + size + " runs) <= "
                        + (int) PEAK_RSS_MIB + " MiB", f.median(), PEAK_RSS_MIB, false, Figure.MIB)));
        return results;
    }

    private static Optional<TargetResult> ratio(List<Comparison> rows, String name, double limit, String what) {
        return find(rows, name).map(row -> new TargetResult(what + " >= " + limit + " x " + row.baseline().name(),
                row.ratio(), limit, true, TargetResult.RATIO));
    }

    /** {@code name}'s median over {@code other}'s, both Granary figures of this run; NaN when {@code name} failed. */
    private static Optional<TargetResult> relative(List<Comparison> rows, List<String> failed, String name,
                                                   String other, double limit, String what) {
        String target = what + " >= " + limit + " x " + other;
        if (failed.contains(name)) {
            return Optional.of(new TargetResult(target, Double.NaN, limit, true, TargetResult.RATIO));
        }
        return find(rows, name).flatMap(row -> find(rows, other).map(base -> new TargetResult(
                target, row.figure().median() / base.figure().median(), limit, true, TargetResult.RATIO)));
    }

    private static Optional<Comparison> find(List<Comparison> rows, String name) {
        return rows.stream().filter(row -> row.figure().name().equals(name)).findFirst();
    }
}
