package io.granary.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.granary.client.ClientOptions;
import io.granary.client.GranaryClient;
import io.granary.client.UploadOptions;
import io.granary.common.AccessTokens;
import io.granary.common.GranaryException;
import io.granary.common.NotActiveException;
import io.granary.common.grpc.ClusterSecret;
import io.granary.master.testing.RedisFixture;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two masters on one real {@code redis-server}, three chunkservers and a gateway, each in a JVM of its
 * own, so that the active master can be killed with {@code kill -9} or paused with SIGSTOP as the
 * operating system would (docs/operations.md, "Several masters, one active").
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class HighAvailabilityIT {
    private static final Duration LEASE = Duration.ofSeconds(2);
    private static final Duration HEARTBEAT = Duration.ofMillis(500);
    private static final Duration START = Duration.ofSeconds(90);
    private static final Pattern ACTIVE = Pattern.compile("as the active master|took the master lease");
    private static final Pattern STANDBY = Pattern.compile("as a standby");
    private static final Pattern STEPPED_DOWN = Pattern.compile("stepping down from epoch");
    private static final int CHUNKSERVERS = 3;
    private static final long BEFORE_SIZE = 300_000;
    private static final long DURING_SIZE = 100_000;

    @TempDir
    Path dir;

    private final String secret = ClusterSecret.generate().value();
    private final String adminToken = AccessTokens.newToken();
    private final Processes processes = new Processes();
    private RedisFixture redis;
    private final List<Integer> masterPorts = new ArrayList<>();
    private final List<RoleProcess> masters = new ArrayList<>();
    private Http http;

    @BeforeEach
    void startCluster() throws IOException {
        redis = processes.keep(RedisFixture.start(Files.createDirectories(dir.resolve("redis"))));
        masterPorts.addAll(List.of(Processes.freePort(), Processes.freePort()));
        masters.add(master("m1", masterPorts.get(0)));
        masters.get(0).awaitOutput(ACTIVE, START);
        masters.add(master("m2", masterPorts.get(1)));
        masters.get(1).awaitOutput(STANDBY, START);
        for (int i = 0; i < CHUNKSERVERS; i++) {
            processes.keep(RoleProcess.start("cs" + i, "chunkserver", environment(), List.of("--master", masterList(),
                    "--port", "0", "--id", "cs" + i, "--data", dir.resolve("cs" + i).toString())));
        }
        int gatewayPort = Processes.freePort();
        RoleProcess gateway = processes.keep(RoleProcess.start("gateway", "gateway", environment(), List.of("--master", masterList(),
                "--port", Integer.toString(gatewayPort), "--s3-port", "-1")));
        gateway.awaitOutput(Pattern.compile("listening on port"), START);
        http = new Http("http://127.0.0.1:" + gatewayPort, adminToken, Duration.ofSeconds(30));
        await("the gateway ready").atMost(START).pollInterval(Duration.ofMillis(200))
                .until(() -> http.getText("/health/ready").statusCode() == 200);
    }

    @AfterEach
    void stopCluster() throws Exception {
        processes.close();
    }

    @Test
    void killingTheActiveMasterUnderLoadLosesNoAcknowledgedFileAndTheStandbyServesWithinTheLease()
            throws Exception {
        Map<String, Long> acknowledged = new ConcurrentHashMap<>(); // path -> seed of its content
        for (int i = 0; i < 5; i++) {
            assertThat(http.put("before/" + i, i, BEFORE_SIZE).statusCode()).isEqualTo(201);
            acknowledged.put("before/" + i, (long) i);
        }
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong killedAt = new AtomicLong();
        AtomicLong firstUploadAfterKill = new AtomicLong();
        List<String> wrongReads = new CopyOnWriteArrayList<>();
        List<Integer> failedStatuses = new CopyOnWriteArrayList<>();
        ExecutorService load = Executors.newFixedThreadPool(2);
        try {
            Future<?> writer = load.submit(() -> {
                for (int i = 0; running.get(); i++) {
                    String path = "during/" + i;
                    long started = System.nanoTime();
                    long seed = 1_000 + i;
                    int status = statusOf(() -> http.put(path, seed, DURING_SIZE));
                    if (status == 201) {
                        acknowledged.put(path, seed);
                        if (killedAt.get() != 0 && started > killedAt.get()) {
                            firstUploadAfterKill.compareAndSet(0, System.nanoTime());
                        }
                    } else {
                        failedStatuses.add(status);
                        pause(100);
                    }
                }
            });
            Future<?> reader = load.submit(() -> {
                for (int i = 0; running.get(); i++) {
                    String path = "before/" + (i % 5);
                    try {
                        Http.Download download = http.get(path);
                        if (download.status() == 200 && !download.sha256().equals(TestBytes.sha256(i % 5, BEFORE_SIZE))) {
                            wrongReads.add(path);
                        }
                    } catch (RuntimeException e) {
                        pause(100); // the gateway may answer nothing for a moment: an error, never wrong bytes
                    }
                }
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.size() >= 10);

            killedAt.set(System.nanoTime());
            masters.get(0).killNow();
            masters.get(1).awaitOutput(Pattern.compile("took the master lease"), Duration.ofSeconds(30));
            await("an upload accepted by the new active master").atMost(Duration.ofSeconds(60))
                    .until(() -> firstUploadAfterKill.get() != 0);
            long failoverMs = TimeUnit.NANOSECONDS.toMillis(firstUploadAfterKill.get() - killedAt.get());
            System.out.printf("failover: the first upload started after kill -9 of the active master was "
                    + "acknowledged %d ms after the kill (lease %s, heartbeat %s); %d uploads failed meanwhile "
                    + "with %s%n", failoverMs, LEASE, HEARTBEAT, failedStatuses.size(), failedStatuses);
            int countAfterFailover = acknowledged.size();
            await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.size() >= countAfterFailover + 5);
            running.set(false);
            writer.get(60, TimeUnit.SECONDS);
            reader.get(60, TimeUnit.SECONDS);
        } finally {
            running.set(false);
            load.shutdownNow();
        }

        assertThat(wrongReads).as("a download either fails or is byte-exact").isEmpty();
        assertThat(failedStatuses).as("an upload cut by the failover fails cleanly").allMatch(s -> s == 503);
        acknowledged.forEach((path, seed) -> {
            long size = path.startsWith("before/") ? BEFORE_SIZE : DURING_SIZE;
            Http.Download download = http.get(path);
            assertThat(download.status()).as(path).isEqualTo(200);
            assertThat(download.sha256()).as(path).isEqualTo(TestBytes.sha256(seed, size));
        });
        // no chunk leaked: once abandoned uploads expired and their chunks were collected, the disks hold
        // exactly the replicas of the files (one chunk each, three replicas)
        await("uncommitted chunks collected").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(chunkFilesOnDisk()).isEqualTo(3L * acknowledged.size()));
    }

    @Test
    void aPausedActiveMasterThatLostItsLeaseCommitsNothingWhenItResumesAndBecomesAStandby() throws Exception {
        RoleProcess first = masters.get(0);
        String firstAddress = "127.0.0.1:" + masterPorts.get(0);
        String secondAddress = "127.0.0.1:" + masterPorts.get(1);
        CountDownLatch resumed = new CountDownLatch(1);
        CountDownLatch halfSent = new CountDownLatch(1);
        ClientOptions options = ClientOptions.defaults().withName("paused-test").withClusterSecret(secret)
                .withFailoverPatience(Duration.ofSeconds(2));
        // a client that knows only the first master, as one configured before the second existed
        try (GranaryClient client = GranaryClient.connect(firstAddress, options)) {
            ExecutorService upload = Executors.newSingleThreadExecutor();
            Future<?> outcome = upload.submit(() -> client.upload("paused/file",
                    new HeldStream(200_000, 100_000, halfSent, resumed), UploadOptions.defaults()));
            try {
                assertThat(halfSent.await(30, TimeUnit.SECONDS)).isTrue();

                first.signal("STOP");
                masters.get(1).awaitOutput(Pattern.compile("took the master lease"), Duration.ofSeconds(30));
                first.signal("CONT");
                resumed.countDown();

                assertThatThrownBy(() -> outcome.get(60, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(GranaryException.class);
            } finally {
                resumed.countDown();
                upload.shutdownNow();
            }
            first.awaitOutput(STEPPED_DOWN, Duration.ofSeconds(30));
            assertThat(http.get("paused/file").status()).as("the paused master committed nothing").isEqualTo(404);
            assertThat(health(masterPorts.get(0))).isEqualTo(ServingStatus.NOT_SERVING);
            assertThat(health(masterPorts.get(1))).isEqualTo(ServingStatus.SERVING);
            assertThatThrownBy(() -> client.stat("before")).isInstanceOfSatisfying(NotActiveException.class,
                    e -> assertThat(e.activeMaster()).contains(secondAddress));
        }
        assertThat(http.put("after/resume", 7, 50_000).statusCode()).as("the cluster goes on under the new master")
                .isEqualTo(201);
    }

    /** Gives {@code size} bytes, holding back after the first {@code holdAfter} until {@code release}. */
    private static final class HeldStream extends InputStream {
        private final long size;
        private final long holdAfter;
        private final CountDownLatch held;
        private final CountDownLatch release;
        private long sent;

        HeldStream(long size, long holdAfter, CountDownLatch held, CountDownLatch release) {
            this.size = size;
            this.holdAfter = holdAfter;
            this.held = held;
            this.release = release;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (sent == holdAfter) {
                held.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            }
            if (sent >= size) {
                return -1;
            }
            int n = (int) Math.min(len, (sent < holdAfter ? holdAfter : size) - sent);
            for (int i = 0; i < n; i++) {
                b[off + i] = (byte) (sent + i);
            }
            sent += n;
            return n;
        }
    }

    private RoleProcess master(String id, int port) throws IOException {
        return processes.keep(RoleProcess.start(id, "master", environment(), List.of("--port", Integer.toString(port),
                "--redis", redis.uri(), "--id", id, "--advertise", "127.0.0.1:" + port,
                "--lease-ttl", LEASE.toMillis() + "ms", "--heartbeat-interval", HEARTBEAT.toMillis() + "ms",
                "--dead-after", "5s", "--gc-grace", "2s", "--upload-timeout", "10s")));
    }

    private Map<String, String> environment() {
        return Map.of("GRANARY_CLUSTER_SECRET", secret, "GRANARY_ADMIN_TOKEN", adminToken);
    }

    private String masterList() {
        return "127.0.0.1:" + masterPorts.get(0) + ",127.0.0.1:" + masterPorts.get(1);
    }

    private long chunkFilesOnDisk() throws IOException {
        long count = 0;
        for (int i = 0; i < CHUNKSERVERS; i++) {
            try (Stream<Path> files = Files.walk(dir.resolve("cs" + i))) {
                count += files.filter(f -> f.getFileName().toString().endsWith(".chunk")).count();
            }
        }
        return count;
    }

    private ServingStatus health(int port) {
        ManagedChannel channel = Grpc.newChannelBuilderForAddress("127.0.0.1", port,
                InsecureChannelCredentials.create()).build();
        try {
            return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.getDefaultInstance()).getStatus();
        } finally {
            channel.shutdownNow();
        }
    }

    private static int statusOf(java.util.function.Supplier<HttpResponse<String>> request) {
        try {
            return request.get().statusCode();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }


}
