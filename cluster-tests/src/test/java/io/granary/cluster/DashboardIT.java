package io.granary.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.granary.client.ChunkServerView;
import io.granary.client.UploadOptions;
import io.granary.common.ByteSize;
import io.granary.launcher.local.LocalSettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web dashboard in a real headless Chromium driven through chromedriver (Debian's
 * {@code chromium} and {@code chromium-driver}, which {@code .ci/run} installs): it shows every
 * chunkserver alive, uploads a file through the page's file input with a progress bar, lists it,
 * and the browser's own download of it is byte-exact. A file whose name is HTML is shown as text.
 * The page's final state is saved as {@value #SCREENSHOT}.
 */
@EnabledIf(value = "browserInstalled",
        disabledReason = "needs Debian's chromium and chromium-driver at /usr/bin (.ci/run installs them)")
class DashboardIT {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final String SCREENSHOT = "target/dashboard.png";
    /** Several chunks of {@link #CHUNK}, and enough bytes for the upload to report progress. */
    static final long UPLOAD_BYTES = 6 * ByteSize.MIB + 12_345;
    static final long CHUNK = ByteSize.MIB;
    static final String UPLOAD_NAME = "sample.dat";
    static final String HOSTILE_NAME = "<img src=x onerror=alert(1)>.txt";
    static final Duration WAIT = Duration.ofSeconds(60);

    @RegisterExtension
    static final MiniGranary cluster = MiniGranary.builder().chunkSize(CHUNK).build();

    /** A fresh browser profile and download folder for each test, so no token or file carries over. */
    @TempDir
    Path browserDir;
    ChromeDriver browser;

    /** Checked before the cluster starts, so that a machine without a browser starts none. */
    static boolean browserInstalled() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    @BeforeAll
    static void uploadAFileNamedInHtml() {
        cluster.client().upload(HOSTILE_NAME, TestBytes.stream(7, 1000), UploadOptions.defaults());
    }

    @BeforeEach
    void startBrowser() {
        browser = startBrowser(browserDir);
    }

