package io.granary.bench;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The loopback baselines, both served from memory by a {@link LoopbackServer} in another JVM: an HTTP
 * GET through the same {@link HttpClient} as the gateway figures, and a raw TCP stream read in 1 MiB
 * reads, the most one JVM can take from another over loopback. Thread-safe.
 */
final class Loopback implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    /** What the raw TCP reader reads at once, as the server writes. */
    private static final int TCP_READ_BYTES = LoopbackServer.TCP_WRITE_BYTES;

    private final ChildJvm server;
    private final HttpClient http = HttpTarget.newClient();
    private final String baseUrl;
    private final int tcpPort;

    private Loopback(ChildJvm server, int port, int tcpPort) {
        this.server = server;
        this.baseUrl = "http://127.0.0.1:" + port;
        this.tcpPort = tcpPort;
    }

    /** Starts the server JVM and waits until it listens; its output goes to {@code logFile}. */
    static Loopback start(Path logFile) throws Exception {
        ChildJvm child = ChildJvm.start("loopback server", List.of("-Xmx256m", "-Dsun.net.httpserver.nodelay=true"), Map.of(),
                LoopbackServer.class.getName(), List.of(), logFile);
        try {
            int tcpPort = port(child.awaitLine(l -> l.startsWith(LoopbackServer.TCP_READY_PREFIX), START_TIMEOUT),
                    LoopbackServer.TCP_READY_PREFIX);
            int httpPort = port(child.awaitLine(l -> l.startsWith(LoopbackServer.READY_PREFIX), START_TIMEOUT),
                    LoopbackServer.READY_PREFIX);
            return new Loopback(child, httpPort, tcpPort);
        } catch (RuntimeException | InterruptedException e) {
            child.close();
            throw e;
        }
    }

    private static int port(String line, String prefix) {
        return Integer.parseInt(line.substring(prefix.length()).trim());
    }

    /** GETs {@code size} bytes once and returns MiB/s. */
    double getMiBps(long size) throws Exception {
        return Load.mibPerSecond(size, () -> get(size));
    }

    /** GETs of {@code size} bytes per second, {@code ops} of them at {@code concurrency}. */
    double getsPerSecond(long size, int concurrency, int ops) throws Exception {
        return Load.opsPerSecond(concurrency, ops, i -> get(size));
    }

    /** Reads {@code size} bytes once over a raw TCP connection and returns MiB/s. */
    double tcpMiBps(long size) throws Exception {
        return Load.mibPerSecond(size, () -> readTcp(size));
    }

    private void get(long size) throws Exception {
        long got = HttpTarget.drain(http, URI.create(baseUrl + "/bytes?n=" + size));
        if (got != size) {
            throw new IllegalStateException("loopback server sent " + got + " bytes instead of " + size);
        }
    }

    private void readTcp(long size) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), tcpPort)) {
            socket.setTcpNoDelay(true);
            new DataOutputStream(socket.getOutputStream()).writeLong(size);
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[TCP_READ_BYTES];
            long got = 0;
            for (int n; (n = in.read(buffer)) >= 0; ) {
                got += n;
            }
            if (got != size) {
                throw new IllegalStateException("loopback server sent " + got + " bytes over TCP instead of " + size);
            }
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
