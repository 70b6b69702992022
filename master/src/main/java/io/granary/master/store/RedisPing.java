package io.granary.master.store;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A few inline commands (after AUTH) over a plain socket, for managing the embedded redis-server without pulling a
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

    /**
     * True when the replica on 127.0.0.1:port accepts {@code password} and its link to its primary is
     * up ({@code master_link_status:up} in {@code INFO replication}): its first synchronisation is done.
     */
    static boolean replicaInSync(int port, String password) {
        try (Socket socket = open(port)) {
            send(socket, "AUTH " + password + "\r\nINFO replication");
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            String auth = in.readLine();
            String length = in.readLine();
            if (!"+OK".equals(auth) || length == null || !length.startsWith("$")) {
                return false;
            }
            // the reply is one bulk string of "field:value" lines
            int left = Integer.parseInt(length.substring(1));
            for (String line = in.readLine(); line != null && left > 0; line = in.readLine()) {
                if (line.startsWith("master_link_status:")) {
                    return line.equals("master_link_status:up");
                }
                left -= line.length() + 2;
            }
            return false;
        } catch (IOException | NumberFormatException e) {
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
