package io.granary.gateway.routes;

import static org.assertj.core.api.Assertions.assertThat;

import io.granary.gateway.http.Problem;
import io.granary.gateway.testing.GatewayFixture;
import io.javalin.testtools.JavalinTest;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The dashboard is served at / without a token, and shadows none of the gateway's own routes. */
class DashboardTest {
    @RegisterExtension
    final GatewayFixture gateway = new GatewayFixture();

    @Test
    void thePageAndItsModulesAreServedAtTheRootWithAStrictContentSecurityPolicy() {
        JavalinTest.test(gateway.app, (server, http) -> {
            Response page = http.get("/");
            assertThat(page.code()).isEqualTo(200);
            assertThat(page.header("Content-Type")).startsWith("text/html");
            assertThat(page.header("Content-Security-Policy")).isEqualTo(Dashboard.CONTENT_SECURITY_POLICY);
            assertThat(page.body().string()).contains("<script type=\"module\" src=\"js/app.js\"></script>");

            Response module = http.get("/js/app.js");
            assertThat(module.code()).isEqualTo(200);
            assertThat(module.header("Content-Type")).containsPattern("(text|application)/javascript");
            assertThat(http.get("/dashboard.css").header("Content-Type")).startsWith("text/css");
        });
    }

    @Test
    void theGatewaysOwnRoutesAreNotShadowed() {
        gateway.test((server, http) -> { // the admin token: /api needs one
            assertThat(http.get("/api/v1/cluster").header("Content-Type")).startsWith("application/json");
            assertThat(http.get("/health/live").code()).isEqualTo(200);
            assertThat(http.get(ApiDocs.OPENAPI_PATH).header("Content-Type")).startsWith("application/json");
            assertThat(http.get("/metrics").code()).isEqualTo(200);

            Response unknown = http.get("/no-such-page.html");
            assertThat(unknown.code()).isEqualTo(404);
            assertThat(unknown.header("Content-Type")).isEqualTo(Problem.CONTENT_TYPE);
        });
    }

    /**
     * File names are user input: the page builds its DOM from text nodes and attributes only, never
     * from HTML strings, and loads nothing from another origin (no CDN).
     */
    @Test
    void theScriptsNeverParseHtmlAndLoadNothingFromElsewhere() throws IOException, URISyntaxException {
        Path root = Path.of(getClass().getResource(Dashboard.RESOURCES).toURI());
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertThat(files).extracting(p -> root.relativize(p).toString().replace('\\', '/'))
                .contains("index.html", "dashboard.css", "js/app.js");
        for (Path file : files) {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            assertThat(text).as(file.toString())
                    .doesNotContain("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(")
                    .doesNotContainPattern("(src|href)=\"(https?:)?//")
                    .doesNotContainPattern("from '(https?:)?//");
        }
    }

    /**
     * The token is kept only in the tab's session storage: never in local storage, where every page
     * later opened from the origin would find it.
     */
    @Test
    void theTokenIsKeptInSessionStorageNeverInLocalStorage() throws IOException, URISyntaxException {
        Path scripts = Path.of(getClass().getResource(Dashboard.RESOURCES + "/js").toURI());
        String all;
        try (Stream<Path> walk = Files.walk(scripts)) {
            all = walk.filter(Files::isRegularFile).map(DashboardTest::read).reduce("", String::concat);
        }
        assertThat(all).contains("sessionStorage.setItem(TOKEN_KEY")
                .doesNotContain("localStorage.setItem", "localStorage.getItem", "localStorage[");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
