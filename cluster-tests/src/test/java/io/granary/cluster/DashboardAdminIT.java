package io.granary.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The dashboard's administration and live charts in a real headless Chromium (as {@link DashboardIT}):
 * tokens, IP grants and S3 keys made and revoked in the page work, and stop working, at the gateway; a
 * reader sees no admin section and is refused when it forces one; the audit view lists, filters and pages
 * what was changed through the gateway; and the cluster view's charts show the traffic the test makes.
 * What the page showed is saved as {@value #ADMIN_SCREENSHOT} and {@value #CLUSTER_SCREENSHOT}.
 */
@EnabledIf(value = "io.granary.cluster.DashboardIT#browserInstalled",
        disabledReason = "needs Debian's chromium and chromium-driver at /usr/bin (.ci/run installs them)")
class DashboardAdminIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String ADMIN_SCREENSHOT = "target/dashboard-admin.png";
    static final String CLUSTER_SCREENSHOT = "target/dashboard-cluster.png";
    static final Duration WAIT = Duration.ofSeconds(60);
    /** More than the audit view's page of 50, so that "Older" has something to show. */
    static final int AUDITED_DIRECTORIES = 60;
    static final AtomicInteger ids = new AtomicInteger();

    @RegisterExtension
    static final MiniGranary cluster = MiniGranary.builder().chunkSize(256 * 1024).s3().build();
    static Http admin;
    static String adminId;

    @TempDir
    Path browserDir;
    ChromeDriver browser;
    WebDriverWait wait;

    @BeforeAll
    static void adminClient() {
        admin = new Http(cluster);
        adminId = Http.okJson(admin.getText("/api/v1/whoami")).get("id").asText();
    }

    /**
     * Opens the page in a fresh browser that records every Content-Security-Policy violation, by a
     * listener installed before the page's own scripts run (DevTools' scripts are exempt from the policy).
     */
    @BeforeEach
    void startBrowser() {
        browser = DashboardIT.startBrowser(browserDir);
        wait = new WebDriverWait(browser, WAIT);
        DashboardIT.recordCspViolations(browser);
        browser.get(cluster.gatewayUrl() + "/");
    }

    /** Whatever a test did, the page never needed more than its policy allows (no inline style, no other origin). */
    @AfterEach
    void noContentSecurityPolicyViolationAndStopBrowser() {
        try {
            assertThat(DashboardIT.cspViolations(browser)).isEmpty();
        } finally {
            browser.quit();
        }
    }

    @Test
    void aTokenCreatedInThePageWorksAtTheGatewayUntilItIsRevokedInThePage() throws IOException {
        signIn(cluster.adminToken());
        WebElement tokens = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("tokens")));
        String name = "dashboard-reader-" + ids.incrementAndGet();
        tokens.findElement(By.id("new-token-name")).sendKeys(name);
        new Select(tokens.findElement(By.id("new-token-role"))).selectByValue("reader");
        new Select(tokens.findElement(By.id("new-token-expires"))).selectByValue("86400");
        tokens.findElement(By.id("new-token-create")).click();

        // The secret is shown once, with a copy button and a note saying so.
        WebElement box = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token-secret")));
        assertThat(box.getText()).contains("Shown only now", name, "reader");
        String secret = box.findElement(By.cssSelector("input[data-secret='Token']")).getDomProperty("value");
        box.findElement(By.xpath(".//button[text()='Copy']")).click();
        wait.until(d -> !box.findElement(By.cssSelector("[aria-live]")).getText().isBlank());
        assertThat(box.findElement(By.cssSelector("[aria-live]")).getText()).isIn("Copied.",
                "Press Ctrl+C (⌘C) to copy the selected text.");

        // The secret works at the gateway, as that token.
        HttpResponse<String> whoami = admin.as(secret).getText("/api/v1/whoami");
        JsonNode me = Http.okJson(whoami);
        assertThat(me.get("name").asText()).isEqualTo(name);
        assertThat(me.get("role").asText()).isEqualTo("reader");
        String id = me.get("id").asText();
        WebElement row = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#token-entries tr[data-token='" + id + "']")));
        assertThat(row.getText()).contains(name, "reader");
        scrollTo("tokens");
        saveScreenshot(ADMIN_SCREENSHOT);

        // Revoked in the page, after a confirmation, the gateway refuses it.
        row.findElement(By.xpath(".//button[text()='Revoke']")).click();
        confirm("Revoke token \"" + name + "\"?");
        wait.until(ExpectedConditions.invisibilityOfElementLocated(
                By.cssSelector("#token-entries tr[data-token='" + id + "']")));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("tokens-message"), "revoked"));
        assertThat(admin.as(secret).getText("/api/v1/whoami").statusCode()).isEqualTo(401);
    }

    @Test
    void aGrantCreatedInThePageIsListedAndOpensReadsUntilItIsRevokedInThePage() {
        assertThat(admin.put("granted/a.bin", 11, 1000).statusCode()).isEqualTo(201);
        Http anonymous = admin.as(null);
        assertThat(anonymous.get("granted/a.bin").status()).isEqualTo(401);

        signIn(cluster.adminToken());
        WebElement grants = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("grants")));
        grants.findElement(By.id("new-grant-path")).sendKeys("/granted");
        grants.findElement(By.id("new-grant-cidr")).sendKeys("127.0.0.1/32");
        grants.findElement(By.id("new-grant-create")).click();
        WebElement row = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.xpath("//tbody[@id='grant-entries']/tr[td[1]='/granted']")));
        String id = row.getDomAttribute("data-grant");
        assertThat(row.getText()).contains("127.0.0.1/32");

        // The gateway lists it, and reads from this address need no token.
        JsonNode listed = grantNamed(id);
        assertThat(listed).isNotNull();
        assertThat(listed.get("path").asText()).isEqualTo("/granted");
        assertThat(listed.get("cidr").asText()).isEqualTo("127.0.0.1/32");
        Http.Download read = anonymous.get("granted/a.bin");
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.sha256()).isEqualTo(TestBytes.sha256(11, 1000));

        // Revoked in the page: gone from the list, and reads need a token again.
        row.findElement(By.xpath(".//button[text()='Revoke']")).click();
        confirm("Revoke this grant?");
        wait.until(ExpectedConditions.invisibilityOfElementLocated(
                By.cssSelector("#grant-entries tr[data-grant='" + id + "']")));
        assertThat(grantNamed(id)).isNull();
        assertThat(anonymous.get("granted/a.bin").status()).isEqualTo(401);
    }

    @Test
    void aReaderSeesNoAdminSectionAndAForcedAdminCallIsShownAsRefused() {
        String name = "dashboard-forced-" + ids.incrementAndGet();
        String reader = Http.okJson(admin.call("POST", "/api/v1/admin/tokens", "{\"name\":\"looker\",\"role\":\"reader\"}"))
                .get("token").asText();
        signIn(reader);
        assertThat(browser.findElement(By.id("whoami")).getText()).contains("reader");

        // Its own S3 keys are its to manage; token, grant and audit administration are not shown at all.
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("keys")));
        for (String section : List.of("tokens", "grants", "audit")) {
            assertThat(browser.findElement(By.id(section)).isDisplayed()).as(section).isFalse();
            assertThat(browser.findElement(By.cssSelector(".topnav a[href='#" + section + "']")).isDisplayed())
                    .as(section).isFalse();
        }

        // Shown by force, the sections' calls are refused by the gateway, and the page says so.
        ((JavascriptExecutor) browser).executeScript(
                "for (const id of ['tokens', 'grants']) document.getElementById(id).hidden = false;");
        browser.findElement(By.id("tokens-refresh")).click();
        assertRefusedAsReader("tokens-message");
        ((JavascriptExecutor) browser).executeScript("document.getElementById('tokens-message').hidden = true;");
        browser.findElement(By.id("new-token-name")).sendKeys(name);
        browser.findElement(By.id("new-token-create")).click();
        assertRefusedAsReader("tokens-message");
        browser.findElement(By.id("grants-refresh")).click();
        assertRefusedAsReader("grants-message");
        assertThat(browser.findElement(By.id("token-secret")).isDisplayed()).isFalse();
        assertThat(Http.okJson(admin.getText("/api/v1/admin/tokens")).get("tokens").findValuesAsText("name"))
                .doesNotContain(name);
    }

    @Test
    void anS3KeyCreatedInThePageSignsS3RequestsUntilItIsRevokedInThePage() {
        JsonNode writer = Http.okJson(admin.call("POST", "/api/v1/admin/tokens", "{\"name\":\"keyholder\",\"role\":\"writer\"}"));
        String writerId = writer.get("id").asText();
        signIn(writer.get("token").asText());
        WebElement keys = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("keys")));
        keys.findElement(By.id("keys-create")).click();

        // Both halves are shown once; the gateway lists the key as the writer's, never with its secret.
        WebElement box = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("key-secret")));
        assertThat(box.getText()).contains("Shown only now");
        String accessKey = box.findElement(By.cssSelector("input[data-secret='Access key id']")).getDomProperty("value");
        String secretKey = box.findElement(By.cssSelector("input[data-secret='Secret key']")).getDomProperty("value");
        WebElement row = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#key-entries tr[data-key='" + accessKey + "']")));
        String listed = admin.getText("/api/v1/s3-keys?token=" + writerId).body();
        assertThat(listed).contains(accessKey).doesNotContain(secretKey);

        try (S3Client s3 = S3Sdk.client(cluster, accessKey, secretKey)) {
            s3.listBuckets();
            row.findElement(By.xpath(".//button[text()='Revoke']")).click();
            confirm("Revoke S3 key " + accessKey + "?");
            wait.until(ExpectedConditions.invisibilityOfElementLocated(
                    By.cssSelector("#key-entries tr[data-key='" + accessKey + "']")));
            assertThatThrownBy(s3::listBuckets)
                    .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
        }
        assertThat(admin.getText("/api/v1/s3-keys?token=" + writerId).body()).doesNotContain(accessKey);
    }

    @Test
    void theAuditViewListsChangesThroughTheGatewayWithActorAndRequestIdFilteredByPathAndPaged() {
        for (int i = 0; i < AUDITED_DIRECTORIES; i++) {
            assertThat(admin.call("PUT", "/api/v1/dirs/audited/many/d-%02d".formatted(i), null).statusCode())
                    .isEqualTo(201);
        }
        String upload = "dashboard-upload-" + ids.incrementAndGet();
        assertThat(admin.putWithHeaders("audited/file.bin", 5, 500, "X-Request-Id", upload).statusCode()).isEqualTo(201);
        String delete = "dashboard-delete-" + ids.incrementAndGet();
        assertThat(admin.send("DELETE", "/api/v1/files/audited/file.bin", null, "X-Request-Id", delete).statusCode())
                .isEqualTo(204);
        String tokenCreation = "dashboard-token-" + ids.incrementAndGet();
        assertThat(admin.send("POST", "/api/v1/admin/tokens",
                "{\"name\":\"audited\",\"role\":\"reader\"}".getBytes(StandardCharsets.UTF_8),
                "X-Request-Id", tokenCreation, "Content-Type", "application/json").statusCode()).isEqualTo(201);

        signIn(cluster.adminToken());
        WebElement audit = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("audit")));

        // Unfiltered, the newest changes include the token's creation, by the admin, with its request id.
        audit.findElement(By.id("audit-load")).click();
        List<String> created = waitForAuditRow(tokenCreation);
        assertThat(created.get(1)).isEqualTo("token.create");
        assertThat(created.get(3)).isEqualTo(adminId);

        // Below /audited: the upload and the delete with theirs, and nothing from elsewhere.
        audit.findElement(By.id("audit-path")).sendKeys("/audited");
        audit.findElement(By.id("audit-load")).click();
        List<String> uploaded = waitForAuditRow(upload);
        assertThat(uploaded.subList(1, 4)).containsExactly("upload", "/audited/file.bin", adminId);
        List<String> deleted = auditRow(delete);
        assertThat(deleted.subList(1, 4)).containsExactly("delete", "/audited/file.bin", adminId);
        List<List<String>> firstPage = auditRows();
        assertThat(firstPage).hasSize(50);
        assertThat(firstPage).allSatisfy(row -> assertThat(row.get(2)).startsWith("/audited"));
        assertThat(firstPage).noneSatisfy(row -> assertThat(row.get(6)).isEqualTo(tokenCreation));

        // "Older" goes on to the oldest directories, and is disabled once none remains.
        List<String> paths = new ArrayList<>();
        firstPage.forEach(row -> paths.add(row.get(2)));
        WebElement older = audit.findElement(By.id("audit-older"));
        while (older.isEnabled()) {
            WebElement shown = browser.findElement(By.cssSelector("#audit-entries tr"));
            older.click();
            wait.until(ExpectedConditions.stalenessOf(shown));
            auditRows().stream().filter(row -> row.size() == 7).forEach(row -> paths.add(row.get(2)));
        }
        assertThat(paths).contains("/audited/many/d-00", "/audited/many/d-%02d".formatted(AUDITED_DIRECTORIES - 1))
                .allSatisfy(p -> assertThat(p).startsWith("/audited"));
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

    /** While another tab is in front the charts sample nothing, so their lines break there and go on after. */
    @Test
    void theChartsLinesBreakWhereTheTabWasHiddenAndGoOnWhenItIsShownAgain() {
        signIn(cluster.adminToken());
        wait.until(d -> points("throughput") >= 2);
        assertThat(segments("throughput")).isEqualTo(1);

        String dashboard = browser.getWindowHandle();
        browser.switchTo().newWindow(WindowType.TAB);
        browser.close();
        browser.switchTo().window(dashboard);
        int before = points("throughput");
        wait.until(d -> points("throughput") >= before + 2);
        assertThat(segments("throughput")).isEqualTo(2);
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

    private void signIn(String token) {
        DashboardIT.signIn(browser, wait, token);
    }

    /** Waits for the confirmation dialog titled {@code title} and confirms. */
    private void confirm(String title) {
        wait.until(ExpectedConditions.textToBe(By.id("confirm-title"), title));
        wait.until(ExpectedConditions.elementToBeClickable(By.id("confirm-ok"))).click();
    }

    private void assertRefusedAsReader(String messageId) {
        WebElement message = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id(messageId)));
        wait.until(d -> message.getText().contains("role admin"));
        assertThat(message.getText()).startsWith("Refused (403): this needs a token with role admin");
    }

    private JsonNode grantNamed(String id) {
        for (JsonNode grant : Http.okJson(admin.getText("/api/v1/grants")).get("grants")) {
            if (grant.get("id").asText().equals(id)) {
                return grant;
            }
        }
        return null;
    }

    /** The cells of every row the audit view shows. */
    private List<List<String>> auditRows() {
        List<List<String>> rows = new ArrayList<>();
        for (WebElement row : browser.findElements(By.cssSelector("#audit-entries tr"))) {
            rows.add(row.findElements(By.tagName("td")).stream().map(WebElement::getText).toList());
        }
        return rows;
    }

    private List<String> auditRow(String requestId) {
        return auditRows().stream().filter(row -> row.size() == 7 && row.get(6).equals(requestId)).findFirst()
                .orElse(null);
    }

    private List<String> waitForAuditRow(String requestId) {
        return wait.ignoring(StaleElementReferenceException.class).until(d -> auditRow(requestId));
    }

    /** The latest value of a chart's series, 0 before it has one. */
    private double latest(String chart, String series) {
        String value = attribute(chart, series);
        return value.isEmpty() ? 0 : Double.parseDouble(value);
    }

    /** How many points the chart draws. */
    private int points(String chart) {
        return Integer.parseInt(browser.findElement(By.cssSelector("[data-chart='" + chart + "']"))
                .getDomAttribute("data-points"));
    }

    /** How many unbroken pieces the first series' line is drawn in. */
    private int segments(String chart) {
        String d = browser.findElement(By.cssSelector("[data-chart='" + chart + "'] path.series-0")).getDomAttribute("d");
        return (int) d.chars().filter(c -> c == 'M').count();
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

}
