package io.granary.master.testing;

import static org.awaitility.Awaitility.await;

import io.granary.master.store.EmbeddedRedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import redis.embedded.core.ExecutableProvider;

/**
 * A Redis primary with one replica, watched by three Sentinels with a quorum of two: the topology
 * that {@code redis-sentinel://} URIs follow through a failover, all real {@code redis-server}
 * processes (the embedded-redis binary, Sentinels run with {@code --sentinel}). The primary and the
 * replica demand a password; the Sentinels, bound to loopback, do not. {@link #killPrimary()} and
 * {@link #restartFormerPrimary()} drive a failover as a crash would.
 */
public final class SentinelFixture implements AutoCloseable {
    public static final String PRIMARY_NAME = "granary";
    /** How long a Sentinel waits before it judges the primary down. */
    public static final Duration DOWN_AFTER = Duration.ofSeconds(1);

    private final Path dir;
    private final String password = "test" + UUID.randomUUID().toString().replace("-", "");
    private final int[] dataPorts = {freePort(), freePort()};
    private final List<Integer> sentinelPorts = List.of(freePort(), freePort(), freePort());
    private final Process[] dataNodes = new Process[2];
    private final List<Process> sentinels = new ArrayList<>();
    /** Which of {@link #dataPorts} was the primary at the start. */
    private final int firstPrimary = 0;

    private SentinelFixture(Path dir) {
        this.dir = dir;
    }

    /** Starts the primary, its replica and the three Sentinels; returns once the replica is in sync. */
    public static SentinelFixture start(Path dir) {
        SentinelFixture fixture = new SentinelFixture(dir);
        try {
            fixture.startDataNode(0, false);
            fixture.startDataNode(1, true);
            fixture.awaitReplicaInSync();
            for (int port : fixture.sentinelPorts) {
                fixture.startSentinel(port);
            }
            fixture.awaitSentinelsSeeTheReplica();
            return fixture;
        } catch (RuntimeException | Error e) {
            fixture.close();
            throw e;
        }
    }

    /** The URI a master is given: the Sentinels, and the primary's name after {@code #}. */
    public String sentinelUri() {
        return "redis-sentinel://:" + password + "@" + sentinelPorts.stream().map(p -> "127.0.0.1:" + p)
                .collect(Collectors.joining(",")) + "#" + PRIMARY_NAME;
    }

    /** A plain URI of the data node that was the primary at the start. */
    public String formerPrimaryUri() {
        return "redis://:" + password + "@127.0.0.1:" + dataPorts[firstPrimary];
    }

    /** {@code kill -9} of the primary: Sentinels promote the replica about {@link #DOWN_AFTER} later. */
    public void killPrimary() {
        dataNodes[firstPrimary].destroyForcibly();
        waitFor(dataNodes[firstPrimary]);
    }

    /** The port of the data node Sentinels name as primary now. */
    public int primaryPort() {
        RedisClient client = RedisClient.create(RedisURI.create("redis://127.0.0.1:" + sentinelPorts.get(0)));
        try (StatefulRedisSentinelConnection<String, String> sentinel = client.connectSentinel()) {
            return ((InetSocketAddress) sentinel.sync().getMasterAddrByName(PRIMARY_NAME)).getPort();
        } finally {
            client.shutdown();
        }
    }

    /** Stops the replica as SIGSTOP does: it holds its connections but answers nothing. */
    public void pauseReplica() {
        signal(dataNodes[1 - firstPrimary], "STOP");
    }

    /** Lets a paused replica go on (SIGCONT). */
    public void resumeReplica() {
        signal(dataNodes[1 - firstPrimary], "CONT");
    }

