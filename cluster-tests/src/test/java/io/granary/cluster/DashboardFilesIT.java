package io.granary.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.granary.client.UploadOptions;
import io.granary.common.ByteSize;
import java.awt.Color;
import java.awt.Graphics;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard's file browser in headless Chromium (as {@link DashboardIT}): previews. Every test
 * works in its own folder of one shared cluster, signed in with the admin token, so access control
 * is on throughout.
 */
@EnabledIf(value = "io.granary.cluster.DashboardIT#browserInstalled",
        disabledReason = "needs Debian's chromium and chromium-driver at /usr/bin (.ci/run installs them)")
class DashboardFilesIT {
    static final Duration WAIT = Duration.ofSeconds(60);
    static final String HOSTILE_NAME = "<img src=x onerror=alert(2)>.txt";
    static final String HOSTILE_TEXT = "<script>alert(1)</script>\n";

    @RegisterExtension
    static final MiniGranary cluster = MiniGranary.builder().chunkSize(ByteSize.MIB).build();

    @TempDir
    Path browserDir;
    ChromeDriver browser;
    WebDriverWait wait;

    @BeforeEach
    void startBrowser() {
        browser = DashboardIT.startBrowser(browserDir);
        wait = new WebDriverWait(browser, WAIT);
    }

    @AfterEach
    void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    /**
     * With access control on and a token, an image shows from a presigned URL, a text file's first
     * bytes show as text (HTML in it stays characters), an HTML file gets no preview, and no request
     * the page made carries the token.
     */
    @Test
    void thePreviewShowsImagesAndTextButNoHtmlAndNoUrlCarriesTheToken() throws Exception {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        BufferedImage image = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
        Graphics graphics = image.getGraphics();
        graphics.setColor(Color.ORANGE);
        graphics.fillRect(5, 5, 20, 10);
        graphics.dispose();
        ImageIO.write(image, "png", png);
        cluster.client().upload("previews/picture.png", new ByteArrayInputStream(png.toByteArray()),
                UploadOptions.defaults().withContentType("image/png"));
        StringBuilder text = new StringBuilder(HOSTILE_TEXT);
        while (text.length() < 100_000) {
            text.append("line ").append(text.length()).append('\n');
        }
        cluster.client().upload("previews/" + HOSTILE_NAME,
                new ByteArrayInputStream(text.toString().getBytes(StandardCharsets.UTF_8)),
                UploadOptions.defaults().withContentType("text/plain"));
        cluster.client().upload("previews/page.html",
                new ByteArrayInputStream("<h1>hello</h1><script>alert(3)</script>".getBytes(StandardCharsets.UTF_8)),
                UploadOptions.defaults().withContentType("text/html"));
        openFolder("previews");

        openDetails("picture.png");
        WebElement shown = wait.until(d -> d.findElement(By.cssSelector("#details-preview[data-preview='image'] img")));
        wait.until(d -> ((Number) browser.executeScript("return arguments[0].naturalWidth;", shown)).intValue() > 0);
        assertThat(shown.getDomAttribute("src")).contains("X-Granary-Signature=");
        browser.findElement(By.id("details-close")).click();

        openDetails(HOSTILE_NAME);
        WebElement pre = wait.until(d -> d.findElement(By.cssSelector("#details-preview[data-preview='text'] pre")));
        String previewed = (String) browser.executeScript("return arguments[0].textContent;", pre);
        assertThat(previewed).hasSize(64 * 1024).isEqualTo(text.substring(0, 64 * 1024));
        assertThat(browser.findElement(By.id("details-preview")).getText()).contains("The first 64.0 KiB of");
        assertThat(browser.findElements(By.cssSelector("#details-preview script, #details-preview img"))).isEmpty();
        browser.findElement(By.id("details-close")).click();

        openDetails("page.html");
        WebElement none = wait.until(d -> d.findElement(By.cssSelector("#details-preview[data-preview='none']")));
        assertThat(none.getText()).contains("No preview for text/html");
        assertThat(browser.findElements(By.cssSelector("#details-preview img, #details-preview iframe, "
                + "#details-preview pre, #details-preview video"))).isEmpty();
        assertThatThrownBy(() -> browser.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);

        @SuppressWarnings("unchecked")
        List<String> urls = (List<String>) browser.executeScript("""
                return [location.href, ...performance.getEntriesByType('navigation').map((e) => e.name),
                        ...performance.getEntriesByType('resource').map((e) => e.name)];
                """);
        assertThat(urls).anyMatch(u -> u.contains("X-Granary-Signature="))
                .anyMatch(u -> u.contains("/api/v1/files/previews/"))
                .noneMatch(u -> u.contains(cluster.adminToken()));
    }

    /** Opens the dashboard at {@code folder} with the admin token in the tab's session storage. */
    private void openFolder(String folder) {
        browser.get(cluster.gatewayUrl() + "/#/" + folder);
        browser.executeScript("sessionStorage.setItem('granary.token', arguments[0]);", cluster.adminToken());
        browser.navigate().refresh();
        wait.until(d -> d.findElement(By.id("whoami")).getText().contains("admin"));
        wait.until(d -> !d.findElements(By.cssSelector("#entries tr")).isEmpty());
    }

    private void openDetails(String name) {
        wait.until(ExpectedConditions.elementToBeClickable(
                By.cssSelector("tr[data-name='" + name + "'] .entry.file"))).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("details-dialog")));
    }
}
