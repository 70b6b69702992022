package io.granary.master.store;

import io.granary.common.NamedThreadFactory;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.core.ExecutableProvider;

/**
 * A real {@code redis-server}, the binary shipped inside the embedded-redis jar, run as a child
 * process of this JVM. Used by {@code local} mode and by tests when no other Redis is given, and, as a
 * primary with a replica ({@link #startReplica}), by the benchmark of {@code WAIT}. Data
 * lives in the given directory; with append-only on (fsync on every write), starting again on the
 * same directory reloads it. A JVM shutdown hook stops the child, so none outlives us; it first gives
 * the owner {@link #OWNER_GRACE} to {@link #close()} it in its own order (a master still releasing its
 * lease and committing the last changes, as {@code local} stops on Ctrl-C, needs Redis until then).
 * Thread-safe.
 *
 * <p>Other users of the machine can neither talk to it nor read its files: it demands a password
 * ({@code requirepass}, handed over on its standard input, so it never shows in {@code ps}), its
 * directory is mode 700 and it writes its files with umask 077 (mode 600).
 */
public final class EmbeddedRedisServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedRedisServer.class);
    static final Duration START_TIMEOUT = Duration.ofSeconds(15);
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    /** How long the shutdown hook waits for the owner to stop Redis before it stops it itself. */
    static final Duration OWNER_GRACE = Duration.ofSeconds(10);
    private static final int PORT_ATTEMPTS = 3;
    private static final int OUTPUT_LINES_KEPT = 20;
    private static final String SHELL = "/bin/sh";
    private static File executable;

    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");

    private final Process process;
    private final int port;
    private final String password;
    private final Thread shutdownHook;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Deque<String> lastOutput = new ArrayDeque<>();

    private EmbeddedRedisServer(Process process, int port, String password) {
        this.process = process;
        this.port = port;
        this.password = password;
        this.shutdownHook = new Thread(this::stopUnlessOwnerDoes, "redis-" + port + "-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        new NamedThreadFactory("redis-" + port + "-output").newThread(this::pumpOutput).start();
    }

    /**
     * Starts redis-server and waits until it answers PING.
     *
     * @param dir        where Redis keeps its files; created if missing, made mode 700 (and the files
     *                   already in it 600)
     * @param port       TCP port on 127.0.0.1; 0 picks a free one
     * @param appendOnly whether to keep an append-only file (fsynced on every write)
     * @param password   what clients must AUTH with; letters and digits only (it is written into the
     *                   server's configuration and into {@link #uri()})
     * @throws IllegalStateException when it does not start, with its last output lines
     * @throws IllegalArgumentException when the password is empty or has other characters
     */
    public static EmbeddedRedisServer start(Path dir, int port, boolean appendOnly, String password) {
        return start(dir, port, appendOnly, password, null);
    }

    /**
     * Starts a redis-server that replicates {@code primary} ({@code replicaof}, with the primary's
     * password both to authenticate to it and to demand of its own clients), and waits until it
     * answers PING and has finished its first synchronisation, so that a {@code WAIT 1} sent to the
     * primary from then on is answered by it. Its files are kept as {@link #start}'s are.
     *
     * @param dir        where the replica keeps its files; another directory than the primary's
     * @param appendOnly whether the replica keeps an append-only file (fsynced on every write)
     * @param primary    the running server to replicate, on this machine
     * @throws IllegalStateException when it does not start or does not catch up within {@link #START_TIMEOUT}
     */
    public static EmbeddedRedisServer startReplica(Path dir, boolean appendOnly, EmbeddedRedisServer primary) {
        return start(dir, 0, appendOnly, primary.password, primary);
    }

    private static EmbeddedRedisServer start(Path dir, int port, boolean appendOnly, String password,
                                             EmbeddedRedisServer primary) {
        if (password == null || !password.matches("[A-Za-z0-9_-]{16,}")) {
            throw new IllegalArgumentException("the Redis password must be at least 16 letters, digits, '-' or '_'");
        }
        ownerOnly(dir);
        String config = "requirepass " + password + "\n"
                + (primary == null ? "" : "masterauth " + password + "\nreplicaof 127.0.0.1 " + primary.port + "\n");
        for (int attempt = 1; ; attempt++) {
            int chosen = port != 0 ? port : freePort();
            EmbeddedRedisServer server = launch(dir, chosen, appendOnly, password, config);
            try {
                server.awaitPing();
                if (primary != null) {
                    server.awaitReplicaInSync();
                }
                log.info("redis:{}: started in {} (append-only {}, password required{})", chosen, dir,
                        appendOnly ? "on" : "off", primary == null ? "" : ", replica of redis:" + primary.port);
                return server;
            } catch (IllegalStateException e) {
                server.kill();
                // a free port picked by us may be taken before Redis binds it: try another
                if (port != 0 || attempt == PORT_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /** Creates {@code dir} mode 700, or makes it so, with the files already in it mode 600. */
    private static void ownerOnly(Path dir) {
        try {
            Files.createDirectories(dir);
            if (!Files.getFileStore(dir).supportsFileAttributeView("posix")) {
                return;
            }
            Files.setPosixFilePermissions(dir, OWNER_ONLY_DIR);
            // files already there, written by a Redis run without umask 077, are tightened too
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    Files.setPosixFilePermissions(file, Files.isDirectory(file) ? OWNER_ONLY_DIR : OWNER_ONLY_FILE);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the Redis directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /** @param config the lines of configuration that hold secrets (the password), given on standard input */
    private static EmbeddedRedisServer launch(Path dir, int port, boolean appendOnly, String password, String config) {
        // "-" first: the rest of the configuration comes on standard input
        List<String> command = new ArrayList<>(List.of(binary().getAbsolutePath(), "-",
                "--port", Integer.toString(port), "--bind", "127.0.0.1", "--dir", dir.toAbsolutePath().toString(),
                "--appendonly", appendOnly ? "yes" : "no", "--save", "", "--protected-mode", "yes"));
        if (appendOnly) {
            // a committed file must survive a crash of Redis too, not only a clean restart
            command.addAll(List.of("--appendfsync", "always"));
        }
        try {
            Process process = new ProcessBuilder(withOwnerOnlyUmask(command)).redirectErrorStream(true).start();
            try (OutputStream in = process.getOutputStream()) {
                in.write(config.getBytes(StandardCharsets.US_ASCII));
            }
            return new EmbeddedRedisServer(process, port, password);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start redis-server: " + e.getMessage(), e);
        }
    }

    /** Runs {@code command} through {@code sh} with umask 077 where there is one, so Redis's files are 600. */
    private static List<String> withOwnerOnlyUmask(List<String> command) {
        if (!Files.isExecutable(Path.of(SHELL))) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of(SHELL, "-c", "umask 077 && exec \"$0\" \"$@\""));
        wrapped.addAll(command);
        return wrapped;
    }

    private static synchronized File binary() {
        if (executable == null) {
            try {
                File file = ExecutableProvider.newJarResourceProvider().get();
                if (!file.canExecute() && !file.setExecutable(true)) {
                    throw new IllegalStateException("cannot make " + file + " executable");
                }
                executable = file;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot extract redis-server from the embedded-redis jar", e);
            }
        }
        return executable;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port for Redis", e);
        }
    }

    private void awaitPing() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server on port " + port + " exited with code "
                        + process.exitValue() + "; last output: " + lastOutput());
            }
            if (RedisPing.ping(port, password)) {
                return;
            }
            pause();
        }
        throw new IllegalStateException("redis-server on port " + port + " did not answer PING within "
                + START_TIMEOUT.toSeconds() + " s; last output: " + lastOutput());
    }

    private void awaitReplicaInSync() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server replica on port " + port + " exited with code "
                        + process.exitValue() + "; last output: " + lastOutput());
            }
            if (RedisPing.replicaInSync(port, password)) {
                return;
            }
            pause();
        }
        throw new IllegalStateException("redis-server replica on port " + port + " did not finish its first "
                + "synchronisation within " + START_TIMEOUT.toSeconds() + " s; last output: " + lastOutput());
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for redis-server", e);
        }
    }

    private void pumpOutput() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                log.debug("redis:{}: {}", port, line);
                synchronized (lastOutput) {
                    lastOutput.addLast(line);
                    if (lastOutput.size() > OUTPUT_LINES_KEPT) {
                        lastOutput.removeFirst();
                    }
                }
            }
        } catch (IOException e) {
            log.debug("redis:{}: output closed: {}", port, e.getMessage());
        }
    }

    private String lastOutput() {
        synchronized (lastOutput) {
            return String.join(" | ", lastOutput);
        }
    }

    public int port() {
        return port;
    }

    /** {@code redis://:PASSWORD@127.0.0.1:PORT}: log it only through {@link RedisUris#masked}. */
    public String uri() {
        return RedisUris.loopback(port, password);
    }

    /** Stops Redis cleanly (SHUTDOWN flushes the append-only file) and waits. Idempotent. */
    @Override
    public void close() {
        if (process.isAlive()) {
            RedisPing.shutdown(port, password);
            awaitExit(false);
        }
        removeHook();
    }

    /** Kills Redis at once (SIGKILL), as a crash would, and waits. Idempotent. */
    public void kill() {
        awaitExit(true);
        removeHook();
    }

    private void awaitExit(boolean force) {
        try {
            if (force) {
                process.destroyForcibly();
            }
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        log.info("redis:{}: stopped", port);
    }

    /** The shutdown hook: the owner's shutdown hook may be stopping Redis in order, in parallel with this one. */
    private void stopUnlessOwnerDoes() {
        try {
            if (stopped.await(OWNER_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroy();
    }

    private void removeHook() {
        stopped.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook runs anyway
        }
    }
}
