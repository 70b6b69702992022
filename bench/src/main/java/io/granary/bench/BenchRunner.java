package io.granary.bench;

import io.granary.common.BoundedJvm;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One benchmark run: starts (or connects to) the cluster, the loopback server and the disk
 * baselines in one temporary directory, measures every figure, reads the cluster's memory peaks,
 * judges the targets, and cleans up. Not thread-safe; run once.
 */
public final class BenchRunner {
    static final String NODE_ID = "bench";
    private static final Logger log = LoggerFactory.getLogger(BenchRunner.class);
    private static final double KIB_PER_MIB = 1024;
    private static final double BYTES_PER_MIB = 1024 * 1024;

    private final BenchConfig config;
    private final String mainClass;
    private final List<String> environment = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    /** @param mainClass the {@code granary} command's main class, which the child cluster runs with {@code local} */
    public BenchRunner(BenchConfig config, String mainClass) {
        this.config = config;
        this.mainClass = mainClass;
    }

    public BenchReport run() throws Exception {
        Instant started = Instant.now();
        Path work = createWorkDir();
        log.info("{}: working in {} ({})", NODE_ID, work, describe(Files.getFileStore(work)));
        describeMachine(work);
        ClusterProcess cluster = null;
        try {
            List<RedisWaitCost> redisWait = measureRedisWait(work);
            if (config.redisWaitOnly()) {
                notes.add("load average at end " + loadAverage() + " (other work on this machine skews every figure)");
                return new BenchReport(started, Duration.between(started, Instant.now()), config, environment,
                        List.of(), List.of(), List.of(), List.of(), List.of(), redisWait, notes);
            }
            if (config.ownCluster()) {
                cluster = ClusterProcess.start(mainClass, work.resolve("cluster"), config.childJvmOptions(),
                        work.resolve("cluster.log"));
            }
            String gateway = cluster != null ? cluster.gatewayUrl() : config.gatewayUrl();
            String master = cluster != null ? cluster.masterAddress() : config.masterAddress();
            Long pid = cluster != null ? Long.valueOf(cluster.pid()) : config.clusterPid();
            describeCluster(gateway, master, pid);
            // an external cluster's secret and token come from the environment, as for its own nodes and the CLI
            String secret = cluster != null ? cluster.clusterSecret() : System.getenv("GRANARY_CLUSTER_SECRET");
            String token = cluster != null ? cluster.adminToken() : System.getenv("GRANARY_TOKEN");
            S3Access s3 = cluster != null ? cluster.s3Access() : externalS3();
            describeS3(s3);
            return measure(started, work, gateway, token, master, secret, s3, pid, redisWait);
        } finally {
            if (cluster != null) {
                cluster.close();
            }
            cleanUp(work);
        }
    }

    /**
     * The cost of Redis {@code WAIT}, measured before the main cluster starts, so that nothing else of
     * the benchmark runs meanwhile; none, with a note, against a running cluster.
     */
    private List<RedisWaitCost> measureRedisWait(Path work) throws Exception {
        if (!config.ownCluster()) {
            String reason = "Redis WAIT figures not measured: they compare two clusters the benchmark starts on a Redis "
                    + "primary with a replica, one waiting for it and one not; a running cluster has one setting";
            log.warn("{}: {}", NODE_ID, reason);
            notes.add(reason);
            return List.of();
        }
        environment.add("Redis WAIT: " + RedisWaitWorkload.SETUP + "; JVM options "
                + String.join(" ", config.childJvmOptions()));
        return new RedisWaitWorkload(mainClass, work.resolve("redis-wait"), config.childJvmOptions(),
                new Repeater(config.repeats()), config.smallOps()).run();
    }

    /** The S3 port of a running cluster, or null (with a note) when none is given. */
    private S3Access externalS3() {
        if (config.s3Endpoint() != null) {
            return S3Access.fromEnvironment(config.s3Endpoint());
        }
        String reason = "S3 figures not measured: give --s3-endpoint URL, with an S3 key of the cluster in "
                + S3Access.ACCESS_KEY_VARIABLE + " and " + S3Access.SECRET_KEY_VARIABLE;
        log.warn("{}: {}", NODE_ID, reason);
        notes.add(reason);
        return null;
    }

