package io.granary.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.granary.client.UploadOptions;
import io.granary.common.ByteSize;
import io.granary.common.meta.DirectoryEntry;
import io.granary.common.meta.EntryType;
import java.awt.Color;
import java.awt.Graphics;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard's file browser in headless Chromium (as {@link DashboardIT}): folder, drop and
 * parallel uploads, a folder dropped from disk, rename and move, deleting a selection, sorting and
 * filtering, folder sizes and previews, each checked from outside the page (what the cluster then
 * holds, byte for byte). Every test works in its own folder of one shared cluster, signed in with the
 * admin token, so access control is on throughout, and fails on any Content-Security-Policy
 * violation. The folder upload's final state is saved as {@value #SCREENSHOT}.
 */
@EnabledIf(value = "io.granary.cluster.DashboardIT#browserInstalled",
        disabledReason = "needs Debian's chromium and chromium-driver at /usr/bin (.ci/run installs them)")
class DashboardFilesIT {
    static final String SCREENSHOT = "target/dashboard-files.png";
    static final Duration WAIT = Duration.ofSeconds(60);
    /** The page's MAX_PARALLEL_UPLOADS. */
    static final int UPLOAD_BOUND = 4;
    /** The page's MAX_PARALLEL_DELETES. */
    static final int DELETE_BOUND = 4;
    static final String HOSTILE_NAME = "<img src=x onerror=alert(2)>.txt";
    static final String HOSTILE_TEXT = "<script>alert(1)</script>\n";

    @RegisterExtension
    static final MiniGranary cluster = MiniGranary.builder().chunkSize(ByteSize.MIB).build();

    @TempDir
    Path browserDir;
    ChromeDriver browser;
    WebDriverWait wait;

    /**
     * A fresh browser that records every Content-Security-Policy violation, by a listener installed
     * before the page's own scripts run (DevTools' scripts are exempt from the policy).
     */
    @BeforeEach
    void startBrowser() {
        browser = DashboardIT.startBrowser(browserDir);
        wait = new WebDriverWait(browser, WAIT);
        DashboardIT.recordCspViolations(browser);
    }

    /** Whatever a test did, the page never needed more than its policy allows: previews and drops included. */
    @AfterEach
    void noContentSecurityPolicyViolationAndStopBrowser() {
        if (browser == null) {
            return;
        }
        try {
            assertThat(DashboardIT.cspViolations(browser)).isEmpty();
        } finally {
            browser.quit();
        }
    }

    @Test
    void aFolderChosenInTheFolderInputLandsWithItsTreeByteForByte() throws Exception {
        cluster.client().mkdirs("imports");
        Map<String, Long> tree = new LinkedHashMap<>();
        tree.put("holiday/a.bin", 300_000L);
        tree.put("holiday/day1/b.bin", ByteSize.MIB + 4_321);
        tree.put("holiday/day1/night/c.bin", 12_345L);
        tree.put("holiday/day2/d.bin", 0L);
        long seed = 100;
        for (Map.Entry<String, Long> file : tree.entrySet()) {
            write(browserDir.resolve("local").resolve(file.getKey()), seed++, file.getValue());
        }

        openFolder("imports");
        browser.findElement(By.id("upload-folder-input")).sendKeys(browserDir.resolve("local/holiday").toString());
        WebElement summary = awaitUploads(tree.size());
        assertThat(summary.getDomAttribute("data-failed")).isEqualTo("0");
        assertThat(browser.findElement(By.id("upload-summary-text")).getText())
                .startsWith(tree.size() + " of " + tree.size() + " files uploaded");

        seed = 100;
        for (Map.Entry<String, Long> file : tree.entrySet()) {
            assertThat(cluster.client().stat("imports/" + file.getKey()).sha256()).as(file.getKey())
                    .isEqualTo(TestBytes.sha256(seed++, file.getValue()));
        }
        assertThat(names("imports/holiday")).containsExactly("a.bin", "day1", "day2");
        assertThat(names("imports/holiday/day1")).containsExactly("b.bin", "night");

        wait.until(d -> rowNames().equals(List.of("holiday")));
        saveScreenshot();
    }

