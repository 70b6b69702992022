package io.granary.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.granary.client.UploadOptions;
import io.granary.common.ByteSize;
import io.granary.common.Visibility;
import io.granary.master.testing.RedisFixture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real headless Chromium plays an MP4 stored in Granary and seeks inside it. The page is a web
 * site of its own origin embedding the public video, as user content stored in Granary is served
 * sandboxed and never runs; the video is spread over several 64 KiB chunks, so the browser's Range
 * requests cross chunk boundaries. {@code .ci/run} installs Debian's chromium when it is missing.
 */
class VideoSeekIT {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final String VIDEO = "site/seek-test.mp4";
    /** Chromium's own budget is 20 s of virtual time; this bounds the real wait for its answer. */
    static final long CHROMIUM_DEADLINE_SECONDS = 120;

    @TempDir
    Path dir;
    RedisFixture redis;
    LocalCluster cluster;
    HttpServer site;

    @BeforeEach
    void startCluster() {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), "needs Debian's chromium (.ci/run installs it)");
        redis = RedisFixture.start(dir);
        cluster = LocalCluster.start(LocalSettings.builder(dir, 0)
                .redisUri(redis.uri())
                .chunkSizeBytes(64 * ByteSize.KIB)
                .build());
    }

    @AfterEach
    void stopCluster() {
        if (site != null) {
            site.stop(0);
        }
        if (cluster != null) {
            cluster.close();
            redis.close();
        }
    }

    @Test
    void chromiumSeeksInsideAnMp4ServedFromChunks() throws Exception {
        try (InputStream in = resource("/video/seek-test.mp4")) {
            // public: a browser's <video> sends no Authorization header
            cluster.client().upload(VIDEO, in, UploadOptions.defaults().withVisibility(Visibility.PUBLIC));
        }
        assertThat(cluster.client().stat(VIDEO).chunks()).hasSizeGreaterThan(2);
        String page = new String(resource("/video/seek.html").readAllBytes(), StandardCharsets.UTF_8)
                .replace("VIDEO_URL", cluster.gatewayUrl() + "/api/v1/files/" + VIDEO);

        String dom = dumpDom(serveSite(page) + "/seek.html");

        // The page reports once the frame at 7 s is decodable ...
        assertThat(dom).contains("seeked 7.0 of 10.0 readyState").containsPattern("readyState [234]\\.");
        // ... which the browser reached through ranged GETs answered 206 by the gateway.
        double partial = PrometheusText.scrape(cluster.gatewayUrl() + "/metrics").value(
                "granary_http_requests_seconds_count", Map.of("method", "GET", "status", "206"));
        assertThat(partial).isGreaterThanOrEqualTo(1);
    }

    private InputStream resource(String name) {
        InputStream in = getClass().getResourceAsStream(name);
        assertThat(in).as(name).isNotNull();
        return in;
    }

    /** Serves {@code page} at {@code /seek.html} from a loopback origin other than the gateway's. */
    private String serveSite(String page) throws IOException {
        byte[] body = page.getBytes(StandardCharsets.UTF_8);
        site = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        site.createContext("/seek.html", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        site.start();
        return "http://127.0.0.1:" + site.getAddress().getPort();
    }

    /**
     * Loads the page in headless Chromium and returns its DOM once the page's scripts have run; a
     * Chromium that has not answered by the deadline is killed and whatever it printed is returned.
     */
    private String dumpDom(String url) throws Exception {
        Process chromium = new ProcessBuilder(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--mute-audio",
                "--user-data-dir=" + dir.resolve("chromium-profile"),
                "--virtual-time-budget=20000", "--dump-dom", url))
                .redirectError(dir.resolve("chromium.log").toFile())
                .start();
        ByteArrayOutputStream dom = new ByteArrayOutputStream();
        CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
            try (InputStream out = chromium.getInputStream()) {
                out.transferTo(dom);
            } catch (IOException e) {
                // the process was killed: keep what it printed
            }
        });
        if (!chromium.waitFor(CHROMIUM_DEADLINE_SECONDS, TimeUnit.SECONDS)) {
            chromium.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        reader.get(10, TimeUnit.SECONDS);
        return dom.toString(StandardCharsets.UTF_8);
    }
}
