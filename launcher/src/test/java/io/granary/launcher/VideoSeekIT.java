package io.granary.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.granary.client.UploadOptions;
import io.granary.common.ByteSize;
import io.granary.master.testing.RedisFixture;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real headless Chromium plays an MP4 stored in Granary and seeks inside it: the page and the
 * video are both served by the gateway, the video spread over several 64 KiB chunks, so the browser's
 * Range requests cross chunk boundaries. {@code .ci/run} installs Debian's chromium when it is missing.
 */
class VideoSeekIT {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @TempDir
    Path dir;
    RedisFixture redis;
    LocalCluster cluster;

    @BeforeEach
    void startCluster() {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), "needs Debian's chromium (.ci/run installs it)");
        redis = RedisFixture.start(dir);
        cluster = LocalCluster.start(LocalSettings.defaults(dir, 0)
                .withRedisUri(redis.uri())
                .withChunkSizeBytes(64 * ByteSize.KIB));
    }

    @AfterEach
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
            redis.close();
        }
    }

    @Test
    void chromiumSeeksInsideAnMp4ServedFromChunks() throws Exception {
        upload("site/seek-test.mp4", "/video/seek-test.mp4", "");
        upload("site/seek.html", "/video/seek.html", "text/html; charset=utf-8");
        assertThat(cluster.client().stat("site/seek-test.mp4").chunks()).hasSizeGreaterThan(2);

        String dom = dumpDom(cluster.gatewayUrl() + "/api/v1/files/site/seek.html");

        // The page reports once the frame at 7 s is decodable, with the status of each video request.
        assertThat(dom).containsPattern("seeked 7\\.0 of 10\\.0 readyState [234] statuses 206(,206)*<");
    }

    private void upload(String path, String resource, String contentType) throws IOException {
        try (InputStream in = getClass().getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            // public: a browser's <video> sends no Authorization header, so the files are readable without one
            cluster.client().upload(path, in, UploadOptions.defaults().withContentType(contentType)
                    .withVisibility(io.granary.common.Visibility.PUBLIC));
        }
    }

    /** Loads the page in headless Chromium and prints its DOM once the page's scripts have run. */
    private String dumpDom(String url) throws Exception {
        Process chromium = new ProcessBuilder(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--mute-audio",
                "--user-data-dir=" + dir.resolve("chromium-profile"),
                "--virtual-time-budget=20000", "--dump-dom", url))
                .redirectError(dir.resolve("chromium.log").toFile())
                .start();
        byte[] out = chromium.getInputStream().readAllBytes();
        if (!chromium.waitFor(90, TimeUnit.SECONDS)) {
            chromium.destroyForcibly();
        }
        String dom = new String(out, StandardCharsets.UTF_8);
        return dom;
    }
}