    @Test
    void filesDroppedOnTheListingAreUploadedIntoTheFolderShown() {
        cluster.client().mkdirs("drops");
        openFolder("drops");
        @SuppressWarnings("unchecked")
        Map<String, Object> drag = (Map<String, Object>) browser.executeScript("""
                const zone = document.getElementById('drop-zone');
                const bytes = new Uint8Array(200000);
                for (let i = 0; i < bytes.length; i++) { bytes[i] = (i * 31 + 7) & 255; }
                const files = new DataTransfer();
                files.items.add(new File([bytes], 'dropped.bin', { type: 'application/octet-stream' }));
                files.items.add(new File([arguments[0]], 'dropped.txt', { type: 'text/plain' }));
                const fire = (type) => zone.dispatchEvent(
                    new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: files }));
                fire('dragenter');
                fire('dragover');
                const during = zone.classList.contains('dragging');
                fire('drop');
                return { during, after: zone.classList.contains('dragging') };
                """, HOSTILE_TEXT);
        assertThat(drag).containsEntry("during", true).containsEntry("after", false);

        awaitUploads(2);
        byte[] bin = new byte[200_000];
        for (int i = 0; i < bin.length; i++) {
            bin[i] = (byte) ((i * 31 + 7) & 255);
        }
        assertThat(cluster.client().stat("drops/dropped.bin").sha256()).isEqualTo(sha256(bin));
        assertThat(cluster.client().stat("drops/dropped.txt").sha256())
                .isEqualTo(sha256(HOSTILE_TEXT.getBytes(StandardCharsets.UTF_8)));
        wait.until(d -> rowNames().equals(List.of("dropped.bin", "dropped.txt")));
    }

    /**
     * A folder dropped from the file system, as the OS hands it to Chromium (DevTools'
     * Input.dispatchDragEvent with the folder's path): the page walks its entries and the cluster then
     * holds exactly that tree, every file byte for byte, and its empty folders too.
     */
    @Test
    void aFolderDroppedFromTheFileSystemLandsAsTheSameTreeWithItsEmptyFolders() throws Exception {
        cluster.client().mkdirs("os-drops");
        Path local = browserDir.resolve("album");
        long seed = 400;
        for (Map.Entry<String, Long> file : Map.of(
                "cover.bin", 300_000L,
                "disc1/track.bin", ByteSize.MIB + 4_321,
                "disc1/notes/empty.txt", 0L,
                "disc1/notes/liner.txt", 2_000L,
                "disc2/deep/deeper/bonus.bin", 12_345L).entrySet()) {
            write(local.resolve(file.getKey()), seed++, file.getValue());
        }
        Files.createDirectories(local.resolve("unused"));
        Files.createDirectories(local.resolve("disc2/blank/blanker"));
        Map<String, String> expected = localTree(local);
        assertThat(expected).containsKeys("unused/", "disc2/blank/blanker/", "disc1/notes/empty.txt");
        openFolder("os-drops");

        WebElement zone = browser.findElement(By.id("drop-zone"));
        @SuppressWarnings("unchecked")
        List<Number> centre = (List<Number>) browser.executeScript("""
                arguments[0].scrollIntoView({ block: 'center' });
                const box = arguments[0].getBoundingClientRect();
                return [box.left + box.width / 2, box.top + box.height / 2];
                """, zone);
        // DragData as a file manager hands it over: no data items, the dragged path, copy (1) allowed.
        Map<String, Object> data = Map.of("items", List.of(), "files", List.of(local.toString()),
                "dragOperationsMask", 1);
        for (String type : List.of("dragEnter", "dragOver")) {
            drag(type, centre, data);
        }
        wait.until(d -> "true".equals(zone.getDomAttribute("data-dragging")));
        drag("drop", centre, data);
        wait.until(d -> "false".equals(zone.getDomAttribute("data-dragging")));

        long files = expected.keySet().stream().filter(path -> !path.endsWith("/")).count();
        WebElement summary = awaitUploads((int) files);
        assertThat(summary.getDomAttribute("data-failed")).isEqualTo("0");
        assertThat(clusterTree("os-drops/album")).isEqualTo(expected);
        assertThat(cluster.client().stat("os-drops/album/disc1/track.bin").size()).isGreaterThan(ByteSize.MIB);
        wait.until(d -> rowNames().equals(List.of("album")));
    }

