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
    /** 4 KiB uploads at concurrency 16 against three fdatasynced 4 KiB writes per upload. */
    static final double SMALL_UPLOAD_RATIO = 1.0;
    /** 4 KiB downloads at concurrency 16 against a loopback HTTP GET of 4 KiB at the same concurrency. */
    static final double SMALL_DOWNLOAD_RATIO = 1.0;
    /** A one-chunk upload (64 MiB) through the HTTP API against the 3-copy fdatasync baseline. */
    static final double ONE_CHUNK_UPLOAD_RATIO = 0.5;
    static final long ONE_CHUNK = 64 * ByteSize.MIB;
    /** Core-seconds the whole cluster may spend per GiB uploaded at replication 3, and per GiB downloaded. */
    static final double CLUSTER_UPLOAD_CPU = 5;
    static final double CLUSTER_DOWNLOAD_CPU = 1.5;
    /** Core-seconds the client library may spend per GiB it reads. */
    static final double CLIENT_READ_CPU = 1;
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
                                       List<Figure> cpu, List<Figure> memory) {
        List<TargetResult> results = new ArrayList<>();
        String size = ByteSize.format(largest);
        for (String label : labels) {
            ratio(rows, ThroughputWorkload.uploadName(largest, label), UPLOAD_RATIO,
                    "durable upload " + size + " at replication 3 (" + label + ")").ifPresent(results::add);
            ratio(rows, ThroughputWorkload.downloadName(largest, label),
                    label.equals(ClientTarget.LABEL) ? CLIENT_READ_RATIO : DOWNLOAD_RATIO,
                    "download " + size + " (" + label + ")").ifPresent(results::add);
            String up = ThroughputWorkload.uploadName(largest, label);
            String down = ThroughputWorkload.downloadName(largest, label);
            atMost(cpu, CpuMeter.name(up, CpuMeter.CLUSTER), CLUSTER_UPLOAD_CPU).ifPresent(results::add);
            atMost(cpu, CpuMeter.name(down, CpuMeter.CLUSTER), CLUSTER_DOWNLOAD_CPU).ifPresent(results::add);
            if (label.equals(ClientTarget.LABEL)) {
                atMost(cpu, CpuMeter.name(down, CpuMeter.BENCHMARK), CLIENT_READ_CPU).ifPresent(results::add);
            }
            if (label.equals(HttpTarget.LABEL) && largest != ONE_CHUNK) {
                ratio(rows, ThroughputWorkload.uploadName(ONE_CHUNK, label), ONE_CHUNK_UPLOAD_RATIO,
                        "durable upload " + ByteSize.format(ONE_CHUNK) + " at replication 3 (" + label + ")")
                        .ifPresent(results::add);
            }
            ratio(rows, SmallFileWorkload.name("4KiB uploads", 16, label), SMALL_UPLOAD_RATIO,
                    "4KiB uploads c16 (" + label + ")").ifPresent(results::add);
            ratio(rows, SmallFileWorkload.name("4KiB downloads", 16, label), SMALL_DOWNLOAD_RATIO,
                    "4KiB downloads c16 (" + label + ")").ifPresent(results::add);
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

    /** A CPU figure, in core-seconds per GiB, that must stay at or under {@code limit}. */
    private static Optional<TargetResult> atMost(List<Figure> cpu, String name, double limit) {
        return cpu.stream().filter(f -> f.name().equals(name)).findFirst().map(f -> new TargetResult(
                name + " <= " + limit + " " + CpuMeter.UNIT, f.median(), limit, false, CpuMeter.UNIT));
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
