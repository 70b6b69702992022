package io.granary.gateway.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for requests no HTTP library would send as written (dot segments,
 * bad escapes) and for watching a response that is cut short.
 */
public final class RawHttp {
    private RawHttp() {
    }

    public record Response(int status, Map<String, String> headers, byte[] body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** Sends {@code method target} with {@code extraHeaders} (each ending in CRLF) and reads to the end. */
    public static Response send(int port, String method, String target, String extraHeaders) {
        try (Socket socket = new Socket("localhost", port)) {
            writeHead(socket, method, target, extraHeaders);
            return parse(readUntilClosed(socket.getInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends {@code method target} with {@code extraHeaders} and {@code body} from a socket bound to
     * {@code localAddress} (e.g. 127.0.0.2 on Linux loopback, so the server sees another peer), to
     * {@code host:port}, and reads to the end.
     */
    public static Response sendFrom(String localAddress, String host, int port, String method, String target,
                                    String extraHeaders, byte[] body) {
        try (Socket socket = new Socket()) {
            socket.bind(new java.net.InetSocketAddress(localAddress, 0));
            socket.connect(new java.net.InetSocketAddress(host, port));
            writeHead(socket, method, target, extraHeaders);
            socket.getOutputStream().write(body);
            socket.getOutputStream().flush();
            return parse(readUntilClosed(socket.getInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends the head and then {@code body}, which is shorter than the Content-Length announced in
     * {@code extraHeaders}, and closes the connection without reading: a client that went away.
     */
    public static void sendAndHangUp(int port, String method, String target, String extraHeaders, InputStream body) {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoLinger(true, 0);
            writeHead(socket, method, target, extraHeaders);
            body.transferTo(socket.getOutputStream());
            socket.getOutputStream().flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends the head and {@code body}, shorter than the announced Content-Length, then half-closes
     * the connection (the request ends early) and reads the answer: a truncated upload.
     */
    public static Response sendHalfClosed(int port, String method, String target, String extraHeaders,
                                          InputStream body) {
        try (Socket socket = new Socket("localhost", port)) {
            writeHead(socket, method, target, extraHeaders);
            body.transferTo(socket.getOutputStream());
            socket.getOutputStream().flush();
            socket.shutdownOutput();
            return parse(readUntilClosed(socket.getInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends the head, then {@code body} from another thread, and reads the answer meanwhile: for a
     * server that may answer (and close) before the body is sent whole. A body the server refused to
     * read ends the sending thread quietly.
     */
    public static Response sendWhileStreaming(int port, String method, String target, String extraHeaders,
                                              InputStream body) {
        try (Socket socket = new Socket("localhost", port)) {
            writeHead(socket, method, target, extraHeaders);
            Thread sender = new Thread(() -> {
                try {
                    body.transferTo(socket.getOutputStream());
                    socket.getOutputStream().flush();
                } catch (IOException e) {
                    // the server closed the connection: it has answered already
                }
            }, "raw-http-body");
            sender.setDaemon(true);
            sender.start();
            return parse(readUntilClosed(socket.getInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeHead(Socket socket, String method, String target, String extraHeaders)
            throws IOException {
        String head = method + " " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                + extraHeaders + "\r\n";
        socket.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
    }

    private static byte[] readUntilClosed(InputStream in) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) > 0; ) {
                all.write(buffer, 0, n);
            }
        } catch (IOException e) {
            // A reset connection (an aborted response) ends the body like a close does.
        }
        return all.toByteArray();
    }

    private static Response parse(byte[] raw) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        String[] lines = text.substring(0, end).split("\r\n");
        Map<String, String> headers = new HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        byte[] body = Arrays.copyOfRange(raw, end + 4, raw.length);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = dechunk(body);
        }
        return new Response(Integer.parseInt(lines[0].split(" ")[1]), headers, body);
    }

    private static byte[] dechunk(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < body.length) {
            int lineEnd = indexOfCrLf(body, i);
            int size = Integer.parseInt(new String(body, i, lineEnd - i, StandardCharsets.ISO_8859_1).trim(), 16);
            if (size == 0) {
                break;
            }
            out.write(body, lineEnd + 2, Math.min(size, body.length - lineEnd - 2));
            i = lineEnd + 2 + size + 2;
        }
        return out.toByteArray();
    }

    private static int indexOfCrLf(byte[] bytes, int from) {
        for (int i = from; i + 1 < bytes.length; i++) {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
                return i;
            }
        }
        return bytes.length;
    }
}