    @Test
    void parallelUploadsNeverExceedTheBoundAndAllLandByteExact() throws Exception {
        cluster.client().mkdirs("many");
        int count = 10;
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Path file = browserDir.resolve("many").resolve("part-" + i + ".bin");
            write(file, 200 + i, 150_000 + 1_000L * i);
            paths.add(file.toString());
        }
        openFolder("many");
        // Every value data-running and data-queued take is recorded: each change's old value, and the last.
        browser.executeScript("""
                const summary = document.getElementById('upload-summary');
                window.seen = { running: 0, queued: 0 };
                const note = (name, value) => {
                  const key = name.replace('data-', '');
                  window.seen[key] = Math.max(window.seen[key], Number(value || 0));
                };
                new MutationObserver((records) => {
                  for (const record of records) {
                    note(record.attributeName, record.oldValue);
                    note(record.attributeName, summary.getAttribute(record.attributeName));
                  }
                }).observe(summary, { attributes: true, attributeOldValue: true,
                                      attributeFilter: ['data-running', 'data-queued'] });
                """);
        browser.findElement(By.id("upload-input")).sendKeys(String.join("\n", paths));
        WebElement summary = awaitUploads(count);
        assertThat(summary.getDomAttribute("data-limit")).isEqualTo(String.valueOf(UPLOAD_BOUND));

