package io.granary.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.granary.common.ByteSize;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory is bounded by configuration, not by file size: the built {@code granary.jar} runs
 * {@code local} in its own JVM with a 256 MiB heap (and dies at once on OutOfMemoryError), and a
 * 2 GiB file goes in and comes back out byte for byte. The process's peak RSS is printed for the README.
 */
class MemoryIT {
    static final long SIZE = 2 * ByteSize.GIB;
    static final Pattern GATEWAY_URL = Pattern.compile("HTTP gateway\\s+(http://\\S+)/api/v1/files/");

    @TempDir
    Path dir;
    Process process;

    @Test
    void twoGibibytesGoInAndOutOfALocalClusterWith256MiBOfHeap() throws Exception {
        Path jar = Path.of("target", "granary.jar").toAbsolutePath();
        assertThat(jar).as("built by the package phase").exists();
        String token = LocalSettings.randomToken();
        ProcessBuilder builder = new ProcessBuilder(List.of(javaBinary(), "-Xmx256m", "-XX:+ExitOnOutOfMemoryError",
                "-jar", jar.toString(), "local", "--port", "0", "--data", dir.resolve("data").toString()))
                .redirectErrorStream(true);
        builder.environment().put("GRANARY_ADMIN_TOKEN", token);
        process = builder.start();
        Http http = new Http(awaitGatewayUrl(), token, Duration.ofMinutes(5));

        assertThat(http.put("big/2GiB.bin", 2, SIZE).statusCode()).isEqualTo(201);
        Http.Download got = http.get("big/2GiB.bin");

        assertThat(got.length()).isEqualTo(SIZE);
        assertThat(got.sha256()).isEqualTo(TestBytes.sha256(2, SIZE));
        assertThat(process.isAlive()).as("the cluster survived").isTrue();
        System.out.println("local cluster at -Xmx256m moved 2 GiB up and down; peak RSS " + peakRss(process.pid()));
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /** Reads the child's output (echoing it) until the banner names the gateway's URL. */
    private String awaitGatewayUrl() throws Exception {
        CompletableFuture<String> url = new CompletableFuture<>();
        Thread pump = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    System.out.println("[local] " + line);
                    Matcher m = GATEWAY_URL.matcher(line);
                    if (m.find()) {
                        url.complete(m.group(1));
                    }
                }
                url.completeExceptionally(new IllegalStateException("granary local exited with " + process.waitFor()));
            } catch (IOException | InterruptedException e) {
                url.completeExceptionally(e);
            }
        }, "local-output");
        pump.setDaemon(true);
        pump.start();
        return url.get(60, TimeUnit.SECONDS);
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String peakRss(long pid) throws IOException {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        if (!Files.exists(status)) {
            return "unknown (no /proc)";
        }
        return Files.readAllLines(status).stream().filter(line -> line.startsWith("VmHWM"))
                .map(line -> line.replaceAll("VmHWM:\\s*", "")).findFirst().orElse("unknown");
    }
}
