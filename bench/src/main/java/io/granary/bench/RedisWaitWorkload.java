package io.granary.bench;

import io.granary.master.store.EmbeddedRedisServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What it costs that the master waits, after every metadata change, until a Redis replica has it
 * ({@code --redis-wait-replicas 1}), in 4 KiB uploads through the HTTP gateway: the operation of
 * {@link SmallFileWorkload}'s upload figure, at each of its concurrencies, in milliseconds per upload.
 *
 * <p>A Redis primary with one replica (the embedded redis-server, both append-only with an fsync on
 * every write, like {@code local}'s Redis and the compose replicas), and two child clusters
 * ({@link ClusterProcess}) on it at once, one with {@code --redis-wait-replicas 1} and one with 0, each
 * in a database of its own so that their keys and master leases stay apart: {@code WAIT} is the only
 * difference. Their repeats are interleaved ({@link Repeater#measurePair}). The files are not deleted:
 * the clusters and Redis are stopped and their data goes with the run's directory.
 */
final class RedisWaitWorkload {
    static final int REPLICAS = 1;
    static final String WAITING = "WAIT " + REPLICAS;
    static final String NOT_WAITING = "no WAIT";
    /** What the report says of the setup, beside the figures. */
    static final String SETUP = "two child clusters (" + ClusterProcess.SHAPE + ") on one embedded redis-server "
            + "primary with " + REPLICAS + " replica (both append-only, fsync always), databases 0 and 1 through "
            + "--redis, one with --redis-wait-replicas " + REPLICAS + " and one with 0; 4KiB uploads through HTTP, "
            + "their repeats interleaved";
    private static final String DIR = Target.ROOT + "/redis-wait/";
    private static final double MS_PER_SECOND = 1000;

    private final String mainClass;
    private final Path dir;
    private final List<String> jvmOptions;
    private final Repeater repeater;
    private final int ops;

    /**
     * @param mainClass  the {@code granary} command's main class, which the clusters run with {@code local}
     * @param dir        where Redis's and the clusters' files and the clusters' logs go
     * @param jvmOptions the clusters' JVM options, as the main cluster's
     * @param ops        uploads per repeat
     */
    RedisWaitWorkload(String mainClass, Path dir, List<String> jvmOptions, Repeater repeater, int ops) {
        this.mainClass = mainClass;
        this.dir = dir;
        this.jvmOptions = jvmOptions;
        this.repeater = repeater;
        this.ops = ops;
    }

    /** Starts Redis and the two clusters, measures every concurrency, and stops them all. */
    List<RedisWaitCost> run() throws Exception {
        Files.createDirectories(dir);
        String password = "bench" + UUID.randomUUID().toString().replace("-", "");
        try (EmbeddedRedisServer primary = EmbeddedRedisServer.start(dir.resolve("redis-primary"), 0, true, password);
             EmbeddedRedisServer replica = EmbeddedRedisServer.startReplica(dir.resolve("redis-replica"), true, primary);
             ClusterProcess waiting = cluster(primary, REPLICAS, 0);
             ClusterProcess notWaiting = cluster(primary, 0, 1);
             HttpTarget withWait = new HttpTarget(waiting.gatewayUrl(), waiting.adminToken());
             HttpTarget withoutWait = new HttpTarget(notWaiting.gatewayUrl(), notWaiting.adminToken())) {
            withWait.ping();
            withoutWait.ping();
            List<RedisWaitCost> costs = new ArrayList<>();
            for (int c : BenchConfig.CONCURRENCIES) {
                String name = SmallFileWorkload.name(SmallFileWorkload.UPLOADS, c, HttpTarget.LABEL);
                List<Figure> pair = repeater.measurePair(
                        name + ", " + WAITING, r -> msPerUpload(withWait, c, r),
                        name + ", " + NOT_WAITING, r -> msPerUpload(withoutWait, c, r), Figure.MS_PER_UPLOAD);
                costs.add(new RedisWaitCost(name, REPLICAS, pair.get(0), pair.get(1)));
            }
            return costs;
        }
    }

    /** A cluster on {@code database} of the primary, waiting for {@code replicas} replicas after each change. */
    private ClusterProcess cluster(EmbeddedRedisServer primary, int replicas, int database) throws Exception {
        String name = "cluster-wait-" + replicas;
        // the URI holds Redis's password: it goes through the environment, never on the command line
        return ClusterProcess.start(mainClass, dir.resolve(name), jvmOptions, dir.resolve(name + ".log"),
                List.of("--redis-wait-replicas", Integer.toString(replicas)),
                Map.of("GRANARY_REDIS", primary.uri() + "/" + database));
    }

    private double msPerUpload(Target target, int concurrency, int repeat) throws Exception {
        return MS_PER_SECOND / SmallFileWorkload.uploadsPerSecond(target, DIR, concurrency, ops, repeat, path -> { });
    }
}
