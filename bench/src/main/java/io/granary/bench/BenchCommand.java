package io.granary.bench;

import io.granary.common.ByteSize;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code granary bench}: measures Granary (through the HTTP gateway, the Java client library and the
 * S3 port)
 * next to this machine's own limits (disk, page cache, loopback HTTP), and prints a table plus,
 * with {@code --json}, a JSON report. See {@code docs/benchmarks.md}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Benchmarks a Granary cluster against this machine's baselines.",
                "By default starts its own cluster (" + ClusterProcess.SHAPE + ") "
                        + "as a child process in a temporary directory, and, first, two more on a Redis primary "
                        + "with a replica, to measure what --redis-wait-replicas 1 costs."})
public final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--sizes", paramLabel = "SIZE", split = ",",
            description = "File sizes of the throughput figures (default: 1MiB,64MiB,1GiB; --quick: 64KiB,20MiB).")
    List<String> sizes;

    @Option(names = "--repeats", paramLabel = "N", defaultValue = "" + BenchConfig.DEFAULT_REPEATS,
            description = "Measured repeats per figure, after a warm-up; at least 3 (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--small-ops", paramLabel = "N",
            description = "Operations per repeat of the 4KiB, stat and list figures (default: 200; --quick: 32).")
    Integer smallOps;

    @Option(names = "--quick", description = "Small sizes and few operations: checks that the harness runs.")
    boolean quick;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Parent of the temporary directory for the cluster's data and the baseline files "
                    + "(default: the system temp dir). Baselines are only meaningful on the same disk as the data.")
    Path data;

    @Option(names = "--gateway", paramLabel = "URL",
            description = "Measure an already running gateway (e.g. http://127.0.0.1:8080) instead of starting a cluster.")
    String gateway;

    @Option(names = "--master", paramLabel = "HOST:PORT",
            description = "The master of that running cluster, for the client-library figures (with --gateway).")
    String master;

    @Option(names = "--s3-endpoint", paramLabel = "URL",
            description = {"The S3 port of that running cluster (e.g. http://127.0.0.1:9000), with an S3 key in "
                    + "GRANARY_S3_ACCESS_KEY and GRANARY_S3_SECRET_KEY (with --gateway); without it the S3 figures "
                    + "are skipped."})
    String s3Endpoint;

    @Option(names = "--cluster-pid", paramLabel = "PID",
            description = "Process id of that running cluster, to read its peak RSS and heap (with --gateway).")
    Long clusterPid;

    @Option(names = "--cluster-jvm-option", paramLabel = "OPTION",
            description = {"Extra JVM option of the child cluster, after the memory-bounded ones `local` is documented "
                    + "with (the report names them); repeatable, e.g. -XX:StartFlightRecording=filename=c.jfr"})
    List<String> clusterJvmOptions = new ArrayList<>();

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the report as JSON to FILE.")
    Path json;

    @Option(names = "--keep", description = "Keep the temporary directory (data, cluster log) after the run.")
    boolean keep;

    @Option(names = "--redis-wait-only",
            description = "Measure only what Redis WAIT costs 4KiB uploads: two clusters on a Redis primary with one "
                    + "replica, --redis-wait-replicas 1 against 0 (about a minute).")
    boolean redisWaitOnly;

    @Override
    public Integer call() throws Exception {
        BenchReport report = new BenchRunner(config(), mainClass()).run();
        System.out.println();
        System.out.print(ReportTable.render(report));
        if (json != null) {
            JsonReport.write(report, json);
            System.out.println("JSON report written to " + json.toAbsolutePath().normalize());
        }
        return 0;
    }

    /** The main class of the command this one is a subcommand of: the child cluster runs it with {@code local}. */
    private String mainClass() {
        return spec.root().userObject().getClass().getName();
    }

    BenchConfig config() {
        List<Long> parsed = sizes == null ? (quick ? BenchConfig.QUICK_SIZES : BenchConfig.DEFAULT_SIZES)
                : sizes.stream().map(ByteSize::parse).toList();
        int ops = smallOps != null ? smallOps : quick ? BenchConfig.QUICK_SMALL_OPS : BenchConfig.DEFAULT_SMALL_OPS;
        return new BenchConfig(parsed, repeats, ops, data, gateway, master, s3Endpoint, clusterPid, json,
                clusterJvmOptions, keep, redisWaitOnly);
    }
}
