package io.granary.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.granary.common.AccessTokens;
import io.granary.common.ByteSize;
import io.granary.common.grpc.ClusterSecret;
import io.granary.master.testing.RedisFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A metadata backup taken under load, restored into a fresh Redis, and a new master started on it
 * with the same chunkservers (docs/operations.md, "Metadata backup and restore"). The master, three
 * chunkservers, the gateway and both {@code granary admin} commands each run in a JVM of their own,
 * as an operator would run them; Redis is the real {@code redis-server}.
 *
 * <p>One writer uploads, overwrites and deletes files one at a time while the backup runs, and logs
 * when each change started and was acknowledged. The backup is one point in time between two changes
 * (Redis holds writes while it reads), so after the restore the namespace must be that log played up
 * to one change: every change acknowledged before the backup command started is there, byte for byte,
 * and no change started after it ended is. Both masters keep deleted chunks for a grace period far
 * longer than the test, so nothing the backup knows has left the disks: files deleted or overwritten
 * after the backup read back as they were. Chunks written after it are orphans to the new master and
 * stay on disk; fsck finds no chunk missing.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class BackupRestoreIT {
    private static final Duration START = Duration.ofSeconds(90);
    private static final Duration HEARTBEAT = Duration.ofMillis(300);
    /** Longer than the test: no deleted, replaced or orphan chunk may leave a disk while it runs. */
    private static final String GC_GRACE = "10m";
    private static final String CHUNK_SIZE = "256KiB";
    private static final long CHUNK = 256 * ByteSize.KIB;
    private static final int CHUNKSERVERS = 3;
    private static final int FILES_BEFORE_LOAD = 8;
    private static final Pattern ACTIVE = Pattern.compile("as the active master|took the master lease");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The state of a path that holds no file. */
    private static final long ABSENT = -1;
    @TempDir
    Path dir;

    private final String secret = ClusterSecret.generate().value();
    private final String adminToken = AccessTokens.newToken();
    private final Processes processes = new Processes();
    private int masterPort;
    private RedisFixture redisA;
    private RoleProcess master;
    private String gatewayUrl;
    private Http http;
    private long clusterStarting;

    /** One change the writer made: content {@code seed} of {@code size} bytes, or a delete when size < 0. */
    record Change(String path, long seed, long size, long startedNanos, long acknowledgedNanos,
                  List<String> handles) {
        boolean isDelete() {
            return size < 0;
        }
    }

    @BeforeEach
    void startCluster() throws IOException {
        clusterStarting = System.nanoTime();
        masterPort = Processes.freePort();
        redisA = processes.keep(RedisFixture.start(Files.createDirectories(dir.resolve("redis-a"))));
        startMaster("m1", redisA);
        for (int i = 0; i < CHUNKSERVERS; i++) {
            processes.keep(RoleProcess.start("cs" + i, "chunkserver", environment(), List.of("--master", masterAddress(),
                    "--port", "0", "--id", "cs" + i, "--data", dir.resolve("cs" + i).toString())));
        }
        int gatewayPort = Processes.freePort();
        processes.keep(RoleProcess.start("gateway", "gateway", environment(), List.of("--master", masterAddress(),
                "--port", Integer.toString(gatewayPort), "--s3-port", "-1")))
                .awaitOutput(Pattern.compile("listening on port"), START);
        gatewayUrl = "http://127.0.0.1:" + gatewayPort;
        http = new Http(gatewayUrl, adminToken, Duration.ofSeconds(30));
        awaitReady();
    }

    @AfterEach
    void stopCluster() throws Exception {
        processes.close();
    }

    @Test
    void aBackupTakenUnderLoadAndRestoredIntoAFreshRedisLosesNoFileItKnewAndNoChunkWrittenAfterIt()
            throws Exception {
        long began = System.nanoTime();
        List<Change> changes = new CopyOnWriteArrayList<>();
        for (int i = 0; i < FILES_BEFORE_LOAD; i++) {
            changes.add(put("before/" + i, i, (i % 4) * CHUNK + 1_000 * i + 1));
        }
        Path backup = dir.resolve("metadata.backup");

        long backupStarted;
        long backupEnded;
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService load = Executors.newSingleThreadExecutor();
        try {
            Future<?> writer = load.submit(() -> writeUntilStopped(changes, writing));
            awaitWhileWriting(writer, () -> changes.size() >= FILES_BEFORE_LOAD + 6);

            backupStarted = System.nanoTime();
            RoleProcess backupCommand = RoleProcess.start("backup", "admin", Map.of("GRANARY_REDIS", redisA.uri()),
                    List.of("backup", backup.toString()));
            assertThat(backupCommand.awaitExit(START)).as("granary admin backup exits 0").isZero();
            backupEnded = System.nanoTime();
            assertThat(backupCommand.printed(Pattern.compile("^backed up \\d+ keys"))).isTrue();

            awaitWhileWriting(writer, () -> changes.stream().filter(c -> c.startedNanos() > backupEnded).count() >= 6);
            writing.set(false);
            writer.get(60, TimeUnit.SECONDS);
        } finally {
            writing.set(false);
            load.shutdownNow();
        }
        long loadEnded = System.nanoTime();

        processes.forget(master);
        master.close(); // every master stops before a restore
        RedisFixture redisB = processes.keep(RedisFixture.start(Files.createDirectories(dir.resolve("redis-b"))));
        RoleProcess restoreCommand = RoleProcess.start("restore", "admin", Map.of("GRANARY_REDIS", redisB.uri()),
                List.of("restore", backup.toString()));
        assertThat(restoreCommand.awaitExit(START)).as("granary admin restore exits 0").isZero();
        startMaster("m2", redisB);
        awaitReady();
        long restarted = System.nanoTime();

        await("fsck healthy on the restored master").atMost(START).pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> {
                    CliIT.Run fsck = CliIT.granaryAs(gatewayUrl, adminToken, "fsck", "--json");
                    assertThat(fsck.exitCode()).as(fsck.out() + fsck.stderr()).isZero();
                });
        Map<String, Long> restored = new TreeMap<>();
        changes.forEach(c -> restored.computeIfAbsent(c.path(), path -> stateOf(changes, path)));
        int least = (int) changes.stream().filter(c -> c.acknowledgedNanos() < backupStarted).count();
        int most = (int) changes.stream().filter(c -> c.startedNanos() < backupEnded).count();
        assertThat(IntStream.rangeClosed(least, most).mapToObj(n -> stateAfter(changes, n)))
                .as("the namespace after the restore is the writer's log played up to one change between the "
                        + "last acknowledged before the backup began (%d) and the last started before it ended (%d)",
                        least, most)
                .contains(restored);
        assertThat(changes).as("deletes and overwrites the backup does not know, of files it knows")
                .anyMatch(c -> c.startedNanos() > backupEnded && c.path().startsWith("before/"));

        Set<String> orphans = new TreeSet<>();
        changes.stream().filter(c -> c.startedNanos() > backupEnded).forEach(c -> orphans.addAll(c.handles()));
        assertThat(orphans).as("chunks written after the backup").isNotEmpty();
        for (int i = 0; i < CHUNKSERVERS; i++) {
            assertThat(DiskReplicas.handlesIn(dir.resolve("cs" + i))).as("chunks on cs%d", i).containsAll(orphans);
        }
        System.out.printf("backup and restore: cluster started in %d ms; %d changes in %d ms, the backup command "
                        + "%d ms of them; restore and new master ready in %d ms; fsck and reads %d ms%n",
                millis(clusterStarting, began), changes.size(), millis(began, loadEnded),
                millis(backupStarted, backupEnded), millis(loadEnded, restarted), millis(restarted, System.nanoTime()));
    }

    /**
     * The writer: new files, and overwrites and deletes of files written before the backup, one at a
     * time, each logged with when it started and when it was acknowledged.
     */
    private void writeUntilStopped(List<Change> changes, AtomicBoolean writing) {
        Set<String> deleted = new HashSet<>();
        for (int i = 0; writing.get(); i++) {
            long seed = 1_000 + i;
            if (i % 3 != 2) {
                changes.add(put("during/" + i, seed, 50_000 + 997L * i));
                continue;
            }
            String target = "before/" + (i / 3) % FILES_BEFORE_LOAD;
            if (i % 2 == 0 || deleted.contains(target)) {
                changes.add(put(target, seed, CHUNK + 3L * i));
                deleted.remove(target);
            } else {
                long started = System.nanoTime();
                assertThat(http.delete(target).statusCode()).as("DELETE %s", target).isEqualTo(204);
                changes.add(new Change(target, 0, -1, started, System.nanoTime(), List.of()));
                deleted.add(target);
            }
        }
    }

    private Change put(String path, long seed, long size) {
        long started = System.nanoTime();
        HttpResponse<String> response = http.put(path, seed, size);
        long acknowledged = System.nanoTime();
        assertThat(response.statusCode()).as("PUT %s: %s", path, response.body()).isEqualTo(201);
        List<String> handles = new ArrayList<>();
        try {
            JSON.readTree(response.body()).path("chunks").forEach(c -> handles.add(c.get("handle").asText()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Change(path, seed, size, started, acknowledged, handles);
    }

    /**
     * What the paths of {@code changes} hold after the first {@code count} of them: a content's seed, or
     * {@link #ABSENT}.
     */
    private static Map<String, Long> stateAfter(List<Change> changes, int count) {
        Map<String, Long> state = new TreeMap<>();
        changes.forEach(c -> state.put(c.path(), ABSENT));
        changes.subList(0, count).forEach(c -> state.put(c.path(), c.isDelete() ? ABSENT : c.seed()));
        return state;
    }

    /** What {@code path} holds now, read through the gateway byte for byte: a logged content's seed, or absent. */
    private long stateOf(List<Change> changes, String path) {
        Http.Download download = http.get(path);
        return download.status() == 404 ? ABSENT : seedOf(changes, path, download);
    }

    /** Which logged content of {@code path} the download is, byte for byte; fails when it is none. */
    private static long seedOf(List<Change> changes, String path, Http.Download download) {
        assertThat(download.status()).as("GET %s", path).isEqualTo(200);
        return changes.stream().filter(c -> c.path().equals(path) && !c.isDelete())
                .filter(c -> c.size() == download.length() && TestBytes.sha256(c.seed(), c.size())
                        .equals(download.sha256()))
                .mapToLong(Change::seed).findFirst()
                .orElseThrow(() -> new AssertionError(path + " reads back as no content ever written to it"));
    }

    /** Waits until {@code condition} holds, failing at once with the writer's failure should it stop. */
    private static void awaitWhileWriting(Future<?> writer, Callable<Boolean> condition) {
        await().atMost(START).until(() -> {
            if (writer.isDone()) {
                writer.get(); // throws what stopped it
            }
            return condition.call();
        });
    }

    private void startMaster(String id, RedisFixture redis) throws IOException {
        master = processes.keep(RoleProcess.start(id, "master", environment(), List.of("--port", Integer.toString(masterPort),
                "--redis", redis.uri(), "--id", id, "--chunk-size", CHUNK_SIZE,
                "--heartbeat-interval", HEARTBEAT.toMillis() + "ms", "--dead-after", "5s", "--gc-grace", GC_GRACE)));
        master.awaitOutput(ACTIVE, START);
    }

    /** Until the gateway reaches an active master that counts enough live chunkservers. */
    private void awaitReady() {
        await("the gateway ready").atMost(START).pollInterval(Duration.ofMillis(200))
                .until(() -> http.getText("/health/ready").statusCode() == 200);
    }

    private Map<String, String> environment() {
        return Map.of("GRANARY_CLUSTER_SECRET", secret, "GRANARY_ADMIN_TOKEN", adminToken);
    }

    private String masterAddress() {
        return "127.0.0.1:" + masterPort;
    }

    private static long millis(long fromNanos, long toNanos) {
        return TimeUnit.NANOSECONDS.toMillis(toNanos - fromNanos);
    }


}