    @AfterEach
    void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void theDashboardUploadsListsAndDownloadsAFileByteExactAndShowsTheCluster() throws Exception {
        Path local = browserDir.resolve(UPLOAD_NAME);
        try (InputStream in = TestBytes.stream(42, UPLOAD_BYTES)) {
            Files.copy(in, local);
        }
        WebDriverWait wait = new WebDriverWait(browser, WAIT);
        browser.get(cluster.gatewayUrl() + "/");
        signIn(browser, wait, cluster.adminToken());
        assertThat(browser.findElement(By.id("whoami")).getText()).contains("admin");

        // The cluster view names every chunkserver the master knows, each alive.
        List<String> ids = cluster.client().cluster().chunkservers().stream().map(ChunkServerView::id).toList();
        assertThat(ids).hasSize(LocalSettings.DEFAULT_CHUNKSERVERS);
        for (String id : ids) {
            // the page redraws the cards every few seconds, so a card is found and read in one step
            By card = By.cssSelector("[data-chunkserver='" + id + "']");
            wait.ignoring(StaleElementReferenceException.class).until(d -> {
                WebElement shown = d.findElement(card);
                return id.equals(shown.findElement(By.className("server-id")).getText())
                        && "alive".equals(shown.findElement(By.className("badge")).getText());
            });
        }

        // The balancer's tile says it is off, as local's master runs without --balancer.
        wait.until(d -> !d.findElements(By.cssSelector("[data-balancer='off']")).isEmpty());

        // Upload through the page's file input: its progress bar reports and reaches 100 %.
        browser.findElement(By.id("upload-input")).sendKeys(local.toString());
        WebElement upload = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("[data-upload='" + UPLOAD_NAME + "']")));
        wait.until(d -> !"running".equals(upload.getDomAttribute("data-state")));
        assertThat(upload.getDomAttribute("data-state")).as(upload.getText()).isEqualTo("done");
        assertThat(upload.findElement(By.tagName("progress")).getDomProperty("value")).isEqualTo("100");
        assertThat(upload.getDomAttribute("data-progress-events")).isNotNull();
        assertThat(cluster.client().stat(UPLOAD_NAME).sha256()).isEqualTo(TestBytes.sha256(42, UPLOAD_BYTES));

        // It is listed, and the browser's download of it is byte-exact.
        WebElement row = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("tr[data-name='" + UPLOAD_NAME + "']")));
        row.findElement(By.cssSelector("a.download")).click();
        Path saved = browserDir.resolve("downloads").resolve(UPLOAD_NAME);
        wait.until(d -> isComplete(saved));
        assertThat(sha256(saved)).isEqualTo(TestBytes.sha256(42, UPLOAD_BYTES));

        // A name made of HTML is shown as those characters: no element made of it, no script run.
        assertThat(browser.findElements(By.cssSelector("#entries .entry")))
                .extracting(WebElement::getText).contains(HOSTILE_NAME, UPLOAD_NAME);
        assertThat(browser.findElements(By.cssSelector("#entries img"))).isEmpty();
        assertThatThrownBy(() -> browser.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);

        saveScreenshot();
    }

    /**
     * Signed in with a token the gateway does not know, the page says plainly that it was not
     * accepted. Signed in with a real one, a file's details show its facts, and "Copy presigned link"
     * gives a link that downloads the file for anyone holding it, without a token.
     */
    @Test
    void aBadTokenIsSaidSoAndAPresignedLinkFromTheDetailsDownloadsWithoutAToken() throws Exception {
        WebDriverWait wait = new WebDriverWait(browser, WAIT);
        browser.get(cluster.gatewayUrl() + "/");

        signIn(browser, wait, "not-a-real-token");
        assertThat(browser.findElement(By.id("whoami")).getText()).contains("did not accept your token");
        browser.findElement(By.id("sign-out")).click();
        signIn(browser, wait, cluster.adminToken());

        // The details of a file whose name is HTML: the title is that text, and presigning explains itself.
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#entries .entry.file"))).click();
        WebElement title = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("details-title")));
        assertThat(title.getText()).isEqualTo(HOSTILE_NAME);
        String sha256 = cluster.client().stat(HOSTILE_NAME).sha256();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("details-facts"), sha256));
        assertThat(browser.findElement(By.id("details-facts")).getText()).contains("SHA-256", "/" + HOSTILE_NAME);
        WebElement share = wait.until(ExpectedConditions.elementToBeClickable(
                By.xpath("//div[@id='details-actions']/button[text()='Copy presigned link']")));
        share.click();
        WebElement message = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("details-message")));
        assertThat(message.getText()).containsAnyOf("Link copied", "Copy the selected link");
        assertThat(browser.findElements(By.cssSelector("#details-dialog img"))).isEmpty();

        // The link works for anyone holding it: no token, and the same bytes.
        String link = browser.findElement(By.id("link-output")).getDomProperty("value");
        assertThat(link).startsWith(cluster.gatewayUrl()).contains("X-Granary-Signature=");
        HttpResponse<byte[]> shared = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(link)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(shared.statusCode()).isEqualTo(200);
        assertThat(sha256Hex(shared.body())).isEqualTo(sha256);
    }

    /** Signs in through the page's dialog, as a person would, and waits until the header says who. */
    static void signIn(WebDriver browser, WebDriverWait wait, String token) {
        wait.until(ExpectedConditions.elementToBeClickable(By.id("sign-in"))).click();
        browser.findElement(By.id("token-input")).sendKeys(token);
        browser.findElement(By.cssSelector("#token-form button[type=submit]")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-out")));
        // the page says "no token" until the gateway has answered who the token is
        wait.until(d -> {
            String whoami = d.findElement(By.id("whoami")).getText();
            return !whoami.isBlank() && !whoami.equals("no token");
        });
    }

    /** A headless Chromium with its profile and downloads under {@code home}. */
    static ChromeDriver startBrowser(Path home) {
        Path downloads = home.resolve("downloads");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(home.resolve("chromedriver.log").toFile())
                .build();
        ChromeOptions options = new ChromeOptions()
                .setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--window-size=1280,1200", "--no-first-run", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--disable-quic",
                        "--safebrowsing-disable-download-protection",
                        "--user-data-dir=" + home.resolve("chromium-profile"));
        options.setExperimentalOption("prefs", Map.of(
                "download.default_directory", downloads.toString(),
                "download.prompt_for_download", false,
                "safebrowsing.enabled", false));
        ChromeDriver driver = new ChromeDriver(service, options);
        // Headless Chromium saves downloads only where DevTools says it may.
        driver.executeCdpCommand("Browser.setDownloadBehavior",
                Map.of("behavior", "allow", "downloadPath", downloads.toString()));
        return driver;
    }

    /**
     * Makes every page {@code browser} opens from now on record its Content-Security-Policy violations,
     * by a listener that runs before the page's own scripts (DevTools' scripts are exempt from the policy).
     */
    static void recordCspViolations(ChromeDriver browser) {
        browser.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", """
                window.cspViolations = [];
                document.addEventListener('securitypolicyviolation',
                    (e) => window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
                """));
    }

    /** The violations the page shown recorded since it loaded (see {@link #recordCspViolations}). */
    static List<?> cspViolations(ChromeDriver browser) {
        return (List<?>) browser.executeScript("return window.cspViolations;");
    }

    /** True once Chromium has renamed its ".crdownload" file to the final name. */
    private static boolean isComplete(Path saved) {
        if (!Files.exists(saved)) {
            return false;
        }
        try (Stream<Path> files = Files.list(saved.getParent())) {
            return files.noneMatch(p -> p.getFileName().toString().endsWith(".crdownload"));
        } catch (IOException e) {
            return false;
        }
    }

    private static String sha256(Path file) throws IOException {
        TestBytes.Sha256Sink sink = new TestBytes.Sha256Sink();
        Files.copy(file, sink);
        return sink.hex();
    }

    private static String sha256Hex(byte[] bytes) throws IOException {
        TestBytes.Sha256Sink sink = new TestBytes.Sha256Sink();
        sink.write(bytes);
        return sink.hex();
    }

    private void saveScreenshot() throws IOException {
        Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
        Path target = Path.of(SCREENSHOT);
        Files.createDirectories(target.toAbsolutePath().getParent());
        Files.copy(shot, target, StandardCopyOption.REPLACE_EXISTING);
    }
}
