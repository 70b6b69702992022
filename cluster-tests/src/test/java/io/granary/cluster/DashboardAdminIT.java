package io.granary.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard's live charts in a real headless Chromium (as {@link DashboardIT}): the cluster view's
 * charts show the traffic the test makes, read by the page from the gateway's metrics. What the page
 * showed is saved as {@value #CLUSTER_SCREENSHOT}.
 */
@EnabledIf(value = "io.granary.cluster.DashboardIT#browserInstalled",
        disabledReason = "needs Debian's chromium and chromium-driver at /usr/bin (.ci/run installs them)")
class DashboardAdminIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String CLUSTER_SCREENSHOT = "target/dashboard-cluster.png";
    static final Duration WAIT = Duration.ofSeconds(60);

    @RegisterExtension
    static final MiniGranary cluster = MiniGranary.builder().chunkSize(256 * 1024).build();
    static Http admin;
    static String adminId;

    @TempDir
    Path browserDir;
    ChromeDriver browser;
    WebDriverWait wait;

    @BeforeAll
    static void adminClient() {
        admin = new Http(cluster);
        adminId = json(admin.getText("/api/v1/whoami")).get("id").asText();
    }

    @BeforeEach
    void startBrowser() {
        browser = DashboardIT.startBrowser(browserDir);
        wait = new WebDriverWait(browser, WAIT);
        browser.get(cluster.gatewayUrl() + "/");
    }

    @AfterEach
    void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void theLiveChartsShowTheThroughputAndRequestRatesOfTrafficThroughTheGateway() throws Exception {
        signIn(cluster.adminToken());
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-chart='throughput']")));

        // Uploads, and reads of a file that does not exist, until the charts have seen both.
        AtomicBoolean traffic = new AtomicBoolean(true);
        Thread load = new Thread(() -> {
            for (int i = 0; traffic.get(); i++) {
                admin.put("charted/f-" + (i % 5), i, 300_000);
                admin.get("charted/missing");
            }
        }, "chart-traffic");
        load.start();
        try {
            wait.until(d -> latest("throughput", "in") > 0 && latest("requests", "errors") > 0);
            // a few more samples, so that the screenshot shows lines rather than dots
            wait.until(d -> Integer.parseInt(browser.findElement(By.cssSelector("[data-chart='throughput']"))
                    .getDomAttribute("data-points")) >= 5);
        } finally {
            traffic.set(false);
            load.join();
        }
        assertThat(latest("throughput", "out")).isGreaterThan(0);
        assertThat(latest("requests", "all")).isGreaterThanOrEqualTo(latest("requests", "errors"));
        assertThat(browser.findElements(By.cssSelector("[data-chart='throughput'] svg path.line"))).hasSize(2);

        // The repair chart follows GET /api/v1/cluster: nothing queued in a healthy cluster.
        wait.until(d -> !attribute("repairs", "queued").isEmpty());
        assertThat(Double.parseDouble(attribute("repairs", "queued")))
                .isEqualTo((double) cluster.client().cluster().repair().repairQueue());

        scrollTo("cluster");
        saveScreenshot(CLUSTER_SCREENSHOT);
    }

    /**
     * The page's reader of the Prometheus text format, run in the browser on the cases a scrape may
     * hold: labels with escapes, commas and braces in values, a trailing comma, exponents, NaN and
     * infinities, timestamps, and lines it cannot read, which are skipped.
     */
    @Test
    void theMetricsReaderReadsThePrometheusTextFormatAndSkipsWhatItCannotRead() throws IOException {
        String text = String.join("\n",
                "# HELP granary_http_requests_seconds HTTP requests by method, route template and status",
                "# TYPE granary_http_requests_seconds histogram",
                "granary_http_requests_seconds_count{method=\"GET\",route=\"/api/v1/files/<path>\",status=\"200\",} 12.0",
                "granary_http_requests_seconds_count{method=\"PUT\",route=\"/a,b}\",status=\"404\"} 3.0 1700000000000",
                "escaped{label=\"a \\\"quoted\\\" \\\\ back\\nslash\"} 1.5e3",
                "granary_http_request_body_bytes_total 1.048576E6",
                "gauge NaN",
                "bucket{le=\"+Inf\"} +Inf",
                "unterminated{a=\"x} 1",
                "no_value",
                "no_space{a=\"x\"}1",
                "spaced{ a = \"x\" , } -2",
                "");
        Object result = ((JavascriptExecutor) browser).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                import('./js/metrics.js').then((m) => {
                  const samples = m.parseMetrics(arguments[0]);
                  done(JSON.stringify({
                    samples: samples.map((s) => ({ name: s.name, labels: s.labels, value: String(s.value) })),
                    requests: m.total(samples, 'granary_http_requests_seconds_count'),
                    errors: m.total(samples, 'granary_http_requests_seconds_count', (l) => Number(l.status) >= 400),
                  }));
                }, (e) => done(String(e)));
                """, text);
        JsonNode parsed = JSON.readTree((String) result);
        List<String> lines = new ArrayList<>();
        parsed.get("samples").forEach(s -> lines.add(s.get("name").asText() + " " + s.get("labels") + " "
                + s.get("value").asText()));
        assertThat(lines).containsExactly(
                "granary_http_requests_seconds_count {\"method\":\"GET\",\"route\":\"/api/v1/files/<path>\",\"status\":\"200\"} 12",
                "granary_http_requests_seconds_count {\"method\":\"PUT\",\"route\":\"/a,b}\",\"status\":\"404\"} 3",
                "escaped {\"label\":\"a \\\"quoted\\\" \\\\ back\\nslash\"} 1500",
                "granary_http_request_body_bytes_total {} 1048576",
                "gauge {} NaN",
                "bucket {\"le\":\"+Inf\"} Infinity",
                "spaced {\"a\":\"x\"} -2");
        assertThat(parsed.get("requests").asDouble()).isEqualTo(15);
        assertThat(parsed.get("errors").asDouble()).isEqualTo(3);
    }

    /** Signs in through the page's dialog and waits until the header says who. */
    private void signIn(String token) {
        wait.until(ExpectedConditions.elementToBeClickable(By.id("sign-in"))).click();
        browser.findElement(By.id("token-input")).sendKeys(token);
        browser.findElement(By.cssSelector("#token-form button[type=submit]")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-out")));
        wait.until(d -> {
            String whoami = d.findElement(By.id("whoami")).getText();
            return !whoami.isBlank() && !whoami.equals("no token");
        });
    }

    /** The latest value of a chart's series, 0 before it has one. */
    private double latest(String chart, String series) {
        String value = attribute(chart, series);
        return value.isEmpty() ? 0 : Double.parseDouble(value);
    }

    private String attribute(String chart, String series) {
        String value = browser.findElement(By.cssSelector("[data-chart='" + chart + "'] [data-series='" + series + "']"))
                .getDomAttribute("data-latest");
        return value == null ? "" : value;
    }

    private void scrollTo(String id) {
        ((JavascriptExecutor) browser).executeScript("document.getElementById(arguments[0]).scrollIntoView()", id);
    }

    private void saveScreenshot(String path) throws IOException {
        Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
        Path target = Path.of(path);
        Files.createDirectories(target.toAbsolutePath().getParent());
        Files.copy(shot, target, StandardCopyOption.REPLACE_EXISTING);
    }

    private static JsonNode json(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 299);
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
