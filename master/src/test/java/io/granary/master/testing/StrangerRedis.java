package io.granary.master.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * What a stranger on the machine gets from a Redis port: one inline command sent over a plain socket,
 * without a password, and the first line of the answer. A client library's connection handshake would
 * sit between the test and the server's refusal; this sends the bytes {@code redis-cli} or netcat would.
 */
public final class StrangerRedis {
    private static final int DEADLINE_MS = 10_000;
    private static final int MAX_LINE = 4096;

    private StrangerRedis() {
    }

    /** The first line Redis answers to {@code command} (for example {@code -NOAUTH Authentication required.}). */
    public static String firstLineOfAnswer(int port, String command) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), DEADLINE_MS);
            socket.setSoTimeout(DEADLINE_MS);
            OutputStream out = socket.getOutputStream();
            out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int b = in.read(); b != -1 && b != '\n' && line.length() < MAX_LINE; b = in.read()) {
                if (b != '\r') {
                    line.append((char) b);
                }
            }
            return line.toString();
        } catch (IOException e) {
            throw new UncheckedIOException("no answer from Redis on port " + port, e);
        }
    }
}
