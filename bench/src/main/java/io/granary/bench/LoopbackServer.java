package io.granary.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;

/**
 * The loopback HTTP baseline's server, run as its own JVM by {@link LoopbackHttp}: the JDK's plain
 * {@link HttpServer} answering {@code GET /bytes?n=N} with N bytes streamed from one 1 MiB block in
 * memory. Prints {@code loopback: listening on port P}, and exits when its standard input closes
 * (that is, when the benchmark that started it goes away).
 */
public final class LoopbackServer {
    static final String READY_PREFIX = "loopback: listening on port ";
    private static final int THREADS = 16;

    private LoopbackServer() {
    }

    public static void main(String[] args) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(Executors.newFixedThreadPool(THREADS));
        server.createContext("/bytes", LoopbackServer::serve);
        server.start();
        System.out.println(READY_PREFIX + server.getAddress().getPort());
        System.out.flush();
        while (System.in.read() >= 0) {
            // wait for the parent to close our stdin
        }
        server.stop(0);
        System.exit(0);
    }

    private static void serve(HttpExchange exchange) throws IOException {
        long size = Long.parseLong(exchange.getRequestURI().getQuery().substring("n=".length()));
        byte[] block = PatternInputStream.block();
        exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
        exchange.sendResponseHeaders(200, size);
        try (OutputStream out = exchange.getResponseBody()) {
            for (long left = size; left > 0; ) {
                int n = (int) Math.min(block.length, left);
                out.write(block, 0, n);
                left -= n;
            }
        }
    }
}