    private BenchReport measure(Instant started, Path work, String gateway, String token, String master, String secret,
                                S3Access s3Access, Long pid, List<RedisWaitCost> redisWait)
            throws Exception {
        List<Comparison> rows = new ArrayList<>();
        List<Figure> baselines = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        HeapProbe heap = attachHeapProbe(pid);
        try (HttpTarget http = new HttpTarget(gateway, token);
             ClientTarget client = new ClientTarget(master, secret);
             S3Target s3 = s3Access == null ? null : new S3Target(s3Access);
             Loopback loopback = Loopback.start(work.resolve("loopback.log"));
             DiskBaselines disk = new DiskBaselines(work.resolve("baseline"))) {
            List<Target> targets = s3 == null ? List.of(http, client) : List.of(http, client, s3);
            for (Target target : targets) {
                target.ping();
            }
            Repeater repeater = new Repeater(config.repeats());
            CpuMeter cpu = new CpuMeter(pid);
            new ThroughputWorkload(repeater, targets, disk, loopback, cpu).run(config.sizes(), rows, baselines);
            if (s3 != null) {
                long largest = config.largestSize();
                Figure synced = baselines.stream()
                        .filter(f -> f.name().equals(ThroughputWorkload.syncedName(largest))).findFirst().orElseThrow();
                new S3Workload(repeater, s3, cpu).run(largest, synced, rows, notes, failed);
            }
            new SmallFileWorkload(repeater, targets, disk, loopback, config.smallOps()).run(rows, baselines);
            if (s3 != null && s3.retries() > 0) {
                notes.add("the AWS SDK sent " + s3.retries() + " of its " + s3.requests() + " S3 requests again (its "
                        + "default retries, e.g. after a 503 SlowDown): the S3 figures include those attempts");
            }
            notes.add("load average at end " + loadAverage() + " (other work on this machine skews every figure)");
            List<Figure> memory = memory(pid, heap);
            List<String> labels = targets.stream().map(Target::label).toList();
            List<TargetResult> judged = Targets.evaluate(config.largestSize(), labels, rows, failed, cpu.figures(),
                    memory);
            return new BenchReport(started, Duration.between(started, Instant.now()), config, environment, rows,
                    baselines, cpu.figures(), memory, judged, redisWait, notes);
        } finally {
            if (heap != null) {
                heap.close();
            }
        }
    }

    private void describeS3(S3Access s3) {
        if (s3 != null) {
            environment.add("S3: " + s3.endpoint() + " through " + S3Target.CLIENT);
        }
    }

    private HeapProbe attachHeapProbe(Long pid) {
        if (pid == null) {
            notes.add("cluster memory not measured: its process id is unknown (give --cluster-pid)");
            return null;
        }
        try {
            return HeapProbe.attach(pid);
        } catch (IOException | RuntimeException e) {
            log.warn("{}: cannot read the heap of process {}: {}", NODE_ID, pid, e.getMessage());
            notes.add("heap high-water not measured: cannot attach to process " + pid + ": " + e.getMessage());
            return null;
        }
    }

    private List<Figure> memory(Long pid, HeapProbe heap) {
        List<Figure> memory = new ArrayList<>();
        if (pid != null) {
            ProcessMemory peaks = ProcessMemory.read(pid);
            memory.add(Figure.single("cluster JVM peak RSS (VmHWM)", Figure.MIB, peaks.peakKib() / KIB_PER_MIB));
            memory.add(Figure.single("redis-server peak RSS (VmHWM)", Figure.MIB,
                    peaks.descendantsPeakKib() / KIB_PER_MIB));
            memory.add(Figure.single(Targets.CLUSTER_RSS, Figure.MIB, peaks.totalPeakKib() / KIB_PER_MIB));
        }
        if (heap != null) {
            memory.add(Figure.single("gateway heap high-water (cluster JVM heap)", Figure.MIB,
                    heap.peakHeapBytes() / BYTES_PER_MIB));
        }
        memory.forEach(f -> log.info("{}: {} = {} {}", NODE_ID, f.name(), ReportTable.number(f.median()), f.unit()));
        return memory;
    }

    private void describeMachine(Path work) throws IOException {
        environment.add("machine: " + Runtime.getRuntime().availableProcessors() + " cores, "
                + System.getProperty("os.name") + " " + System.getProperty("os.version") + ", JDK "
                + System.getProperty("java.runtime.version") + "; load average at start " + loadAverage());
        environment.add("data and baselines: " + work + " (" + describe(Files.getFileStore(work)) + ")");
        environment.add("method: median of " + config.repeats() + " repeats after 1 warm-up run per figure; "
                + config.smallOps() + " operations per repeat of each 4KiB and stat figure");
    }

    private void describeCluster(String gateway, String master, Long pid) {
        environment.add(config.ownCluster()
                ? "cluster: child JVM pid " + pid + " (" + ClusterProcess.SHAPE
                + ", JVM options " + String.join(" ", config.childJvmOptions()) + ", " + BoundedJvm.environmentLine()
                + "), gateway " + gateway + ", master " + master
                : "cluster: running at gateway " + gateway + ", master " + master
                + (pid == null ? "" : ", pid " + pid));
    }

    private Path createWorkDir() throws IOException {
        Path parent = config.dataParent() != null ? config.dataParent()
                : Path.of(System.getProperty("java.io.tmpdir"));
        Files.createDirectories(parent);
        return Files.createTempDirectory(parent, "granary-bench-").toAbsolutePath();
    }

    private void cleanUp(Path work) {
        if (config.keepData()) {
            log.info("{}: kept {} (cluster.log is the cluster's output)", NODE_ID, work);
            return;
        }
        try (Stream<Path> files = Files.walk(work)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            log.warn("{}: could not remove {}: {}", NODE_ID, work, e.toString());
        }
    }

    /** The 1, 5 and 15 minute load averages from /proc/loadavg, or "unknown". */
    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String describe(FileStore store) {
        return "file system " + store.type() + " on " + store.name();
    }
}
