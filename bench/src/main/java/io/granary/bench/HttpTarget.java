package io.granary.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The gateway through the JDK's {@link HttpClient}: bodies are streamed both ways (an upload is
 * published from a generated stream with its Content-Length, a download is drained through one
 * small buffer), so a 1 GiB file never sits in memory. HTTP/1.1, like curl and most tools.
 */
final class HttpTarget implements Target {
    static final String LABEL = "HTTP";
    static final int DRAIN_BUFFER_BYTES = 256 * 1024;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http;
    private final String baseUrl;
    private final String token;

    /** A target sending {@code token} (null: none) as its bearer token. */
    HttpTarget(String baseUrl, String token) {
        this.baseUrl = baseUrl;
        this.token = token;
        this.http = newClient();
    }

    /** A request to the gateway, with the token. */
    private HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri);
        return token == null ? builder : builder.header("Authorization", "Bearer " + token);
    }

    /** The client every HTTP measurement of the benchmark uses, the baselines' too. */
    static HttpClient newClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT).build();
    }

    @Override
    public String label() {
        return LABEL;
    }

    @Override
    public void ping() throws IOException {
        HttpResponse<String> response = send(request(URI.create(baseUrl + "/api/v1/cluster")).GET()
                .build(), BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("the gateway at " + baseUrl + " answered " + response.statusCode()
                    + " to GET /api/v1/cluster: " + response.body());
        }
    }

    @Override
    public void upload(String path, long size) throws IOException {
        HttpRequest request = request(uri("/api/v1/files", path))
                .header("Content-Type", "application/octet-stream")
                .PUT(BodyPublishers.fromPublisher(BodyPublishers.ofInputStream(() -> new PatternInputStream(size)), size))
                .build();
        expect(send(request, BodyHandlers.ofString()), 201, "PUT", path);
    }

    @Override
    public long download(String path) throws IOException {
        return drain(http, request(uri("/api/v1/files", path)));
    }

    @Override
    public void stat(String path) throws IOException {
        expect(send(request(uri("/api/v1/stat", path)).GET().build(), BodyHandlers.ofString()),
                200, "stat", path);
    }

    @Override
    public void list(String path) throws IOException {
        URI page = URI.create(uri("/api/v1/dirs", path) + "?limit=" + LIST_PAGE);
        expect(send(request(page).GET().build(), BodyHandlers.ofString()), 200, "list", path);
    }

    @Override
    public void delete(String path) throws IOException {
        expect(send(request(uri("/api/v1/files", path)).DELETE().build(), BodyHandlers.ofString()),
                204, "DELETE", path);
    }

    @Override
    public void close() {
        // HttpClient has no close() before JDK 21; its threads end when it is unreachable.
    }

    /** GETs {@code uri} expecting 200 and reads the body to the end through one buffer; returns its length. */
    static long drain(HttpClient http, URI uri) throws IOException {
        return drain(http, HttpRequest.newBuilder(uri));
    }

    /** Like {@link #drain(HttpClient, URI)} for a request with its headers. */
    static long drain(HttpClient http, HttpRequest.Builder request) throws IOException {
        HttpRequest built = request.GET().build();
        URI uri = built.uri();
        HttpResponse<InputStream> response = send(http, built, BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException("GET " + uri + " answered " + response.statusCode() + ": "
                        + new String(body.readNBytes(512), StandardCharsets.UTF_8));
            }
            byte[] buffer = new byte[DRAIN_BUFFER_BYTES];
            long total = 0;
            for (int n; (n = body.read(buffer)) >= 0; ) {
                total += n;
            }
            return total;
        }
    }

    private URI uri(String prefix, String path) {
        return URI.create(baseUrl + prefix + path);
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException {
        return send(http, request, handler);
    }

    private static <T> HttpResponse<T> send(HttpClient http, HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException {
        try {
            return http.send(request, handler);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted during " + request.method() + " " + request.uri(), e);
        } catch (IOException e) {
            throw new IOException(request.method() + " " + request.uri() + " failed: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() + " (is the gateway running?)" : e), e);
        }
    }

    private static void expect(HttpResponse<String> response, int status, String what, String path)
            throws IOException {
        if (response.statusCode() != status) {
            throw new IOException(what + " " + path + " through the gateway answered " + response.statusCode()
                    + " instead of " + status + ": " + response.body());
        }
    }
}
