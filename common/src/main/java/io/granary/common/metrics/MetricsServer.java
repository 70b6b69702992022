package io.granary.common.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.granary.common.NamedThreadFactory;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metrics port of a master or a chunkserver: {@code GET /metrics} answers the Prometheus text
 * format that {@code scrape} produces, {@code GET /health/ready} answers 200 while the node says
 * it is ready and 503 otherwise (a probe that costs a container's health check milliseconds), and
 * {@code GET /health/live} 200 while the process serves; any other path is 404, any other method 405. The JDK's HTTP server on a small named pool: scrapes and
 * probes are rare and cheap, so nothing bigger is needed. Thread-safe.
 */
public final class MetricsServer implements AutoCloseable {
    public static final String PATH = "/metrics";
    /** 200 while the node is ready, 503 while it is not; the same path as the gateway's. */
    public static final String READY_PATH = "/health/ready";
    /**
     * 200 while the process serves at all, ready or not (a standby master, a master whose Redis is
     * down): the probe of a node whose readiness is not its health. The same path as the gateway's.
     */
    public static final String LIVE_PATH = "/health/live";
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    /** The value of {@code --metrics-port} that turns the endpoint off. */
    public static final int OFF = -1;
    private static final Logger log = LoggerFactory.getLogger(MetricsServer.class);
    private static final int THREADS = 2;

    private final String nodeId;
    private final HttpServer server;
    private final ExecutorService executor;

    private MetricsServer(String nodeId, HttpServer server, ExecutorService executor) {
        this.nodeId = nodeId;
        this.server = server;
        this.executor = executor;
    }

    /**
     * Serves on {@code port} (0: any free port) of {@code bindAddress} (null: every interface), with
     * {@code ready} answering {@value #READY_PATH}; logs the port. {@code ready} must not block.
     *
     * @throws UncheckedIOException when the port cannot be bound
     */
    public static MetricsServer start(String nodeId, String bindAddress, int port, Supplier<String> scrape,
                                      BooleanSupplier ready) {
        HttpServer server;
        try {
            server = HttpServer.create(bindAddress == null ? new InetSocketAddress(port)
                    : new InetSocketAddress(bindAddress, port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(nodeId + ": cannot serve metrics on port " + port + ": " + e.getMessage(), e);
        }
        ExecutorService executor = Executors.newFixedThreadPool(THREADS, new NamedThreadFactory(nodeId + "-metrics"));
        server.setExecutor(executor);
        server.createContext("/", exchange -> answer(exchange, scrape, ready));
        server.start();
        MetricsServer metrics = new MetricsServer(nodeId, server, executor);
        log.info("{}: metrics on port {} at {}", nodeId, metrics.port(), PATH);
        return metrics;
    }

    private static void answer(HttpExchange exchange, Supplier<String> scrape, BooleanSupplier ready)
            throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!PATH.equals(path) && !READY_PATH.equals(path) && !LIVE_PATH.equals(path)) {
                exchange.sendResponseHeaders(404, -1);
            } else if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                exchange.sendResponseHeaders(405, -1);
            } else if (LIVE_PATH.equals(path)) {
                send(exchange, 200, "text/plain; charset=utf-8", "live\n");
            } else if (READY_PATH.equals(path)) {
                boolean isReady = ready.getAsBoolean();
                send(exchange, isReady ? 200 : 503, "text/plain; charset=utf-8", isReady ? "ready\n" : "not ready\n");
            } else {
                send(exchange, 200, CONTENT_TYPE, scrape.get());
            }
        }
    }

    private static void send(HttpExchange exchange, int status, String contentType, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** The bound port. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Stops serving at once. Idempotent. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        log.info("{}: metrics port closed", nodeId);
    }
}
