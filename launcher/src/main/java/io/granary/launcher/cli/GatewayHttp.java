package io.granary.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The gateway's HTTP API as the command-line client sees it: URLs built from Granary paths, bodies
 * streamed both ways, and every failure turned into a {@link CliException} with the right exit code
 * and the gateway's own {@code detail}. One per command run; safe to share, as the JDK client is.
 */
final class GatewayHttp {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    private final String baseUrl;
    private final String token;

    /** A client of the gateway at {@code baseUrl}, sending {@code token} (null: none) on every request. */
    GatewayHttp(String baseUrl, String token) {
        this.token = token;
        String trimmed = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        if (!trimmed.startsWith("http://") && !trimmed.startsWith("https://")) {
            throw new CliException(ExitCodes.USAGE, "the gateway must be an http:// or https:// URL, not '"
                    + baseUrl + "'");
        }
        this.baseUrl = trimmed;
    }

    String baseUrl() {
        return baseUrl;
    }

    /** {@code /api/v1/<route>/<path>}, each path segment percent-encoded; an empty path is the root. */
    URI uri(String route, String path) {
        return URI.create(baseUrl + "/api/v1/" + route + (path.isEmpty() ? "" : "/" + encodePath(path)));
    }

    URI uri(String route) {
        return URI.create(baseUrl + "/api/v1/" + route);
    }

    static String encodePath(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        return Arrays.stream(trimmed.split("/", -1))
                .map(segment -> URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"))
                .collect(Collectors.joining("/"));
    }

    /** Sends and returns the response when its status is 2xx (or 304); throws {@link CliException} else. */
    HttpResponse<InputStream> send(HttpRequest request) {
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpConnectTimeoutException | ConnectException e) {
            throw unreachable(e);
        } catch (HttpTimeoutException e) {
            throw new CliException(ExitCodes.UNAVAILABLE, "the gateway at " + baseUrl + " did not answer in time");
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.UNAVAILABLE, "interrupted");
        }
        int status = response.statusCode();
        if (status / 100 == 2) {
            return response;
        }
        throw new CliException(exitCodeFor(status), describe(request, response));
    }

    /** Sends and parses a 2xx JSON answer. */
    JsonNode sendForJson(HttpRequest request) {
        HttpResponse<InputStream> response = send(request);
        try (InputStream body = response.body()) {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new CliException(ExitCodes.UNAVAILABLE, "the gateway's answer was cut short: " + e.getMessage());
        }
    }

    /** Sends {@code body} as JSON with {@code method} and parses a 2xx JSON answer. */
    JsonNode sendJson(String method, URI uri, JsonNode body) {
        return sendForJson(request(uri).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body.toString())).build());
    }

    /** Sends a request whose 2xx answer the caller does not need (a DELETE, a PUT), closing its body. */
    void sendDiscarding(HttpRequest request) throws IOException {
        send(request).body().close();
    }

    HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).header("Accept", "application/json, */*");
        return token == null ? builder : builder.header("Authorization", "Bearer " + token);
    }

    /** The one table from HTTP status to exit code. */
    static int exitCodeFor(int status) {
        return switch (status) {
            case 404, 410 -> ExitCodes.NOT_FOUND;
            case 409, 412 -> ExitCodes.CONFLICT;
            case 401, 403 -> ExitCodes.AUTH;
            default -> status >= 500 ? ExitCodes.UNAVAILABLE : ExitCodes.USAGE;
        };
    }

    private CliException unreachable(IOException e) {
        // The JDK client often wraps the socket's reason, and a refused connection may carry no message.
        String why = e instanceof ConnectException ? "connection refused" : e.getClass().getSimpleName();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                why = t.getMessage();
            }
        }
        return new CliException(ExitCodes.UNAVAILABLE, "cannot reach the gateway at " + baseUrl + ": " + why);
    }

    /** The problem+json detail when there is one (read with a bound: error bodies are small). */
    private static String describe(HttpRequest request, HttpResponse<InputStream> response) {
        String text;
        try (InputStream body = response.body()) {
            text = new String(body.readNBytes(64 * 1024), StandardCharsets.UTF_8);
        } catch (IOException e) {
            text = "";
        }
        String detail = text.strip();
        try {
            JsonNode problem = JSON.readTree(text);
            if (problem != null && problem.hasNonNull("detail")) {
                detail = problem.get("detail").asText();
            } else if (problem != null && problem.hasNonNull("title")) {
                detail = problem.get("title").asText();
            }
        } catch (IOException | RuntimeException e) {
            // not JSON (a proxy's page, a route the gateway does not have): keep the text
        }
        int status = response.statusCode();
        String what = request.method() + " " + request.uri().getRawPath() + ": HTTP " + status;
        if (status == 404 && detail.isEmpty()) {
            return what + " (this gateway has no such route or file)";
        }
        return detail.isEmpty() ? what : what + ": " + detail;
    }
}