    private static void signal(Process process, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Starts the killed primary again on its data and port; Sentinels turn it into a replica of the new one. */
    public void restartFormerPrimary() {
        startDataNode(firstPrimary, true);
    }

    private void startDataNode(int index, boolean replica) {
        Path data = dir.resolve("redis-" + index);
        List<String> command = new ArrayList<>(List.of(binary(), "-", "--port", Integer.toString(dataPorts[index]),
                "--bind", "127.0.0.1", "--dir", directory(data), "--appendonly", "yes", "--save", ""));
        if (replica) {
            command.addAll(List.of("--replicaof", "127.0.0.1", Integer.toString(dataPorts[1 - index])));
        }
        dataNodes[index] = launch(command, "requirepass " + password + "\nmasterauth " + password + "\n");
        awaitPing("redis://:" + password + "@127.0.0.1:" + dataPorts[index]);
    }

    private void startSentinel(int port) {
        Path home = dir.resolve("sentinel-" + port);
        Path config = home.resolve("sentinel.conf");
        try {
            Files.writeString(config, String.join("\n",
                    "port " + port,
                    "bind 127.0.0.1",
                    "dir " + directory(home),
                    "sentinel monitor " + PRIMARY_NAME + " 127.0.0.1 " + dataPorts[firstPrimary] + " 2",
                    "sentinel auth-pass " + PRIMARY_NAME + " " + password,
                    "sentinel down-after-milliseconds " + PRIMARY_NAME + " " + DOWN_AFTER.toMillis(),
                    "sentinel failover-timeout " + PRIMARY_NAME + " 5000",
                    "sentinel parallel-syncs " + PRIMARY_NAME + " 1", ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        sentinels.add(launch(List.of(binary(), config.toString(), "--sentinel"), ""));
        awaitPing("redis://127.0.0.1:" + port);
    }

    private void awaitReplicaInSync() {
        await("the replica in sync").atMost(Duration.ofSeconds(30)).until(() -> {
            RedisClient client = RedisClient.create("redis://:" + password + "@127.0.0.1:" + dataPorts[1]);
            try (StatefulRedisConnection<String, String> connection = client.connect()) {
                return connection.sync().info("replication").contains("master_link_status:up");
            } finally {
                client.shutdown();
            }
        });
    }

    private void awaitSentinelsSeeTheReplica() {
        for (int port : sentinelPorts) {
            await("sentinel " + port + " to know the replica").atMost(Duration.ofSeconds(30)).until(() -> {
                RedisClient client = RedisClient.create(RedisURI.create("redis://127.0.0.1:" + port));
                try (StatefulRedisSentinelConnection<String, String> sentinel = client.connectSentinel()) {
                    return !sentinel.sync().replicas(PRIMARY_NAME).isEmpty();
                } finally {
                    client.shutdown();
                }
            });
        }
    }

    private static void awaitPing(String uri) {
        await("redis at " + uri.replaceAll("//[^@]*@", "//")).atMost(Duration.ofSeconds(15))
                .ignoreExceptions().until(() -> {
                    RedisClient client = RedisClient.create(uri);
                    try (StatefulRedisConnection<String, String> connection = client.connect()) {
                        return "PONG".equals(connection.sync().ping());
                    } finally {
                        client.shutdown();
                    }
                });
    }

    private static Process launch(List<String> command, String standardInput) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try (OutputStream in = process.getOutputStream()) {
                in.write(standardInput.getBytes(StandardCharsets.US_ASCII));
            }
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command.get(0), e);
        }
    }

    private static String directory(Path path) {
        try {
            return Files.createDirectories(path).toAbsolutePath().toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String binary() {
        try {
            File file = ExecutableProvider.newJarResourceProvider().get();
            if (!file.canExecute() && !file.setExecutable(true)) {
                throw new IllegalStateException("cannot make " + file + " executable");
            }
            return file.getAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract redis-server from the embedded-redis jar", e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void waitFor(Process process) {
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        for (Process process : dataNodes) {
            if (process != null && process.isAlive()) {
                signal(process, "CONT");
            }
        }
        for (Process process : sentinels) {
            process.destroyForcibly();
        }
        for (Process process : dataNodes) {
            if (process != null) {
                process.destroyForcibly();
            }
        }
    }
}
