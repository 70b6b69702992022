package io.granary.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The plain loopback HTTP baseline: the same {@link HttpClient} as the gateway figures, reading
 * from a {@link LoopbackServer} in another JVM, which serves the bytes from memory. Thread-safe.
 */
final class LoopbackHttp implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final ChildJvm server;
    private final HttpClient http = HttpTarget.newClient();
    private final String baseUrl;

    private LoopbackHttp(ChildJvm server, int port) {
        this.server = server;
        this.baseUrl = "http://127.0.0.1:" + port;
    }

    /** Starts the server JVM and waits until it listens; its output goes to {@code logFile}. */
    static LoopbackHttp start(Path logFile) throws Exception {
        ChildJvm child = ChildJvm.start("loopback HTTP server", List.of("-Xmx256m", "-Dsun.net.httpserver.nodelay=true"), Map.of(),
                LoopbackServer.class.getName(), List.of(), logFile);
        try {
            String line = child.awaitLine(l -> l.startsWith(LoopbackServer.READY_PREFIX), START_TIMEOUT);
            return new LoopbackHttp(child, Integer.parseInt(line.substring(LoopbackServer.READY_PREFIX.length()).trim()));
        } catch (RuntimeException | InterruptedException e) {
            child.close();
            throw e;
        }
    }

    /** GETs {@code size} bytes once and returns MiB/s. */
    double getMiBps(long size) throws Exception {
        return Load.mibPerSecond(size, () -> get(size));
    }

    /** GETs of {@code size} bytes per second, {@code ops} of them at {@code concurrency}. */
    double getsPerSecond(long size, int concurrency, int ops) throws Exception {
        return Load.opsPerSecond(concurrency, ops, i -> get(size));
    }

    private void get(long size) throws Exception {
        long got = HttpTarget.drain(http, URI.create(baseUrl + "/bytes?n=" + size));
        if (got != size) {
            throw new IllegalStateException("loopback server sent " + got + " bytes instead of " + size);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
