package io.granary.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.Executors;

/**
 * The loopback baselines' server, run as its own JVM by {@link Loopback}: the JDK's plain
 * {@link HttpServer} answering {@code GET /bytes?n=N} with N bytes streamed from one 1 MiB block in
 * memory, and a raw TCP socket that answers the 8-byte length a connection sends with that many bytes
 * from the same block, in 1 MiB writes, then closes. Prints {@code loopback: raw TCP on port Q}, then
 * {@code loopback: listening on port P}, and exits when its standard input closes (that is, when the
 * benchmark that started it goes away).
 */
public final class LoopbackServer {
    static final String READY_PREFIX = "loopback: listening on port ";
    static final String TCP_READY_PREFIX = "loopback: raw TCP on port ";
    /** The raw TCP stream's writes: one block. */
    static final int TCP_WRITE_BYTES = PatternInputStream.BLOCK_BYTES;
    private static final int THREADS = 16;

    private LoopbackServer() {
    }

    public static void main(String[] args) throws IOException {
        ServerSocket tcp = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> acceptTcp(tcp), "loopback-tcp");
        acceptor.setDaemon(true);
        acceptor.start();
        System.out.println(TCP_READY_PREFIX + tcp.getLocalPort());
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

    private static void acceptTcp(ServerSocket tcp) {
        while (true) {
            try {
                Socket connection = tcp.accept();
                Thread writer = new Thread(() -> streamTcp(connection), "loopback-tcp-stream");
                writer.setDaemon(true);
                writer.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void streamTcp(Socket connection) {
        byte[] block = PatternInputStream.block();
        try (connection) {
            connection.setTcpNoDelay(true);
            long size = new DataInputStream(connection.getInputStream()).readLong();
            OutputStream out = connection.getOutputStream();
            for (long left = size; left > 0; ) {
                int n = (int) Math.min(block.length, left);
                out.write(block, 0, n);
                left -= n;
            }
        } catch (IOException e) {
            System.err.println("loopback: raw TCP stream ended early: " + e);
        }
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
