package io.granary.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The JDK's HTTP client against a gateway, streaming both ways: uploads come from {@link TestBytes},
 * downloads go into a hash. A timeout bounds every request, so a hang fails the test instead of
 * stalling the build.
 */
final class Http {
    static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final Supplier<String> baseUrl;
    private final Supplier<String> token;
    private final Duration timeout;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The body of a JSON answer. */
    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The body of a JSON answer that must be a success (2xx); the body is the failure's message otherwise. */
    static JsonNode okJson(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 299);
        return json(response);
    }

    /**
     * A client of the cluster's gateway that sends its admin token. It asks the cluster for both at each
     * request, so it can be made before the cluster starts, e.g. as a field beside the extension.
     */
    Http(MiniGranary cluster) {
        this(cluster::gatewayUrl, cluster::adminToken, DEFAULT_TIMEOUT);
    }

    /** A client that sends {@code token} as a bearer token; none when it is null. */
    Http(String baseUrl, String token) {
        this(baseUrl, token, DEFAULT_TIMEOUT);
    }

    /** A client whose every request fails with HttpTimeoutException after {@code timeout}. */
    Http(String baseUrl, String token, Duration timeout) {
        this(() -> baseUrl, () -> token, timeout);
    }

    private Http(Supplier<String> baseUrl, Supplier<String> token, Duration timeout) {
        this.baseUrl = baseUrl;
        this.token = token;
        this.timeout = timeout;
    }

    /** The same gateway, with another token (null: none). */
    Http as(String otherToken) {
        return new Http(baseUrl, () -> otherToken, timeout);
    }

    /** A header line for {@code RawHttp}, sending this client's token. */
    String authHeaderLine() {
        String bearer = token.get();
        return bearer == null ? "" : "Authorization: Bearer " + bearer + "\r\n";
    }

    /** A downloaded body as hash and length, with the response's status and headers. */
    record Download(int status, java.net.http.HttpHeaders headers, String sha256, long length) {
        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    /** PUTs content {@code seed} of {@code size} bytes with a Content-Length; returns the response. */
    HttpResponse<String> put(String path, long seed, long size) {
        return put(path, seed, size, "");
    }

    HttpResponse<String> put(String path, long seed, long size, String query) {
        return putWithHeaders(path + query, seed, size);
    }

    /** PUTs content {@code seed} of {@code size} bytes with extra headers (name, value, ...). */
    HttpResponse<String> putWithHeaders(String path, long seed, long size, String... headers) {
        HttpRequest.BodyPublisher body = size == 0 ? BodyPublishers.noBody()
                : BodyPublishers.fromPublisher(BodyPublishers.ofInputStream(() -> TestBytes.stream(seed, size)), size);
        HttpRequest.Builder builder = request(fileUrl(path))
                .PUT(body)
                .header("Content-Type", "application/octet-stream");
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        return send(builder.build(), BodyHandlers.ofString());
    }

    /** PUTs {@code size} bytes read from a fresh stream of {@code body}, with a Content-Length. */
    HttpResponse<String> putStream(String path, java.util.function.Supplier<InputStream> body, long size) {
        HttpRequest request = request(fileUrl(path))
                .PUT(BodyPublishers.fromPublisher(BodyPublishers.ofInputStream(body), size))
                .header("Content-Type", "application/octet-stream")
                .build();
        return send(request, BodyHandlers.ofString());
    }

    /** Any method on any gateway URL path, with a JSON (or empty, for null) body. */
    HttpResponse<String> call(String method, String urlPath, String jsonBody) {
        HttpRequest.Builder builder = request(baseUrl.get() + urlPath);
        if (jsonBody == null) {
            builder.method(method, BodyPublishers.noBody());
        } else {
            builder.method(method, BodyPublishers.ofString(jsonBody)).header("Content-Type", "application/json");
        }
        return send(builder.build(), BodyHandlers.ofString());
    }

    /** Any method on any gateway URL path with a raw body (null: none) and headers (name, value, ...). */
    HttpResponse<String> send(String method, String urlPath, byte[] body, String... headers) {
        HttpRequest.Builder builder = request(baseUrl.get() + urlPath)
                .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        return send(builder.build(), BodyHandlers.ofString());
    }

    /** GETs a file, hashing the body as it streams in. */
    Download get(String path, String... headers) {
        HttpRequest.Builder builder = request(fileUrl(path)).GET();
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        HttpResponse<InputStream> response = send(builder.build(), BodyHandlers.ofInputStream());
        TestBytes.Sha256Sink sink = new TestBytes.Sha256Sink();
        try (InputStream body = response.body()) {
            body.transferTo(sink);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the body of " + path + " failed", e);
        }
        return new Download(response.statusCode(), response.headers(), sink.hex(), sink.count());
    }

    /** GETs a small body as bytes, e.g. a range. */
    HttpResponse<byte[]> getBytes(String path, String... headers) {
        HttpRequest.Builder builder = request(fileUrl(path)).GET();
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        return send(builder.build(), BodyHandlers.ofByteArray());
    }

    /** GETs any gateway URL path (e.g. {@code /api/v1/stat/x}) as text. */
    HttpResponse<String> getText(String urlPath) {
        return send(request(baseUrl.get() + urlPath).GET().build(), BodyHandlers.ofString());
    }

    HttpResponse<String> delete(String path) {
        return send(request(fileUrl(path)).DELETE().build(), BodyHandlers.ofString());
    }

    private String fileUrl(String path) {
        return baseUrl.get() + "/api/v1/files/" + path;
    }

    private HttpRequest.Builder request(String url) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).timeout(timeout);
        String bearer = token.get();
        return bearer == null ? builder : builder.header("Authorization", "Bearer " + bearer);
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return client.send(request, handler);
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
