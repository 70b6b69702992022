package io.granary.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.granary.gateway.GatewayConfig;
import io.granary.gateway.GatewayServer;
import io.granary.gateway.http.CorsSettings;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * CORS on the HTTP API: a gateway that allows one origin, and two web pages served from other origins
 * (their own ports). In headless Chromium the page on the allowed origin uploads and reads back a file
 * with a token it holds, and reads the exposed headers; the page on the other origin can neither write
 * nor read, and its attempt changes nothing. Over plain HTTP: a preflight, which carries no token, is
 * answered before authentication for the allowed origin only, and a gateway with CORS off (the
 * default) sends no CORS header to anyone.
 */
class CorsIT {
    private static final String FILE = "cors/from-another-origin.txt";
    private static final String BODY = "written by a page on another origin";

    @RegisterExtension
    static final MiniGranary cluster = MiniGranary.builder().build();

    @TempDir
    Path browserDir;

    private HttpServer allowedPages;
    private HttpServer otherPages;
    private String allowedOrigin;
    private String otherOrigin;
    private GatewayServer gateway;
    private String gatewayUrl;
    private ChromeDriver browser;

    @BeforeEach
    void start() throws IOException {
        allowedPages = page();
        otherPages = page();
        allowedOrigin = "http://127.0.0.1:" + allowedPages.getAddress().getPort();
        otherOrigin = "http://127.0.0.1:" + otherPages.getAddress().getPort();
        gateway = GatewayServer.connect(GatewayConfig.builder(cluster.masterAddress())
                .port(0)
                .security(cluster.security())
                .cors(new CorsSettings(List.of(allowedOrigin), CorsSettings.split(CorsSettings.DEFAULT_METHODS_TEXT),
                        CorsSettings.split(CorsSettings.DEFAULT_HEADERS_TEXT), Duration.ofMinutes(5)))
                .build()).start();
        gatewayUrl = "http://127.0.0.1:" + gateway.port();
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        gateway.close();
        allowedPages.stop(0);
        otherPages.stop(0);
    }

    static boolean browserInstalled() {
        return DashboardIT.browserInstalled();
    }

    @Test
    @EnabledIf(value = "browserInstalled",
            disabledReason = "needs Debian's chromium and chromium-driver at /usr/bin (.ci/run installs them)")
    void aPageOnTheAllowedOriginWritesAndReadsAFileWithItsTokenAndSeesTheExposedHeaders() {
        browser = DashboardIT.startBrowser(browserDir);
        browser.get(allowedOrigin + "/");

        Map<String, Object> result = fetchFromPage(FILE);

        assertThat(result).containsEntry("put", 201L).containsEntry("get", 200L).containsEntry("body", BODY);
        assertThat(result.get("etag")).as("ETag, exposed").isNotNull();
        assertThat(result.get("requestId")).as("X-Request-Id, exposed").isNotNull();
        assertThat(cluster.client().stat(FILE).size()).isEqualTo(BODY.length());
    }

    @Test
    @EnabledIf(value = "browserInstalled",
            disabledReason = "needs Debian's chromium and chromium-driver at /usr/bin (.ci/run installs them)")
    void aPageOnAnotherOriginCanNeitherWriteNorReadAndChangesNothing() {
        String path = "cors/not-from-there.txt";
        browser = DashboardIT.startBrowser(browserDir);
        browser.get(otherOrigin + "/");

        Map<String, Object> result = fetchFromPage(path);

        assertThat(result.get("error")).as("the browser refused the call").asString().contains("Failed to fetch");
        assertThatThrownBy(() -> cluster.client().stat(path)).as("nothing was written")
                .isInstanceOfSatisfying(GranaryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
    }

    @Test
    void aPreflightIsAnsweredBeforeAuthenticationForTheAllowedOriginOnly() throws Exception {
        HttpResponse<String> allowed = preflight(gatewayUrl, allowedOrigin);
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).hasValue(allowedOrigin);
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Methods").orElse("")).contains("PUT");
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Headers").orElse("").toLowerCase())
                .contains("authorization");
        assertThat(allowed.headers().firstValue("Access-Control-Max-Age")).hasValue("300");
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();

        HttpResponse<String> other = preflight(gatewayUrl, otherOrigin);
        assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();

        HttpResponse<String> corsOff = preflight(cluster.gatewayUrl(), allowedOrigin);
        assertThat(corsOff.headers().map().keySet()).noneMatch(h -> h.toLowerCase().startsWith("access-control-"));
    }

    @Test
    void aCallFromTheAllowedOriginStillNeedsItsToken() throws Exception {
        HttpResponse<String> anonymous = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(gatewayUrl + "/api/v1/files/" + FILE))
                .header("Origin", allowedOrigin)
                .PUT(HttpRequest.BodyPublishers.ofString("no token")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("Access-Control-Allow-Origin")).hasValue(allowedOrigin);
    }

    /** From the page now open: PUT a text file, GET it back, with the admin token; or the error thrown. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> fetchFromPage(String path) {
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        return (Map<String, Object>) browser.executeAsyncScript("""
                const [url, token, body, done] = arguments;
                const auth = {'Authorization': 'Bearer ' + token};
                (async () => {
                  const put = await fetch(url, {method: 'PUT', body,
                      headers: {...auth, 'Content-Type': 'text/plain'}});
                  const get = await fetch(url, {headers: auth});
                  return {put: put.status, get: get.status, body: await get.text(),
                      etag: get.headers.get('ETag'), requestId: get.headers.get('X-Request-Id')};
                })().then(done, e => done({error: String(e)}));
                """, gatewayUrl + "/api/v1/files/" + path, cluster.adminToken(), BODY);
    }

    private static HttpResponse<String> preflight(String gatewayUrl, String origin) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(gatewayUrl + "/api/v1/files/" + FILE))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin)
                .header("Access-Control-Request-Method", "PUT")
                .header("Access-Control-Request-Headers", "authorization,content-type")
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A web server on a port of its own (so an origin of its own) answering every path with an empty page. */
    private static HttpServer page() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] html = "<!doctype html><title>another app</title><p>an app on another origin".getBytes(StandardCharsets.UTF_8);
        server.createContext("/", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, html.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(html);
            }
        });
        server.start();
        return server;
    }
}