        @SuppressWarnings("unchecked")
        Map<String, Long> seen = (Map<String, Long>) browser.executeScript("return window.seen;");
        // More files than slots: the slots all filled, the rest waited, and never more ran at once.
        assertThat(seen.get("running")).isEqualTo((long) UPLOAD_BOUND);
        assertThat(seen.get("queued")).isEqualTo((long) count - UPLOAD_BOUND);
        for (int i = 0; i < count; i++) {
            assertThat(cluster.client().stat("many/part-" + i + ".bin").sha256())
                    .isEqualTo(TestBytes.sha256(200 + i, 150_000 + 1_000L * i));
        }
        assertThat(browser.findElements(By.cssSelector("#uploads [data-state='done']"))).hasSize(count);
    }

    @Test
    void renameMovesAFileIntoAnotherFolderAndRefusesAnExistingTarget() {
        upload("moves/a.txt", 11, 5_000);
        upload("moves/b.txt", 12, 6_000);
        upload("moves/archive/kept.txt", 13, 7_000);
        openFolder("moves");
        wait.until(d -> rowNames().equals(List.of("a.txt", "archive", "b.txt")));

        rename("a.txt", "archive/moved.txt");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("files-message"), "is now"));
        assertThat(names("moves")).containsExactly("archive", "b.txt");
        assertThat(cluster.client().stat("moves/archive/moved.txt").sha256()).isEqualTo(TestBytes.sha256(11, 5_000));
        wait.until(d -> rowNames().equals(List.of("archive", "b.txt")));

        // An existing target: refused with 409, said plainly, and both files as they were.
        rename("b.txt", "/moves/archive/kept.txt");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("files-message"), "already exists"));
        assertThat(browser.findElement(By.id("files-message")).getText())
                .contains("/moves/archive/kept.txt", "Nothing was changed");
        assertThat(cluster.client().stat("moves/b.txt").sha256()).isEqualTo(TestBytes.sha256(12, 6_000));
        assertThat(cluster.client().stat("moves/archive/kept.txt").sha256()).isEqualTo(TestBytes.sha256(13, 7_000));
        assertThat(names("moves/archive")).containsExactly("kept.txt", "moved.txt");
    }

    /**
     * Nine selected entries, two of them folders with files at several depths, are deleted after one
     * confirmation, several at once but never more than the page's bound; exactly those are gone from
     * the cluster, and the entries not selected remain with their bytes.
     */
    @Test
    void deletingASelectionRemovesExactlyTheSelectedEntriesAtMostFourAtOnce() {
        List<String> chosen = new ArrayList<>();
        long seed = 20;
        for (int i = 1; i <= 7; i++) {
            upload("cleanup/doomed-" + i + ".txt", seed++, 100 * i);
            chosen.add("doomed-" + i + ".txt");
        }
        upload("cleanup/old/x.bin", seed++, 100);
        upload("cleanup/old/deeper/y.bin", seed++, 100);
        upload("cleanup/stale/z.bin", seed++, 100);
        chosen.addAll(List.of("old", "stale"));
        upload("cleanup/keep.txt", 50, 1_000);
        upload("cleanup/kept/inner.bin", 51, 2_000);
        openFolder("cleanup");
        wait.until(d -> rowNames().size() == chosen.size() + 2);

        chosen.forEach(this::select);
        WebElement delete = browser.findElement(By.id("delete-selected"));
        assertThat(delete.getText()).isEqualTo("Delete selected (9)");
        // Every DELETE the page sends is counted while it is in flight.
        browser.executeScript("""
                window.deletes = { sent: 0, inFlight: 0, most: 0 };
                const send = window.fetch;
                window.fetch = (resource, options) => {
                  if (!options || options.method !== 'DELETE') {
                    return send(resource, options);
                  }
                  const deletes = window.deletes;
                  deletes.sent++;
                  deletes.most = Math.max(deletes.most, ++deletes.inFlight);
                  return send(resource, options).finally(() => deletes.inFlight--);
                };
                """);
        delete.click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-dialog")));
        assertThat(browser.findElement(By.id("confirm-text")).getText())
                .startsWith("9 selected entries will be deleted (2 folders with everything in them)");
        browser.findElement(By.id("confirm-ok")).click();

        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("files-message"), "Deleted 9 entries."));
        @SuppressWarnings("unchecked")
        Map<String, Long> deletes = (Map<String, Long>) browser.executeScript("return window.deletes;");
        assertThat(deletes.get("sent")).isEqualTo(chosen.size());
        assertThat(deletes.get("inFlight")).isZero();
        assertThat(deletes.get("most")).isGreaterThan(1).isLessThanOrEqualTo(DELETE_BOUND);

        assertThat(names("cleanup")).containsExactly("keep.txt", "kept");
        assertThat(cluster.client().stat("cleanup/keep.txt").sha256()).isEqualTo(TestBytes.sha256(50, 1_000));
        assertThat(cluster.client().stat("cleanup/kept/inner.bin").sha256()).isEqualTo(TestBytes.sha256(51, 2_000));
        wait.until(d -> rowNames().equals(List.of("keep.txt", "kept")));
        assertThat(browser.findElement(By.id("delete-selected")).isEnabled()).isFalse();
    }

    @Test
    void sortingBySizeOrdersTheRowsTheFilterHidesTheRestAndAFolderShowsItsSize() {
        upload("sorting/a-big.bin", 31, 5_000);
        upload("sorting/b-small.bin", 32, 10);
        upload("sorting/c-mid.bin", 33, 300);
        upload("sorting/d-folder/x.bin", 34, 1_500);
        upload("sorting/d-folder/deep/y.bin", 35, 500);
        openFolder("sorting");
        wait.until(d -> rowNames().equals(List.of("a-big.bin", "b-small.bin", "c-mid.bin", "d-folder")));

        WebElement size = browser.findElement(By.cssSelector("th[data-sort='size']"));
        size.findElement(By.tagName("button")).click();
        assertThat(size.getDomAttribute("aria-sort")).isEqualTo("ascending");
        assertThat(browser.findElement(By.cssSelector("th[data-sort='name']")).getDomAttribute("aria-sort")).isNull();
        assertThat(rowNames()).containsExactly("b-small.bin", "c-mid.bin", "d-folder", "a-big.bin");
        size.findElement(By.tagName("button")).click();
        assertThat(size.getDomAttribute("aria-sort")).isEqualTo("descending");
        assertThat(rowNames()).containsExactly("a-big.bin", "d-folder", "c-mid.bin", "b-small.bin");

        WebElement folder = browser.findElement(By.cssSelector("tr[data-name='d-folder']"));
        assertThat(folder.getDomAttribute("data-size")).isEqualTo("2000");
        assertThat(folder.findElement(By.cssSelector("td.num")).getText()).isEqualTo("2.0 KiB");

        browser.findElement(By.id("filter")).sendKeys("M");
        assertThat(rowNames()).containsExactly("c-mid.bin", "b-small.bin");
        browser.findElement(By.id("filter")).sendKeys("Z");
        assertThat(browser.findElement(By.id("entries")).getText()).contains("Nothing on this page has");
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

    /**
     * With access control on and a token, an MP4 previews as a video and a WAV as audio, each with
     * controls, not playing by itself, loaded from a presigned URL that Chromium really reads (the
     * media's metadata arrives: a duration and, for the video, a frame size); no request the page
     * made carries the token.
     */
    @Test
    void videoAndAudioPreviewLoadFromAPresignedUrlAndNoUrlCarriesTheToken() throws Exception {
        try (InputStream video = DashboardFilesIT.class.getResourceAsStream("/video/seek-test.mp4")) {
            assertThat(video).isNotNull();
            cluster.client().upload("media/clip.mp4", video, UploadOptions.defaults().withContentType("video/mp4"));
        }
        int toneSeconds = 1;
        cluster.client().upload("media/tone.wav", new ByteArrayInputStream(sineWav(toneSeconds)),
                UploadOptions.defaults().withContentType("audio/wav"));
        openFolder("media");

        Map<String, Object> video = loadedPreview("clip.mp4", "video");
        assertThat(((Number) video.get("duration")).doubleValue()).isPositive();
        assertThat(((Number) video.get("width")).intValue()).isPositive();
        assertThat(((Number) video.get("height")).intValue()).isPositive();
        browser.findElement(By.id("details-close")).click();

        Map<String, Object> audio = loadedPreview("tone.wav", "audio");
        assertThat(((Number) audio.get("duration")).doubleValue()).isCloseTo(toneSeconds, within(0.05));
        browser.findElement(By.id("details-close")).click();
        // Closing the details takes the preview, and the player in it, away.
        assertThat(browser.findElements(By.cssSelector("#details-preview video, #details-preview audio"))).isEmpty();

        @SuppressWarnings("unchecked")
        List<String> urls = (List<String>) browser.executeScript("""
                return [location.href, ...performance.getEntriesByType('navigation').map((e) => e.name),
                        ...performance.getEntriesByType('resource').map((e) => e.name)];
                """);
        // The media requests are among them, each to a presigned URL.
        assertThat(urls)
                .anyMatch(u -> u.contains("/api/v1/files/media/clip.mp4?") && u.contains("X-Granary-Signature="))
                .anyMatch(u -> u.contains("/api/v1/files/media/tone.wav?") && u.contains("X-Granary-Signature="))
                .noneMatch(u -> u.contains(cluster.adminToken()));
    }

    /**
     * Opens the details of {@code name}, waits for its {@code kind} ("video" or "audio") preview to
     * have its metadata, checks how it is loaded and returns its duration and, for a video, its size.
     */
    private Map<String, Object> loadedPreview(String name, String kind) {
        openDetails(name);
        WebElement media = wait.until(d -> d.findElement(
                By.cssSelector("#details-preview[data-preview='" + kind + "'] " + kind)));
        assertThat(media.getDomAttribute("src")).contains("X-Granary-Signature=")
                .doesNotContain(cluster.adminToken());
        assertThat(media.getDomAttribute("controls")).isNotNull();
        assertThat(media.getDomAttribute("autoplay")).isNull();
        // HAVE_METADATA: the browser fetched and parsed the file's header from the presigned URL.
        wait.until(d -> (Boolean) browser.executeScript("return arguments[0].readyState >= 1;", media));
        @SuppressWarnings("unchecked")
        Map<String, Object> facts = (Map<String, Object>) browser.executeScript("""
                const media = arguments[0];
                return { duration: media.duration, paused: media.paused, error: media.error ? media.error.code : 0,
                         width: media.videoWidth ?? 0, height: media.videoHeight ?? 0 };
                """, media);
        assertThat(facts).as(name).containsEntry("paused", true).containsEntry("error", 0L);
        assertThat(facts.get("duration")).as(name).isInstanceOf(Number.class);
        return facts;
    }

    /** Opens the dashboard at {@code folder} with the admin token in the tab's session storage. */
    private void openFolder(String folder) {
        browser.get(cluster.gatewayUrl() + "/#/" + folder);
        browser.executeScript("sessionStorage.setItem('granary.token', arguments[0]);", cluster.adminToken());
        browser.navigate().refresh();
        wait.until(d -> d.findElement(By.id("whoami")).getText().contains("admin"));
        wait.until(d -> !d.findElements(By.cssSelector("#entries tr")).isEmpty());
    }

    /** Waits until the summary says every one of {@code files} finished, and returns it. */
    private WebElement awaitUploads(int files) {
        WebElement summary = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("upload-summary")));
        wait.until(d -> "done".equals(summary.getDomAttribute("data-state"))
                && String.valueOf(files).equals(summary.getDomAttribute("data-total")));
        assertThat(summary.getDomAttribute("data-done")).as(summary.getText()).isEqualTo(String.valueOf(files));
        return summary;
    }

    private void rename(String name, String target) {
        browser.findElement(By.cssSelector("tr[data-name='" + name + "'] button.rename")).click();
        WebElement input = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("rename-input")));
        assertThat(input.getDomProperty("value")).isEqualTo(name);
        input.clear();
        input.sendKeys(target);
        browser.findElement(By.cssSelector("#rename-form button[type=submit]")).click();
    }

    private void select(String name) {
        browser.findElement(By.cssSelector("tr[data-name='" + name + "'] input.select")).click();
    }

    private void openDetails(String name) {
        wait.until(ExpectedConditions.elementToBeClickable(
                By.cssSelector("tr[data-name='" + name + "'] .entry.file"))).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("details-dialog")));
    }

    /** The names of the listing's rows, top to bottom. */
    private List<String> rowNames() {
        return browser.findElements(By.cssSelector("#entries tr[data-name]")).stream()
                .map(row -> row.getDomAttribute("data-name")).toList();
    }

    /** The names in a folder of the cluster, in the gateway's order. */
    private static List<String> names(String folder) {
        return cluster.client().list(folder, null, 1000).entries().stream().map(DirectoryEntry::name).toList();
    }

    /** One step of a drag from outside the page, at {@code point} of the viewport. */
    private void drag(String type, List<Number> point, Map<String, Object> data) {
        browser.executeCdpCommand("Input.dispatchDragEvent", Map.of("type", type,
                "x", point.get(0).doubleValue(), "y", point.get(1).doubleValue(), "data", data));
    }

    /** Below {@code root} on disk: each file's relative path → its SHA-256, each folder's path + "/" → "". */
    private static Map<String, String> localTree(Path root) throws IOException {
        Map<String, String> tree = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.filter(p -> !p.equals(root)).toList()) {
                String name = root.relativize(path).toString().replace('\\', '/');
                if (Files.isDirectory(path)) {
                    tree.put(name + "/", "");
                } else {
                    TestBytes.Sha256Sink sink = new TestBytes.Sha256Sink();
                    Files.copy(path, sink);
                    tree.put(name, sink.hex());
                }
            }
        }
        return tree;
    }

    /** The same for a folder of the cluster, each file's SHA-256 from its stat. */
    private static Map<String, String> clusterTree(String root) {
        Map<String, String> tree = new TreeMap<>();
        addClusterTree(root, "", tree);
        return tree;
    }

    private static void addClusterTree(String root, String folder, Map<String, String> tree) {
        String path = folder.isEmpty() ? root : root + "/" + folder;
        for (DirectoryEntry entry : cluster.client().list(path, null, 1000).entries()) {
            String name = folder.isEmpty() ? entry.name() : folder + "/" + entry.name();
            if (entry.type() == EntryType.DIRECTORY) {
                tree.put(name + "/", "");
                addClusterTree(root, name, tree);
            } else {
                tree.put(name, cluster.client().stat(root + "/" + name).sha256());
            }
        }
    }

    private static void upload(String path, long seed, long size) {
        cluster.client().upload(path, TestBytes.stream(seed, size), UploadOptions.defaults());
    }

    private static void write(Path file, long seed, long size) throws IOException {
        Files.createDirectories(file.getParent());
        try (InputStream in = TestBytes.stream(seed, size)) {
            Files.copy(in, file);
        }
    }

    /** {@code seconds} of a 440 Hz sine tone as a WAV file: mono 16-bit PCM at 22,050 frames a second. */
    private static byte[] sineWav(int seconds) throws IOException {
        float rate = 22_050;
        int frames = (int) rate * seconds;
        ByteBuffer pcm = ByteBuffer.allocate(frames * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < frames; i++) {
            pcm.putShort((short) (Math.sin(2 * Math.PI * 440 * i / rate) * 10_000));
        }
        AudioFormat format = new AudioFormat(rate, 16, 1, true, false);
        ByteArrayOutputStream wav = new ByteArrayOutputStream();
        AudioSystem.write(new AudioInputStream(new ByteArrayInputStream(pcm.array()), format, frames),
                AudioFileFormat.Type.WAVE, wav);
        return wav.toByteArray();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Saves the file browser's part of the page, below the sticky header. */
    private void saveScreenshot() throws IOException {
        browser.executeScript("window.scrollTo(0, document.getElementById('files').offsetTop - 70);");
        Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
        Path target = Path.of(SCREENSHOT);
        Files.createDirectories(target.toAbsolutePath().getParent());
        Files.copy(shot, target, StandardCopyOption.REPLACE_EXISTING);
    }
}
