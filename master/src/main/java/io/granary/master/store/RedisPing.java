package io.granary.master.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Two inline commands (after AUTH) over a plain socket, for managing the embedded redis-server without pulling a
 * client connection into its start-up and shutdown.
 */
final class RedisPing {
    private static final int TIMEOUT_MS = 500;

    private RedisPing() {
    }

    /** True when Redis on 127.0.0.1:port accepts {@code password} and answers PONG (not while it is loading). */
    static boolean ping(int port, String password) {
        try (Socket socket = open(port)) {
            send(socket, "AUTH " + password + "\r\nPING");
            String expected = "+OK\r\n+PONG\r\n";
            byte[] answer = new byte[expected.length()];
            int read = socket.getInputStream().readNBytes(answer, 0, answer.length);
            return new String(answer, 0, read, StandardCharsets.US_ASCII).equals(expected);
        } catch (IOException e) {
            return false;
        }
    }

    /** Asks Redis to shut down (flushing its append-only file); Redis closes the socket without answering. */
    static void shutdown(int port, String password) {
        try (Socket socket = open(port)) {
            send(socket, "AUTH " + password + "\r\nSHUTDOWN");
            InputStream in = socket.getInputStream();
            while (in.read() >= 0) {
                // drain until Redis closes the connection on its way out
            }
        } catch (IOException e) {
            // already gone, or closed the socket abruptly while exiting: the caller waits for the process
        }
    }

    private static Socket open(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), TIMEOUT_MS);
        socket.setSoTimeout(TIMEOUT_MS);
        return socket;
    }

    private static void send(Socket socket, String command) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }
}
