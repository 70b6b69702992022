package io.granary.bench;

import io.granary.common.ByteSize;
import io.granary.common.BoundedJvm;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What one benchmark run measures and against which cluster. Immutable; checked on construction so
 * that a bad flag fails before anything is started.
 *
 * @param sizes             file sizes of the throughput figures, e.g. 1MiB, 64MiB, 1GiB
 * @param repeats           measured repeats per figure (after the warm-up); the median is reported
 * @param smallOps          operations per repeat of each small-file and stat figure
 * @param dataParent        where the temporary directory (cluster data and baseline files) is made;
 *                          the baselines only mean something on the same disk as the data
 * @param gatewayUrl        an already running gateway (e.g. {@code http://127.0.0.1:8080}), or null
 *                          to start a cluster as a child process
 * @param masterAddress     {@code host:port} of that cluster's master, for the client library
 * @param s3Endpoint        that cluster's S3 port (e.g. {@code http://127.0.0.1:9000}), or null to leave
 *                          S3 out; a cluster the benchmark starts has its S3 port measured always
 * @param clusterPid        process id of that cluster, to read its memory; null when unknown
 * @param jsonFile          where to write the JSON report, or null
 * @param clusterJvmOptions extra JVM options of the child cluster (e.g. a JFR recording or -Xmx), after
 *                          the memory-bounded defaults of {@code local} ({@link BoundedJvm#OPTIONS})
 * @param keepData          keep the temporary directory (and the cluster's log) after the run
 * @param redisWaitOnly     measure only the cost of Redis {@code WAIT} ({@link RedisWaitWorkload}), which
 *                          needs clusters of the benchmark's own
 */
public record BenchConfig(List<Long> sizes, int repeats, int smallOps, Path dataParent, String gatewayUrl,
                          String masterAddress, String s3Endpoint, Long clusterPid, Path jsonFile, List<String> clusterJvmOptions,
                          boolean keepData, boolean redisWaitOnly) {
    public static final List<Long> DEFAULT_SIZES = List.of(ByteSize.MIB, 64 * ByteSize.MIB, ByteSize.GIB);
    /** Small, but the largest holds the S3 multipart figure's 4 parts of S3's least part size, 5 MiB. */
    public static final List<Long> QUICK_SIZES = List.of(64 * ByteSize.KIB, 20 * ByteSize.MIB);
    public static final int DEFAULT_REPEATS = 3;
    public static final int MIN_REPEATS = 3;
    public static final int DEFAULT_SMALL_OPS = 200;
    public static final int QUICK_SMALL_OPS = 32;
    /** Size of the small files ("4 KiB uploads and downloads per second"). */
    public static final int SMALL_FILE_BYTES = (int) (4 * ByteSize.KIB);
    /** Concurrency levels of the small-file and stat figures. */
    public static final List<Integer> CONCURRENCIES = List.of(1, 16);

    public BenchConfig {
        if (sizes == null || sizes.isEmpty() || sizes.stream().anyMatch(s -> s < 1)) {
            throw new IllegalArgumentException("--sizes needs at least one positive size, e.g. 1MiB,64MiB,1GiB");
        }
        sizes = sizes.stream().distinct().sorted().toList();
        if (repeats < MIN_REPEATS) {
            throw new IllegalArgumentException("--repeats must be at least " + MIN_REPEATS
                    + " (each figure is a median of repeats), not " + repeats);
        }
        if (smallOps < CONCURRENCIES.get(CONCURRENCIES.size() - 1)) {
            throw new IllegalArgumentException("--small-ops must be at least the highest concurrency, "
                    + CONCURRENCIES.get(CONCURRENCIES.size() - 1) + ", not " + smallOps);
        }
        if ((gatewayUrl == null) != (masterAddress == null)) {
            throw new IllegalArgumentException("--gateway and --master go together: the benchmark measures both the "
                    + "HTTP gateway and the Java client library of the same cluster");
        }
        if (gatewayUrl == null && clusterPid != null) {
            throw new IllegalArgumentException("--cluster-pid only applies with --gateway and --master");
        }
        if (gatewayUrl == null && s3Endpoint != null) {
            throw new IllegalArgumentException("--s3-endpoint only applies with --gateway and --master: the cluster "
                    + "the benchmark starts is measured through its own S3 port");
        }
        if (redisWaitOnly && gatewayUrl != null) {
            throw new IllegalArgumentException("--redis-wait-only measures clusters the benchmark starts on a Redis "
                    + "primary with a replica; it does not apply with --gateway");
        }
        gatewayUrl = gatewayUrl == null ? null : stripTrailingSlash(gatewayUrl);
        clusterJvmOptions = List.copyOf(clusterJvmOptions == null ? List.of() : clusterJvmOptions);
    }

    /** Whether the run starts its own cluster as a child process. */
    public boolean ownCluster() {
        return gatewayUrl == null;
    }

    /**
     * Every JVM option of the child cluster: the memory-bounded options a user of {@code local} is
     * told to run with, then the extra ones, which win where they repeat one (e.g. a larger -Xmx).
     */
    public List<String> childJvmOptions() {
        List<String> all = new ArrayList<>(BoundedJvm.OPTIONS);
        all.addAll(clusterJvmOptions);
        return List.copyOf(all);
    }

    /** The largest size measured: the one the throughput targets are judged at. */
    public long largestSize() {
        return sizes.get(sizes.size() - 1);
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
