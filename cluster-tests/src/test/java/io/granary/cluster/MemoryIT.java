package io.granary.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.granary.common.BoundedJvm;
import io.granary.common.ByteSize;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory is bounded by configuration, not by file size: the built {@code granary.jar} runs
 * {@code local} in its own JVM with the options the README gives it ({@link BoundedJvm#OPTIONS}: a
 * 128 MiB heap and bounded native memory), dying at once on OutOfMemoryError, and a 2 GiB file goes
 * in and comes back out byte for byte. The process's peak RSS is printed for the README.
 */
class MemoryIT {
    static final long SIZE = 2 * ByteSize.GIB;

    @TempDir
    Path dir;

    @Test
    void twoGibibytesGoInAndOutOfALocalClusterRunWithItsBoundedJvmOptions() throws Exception {
        try (LocalProcess local = LocalProcess.start(dir.resolve("data"), List.of("-XX:+ExitOnOutOfMemoryError"),
                List.of())) {
            Http http = local.http(Duration.ofMinutes(5));

            assertThat(http.put("big/2GiB.bin", 2, SIZE).statusCode()).isEqualTo(201);
            Http.Download got = http.get("big/2GiB.bin");

            assertThat(got.length()).isEqualTo(SIZE);
            assertThat(got.sha256()).isEqualTo(TestBytes.sha256(2, SIZE));
            assertThat(local.process().isAlive()).as("the cluster survived").isTrue();
            System.out.println("local cluster with " + BoundedJvm.OPTIONS + " moved 2 GiB up and down; peak RSS "
                    + peakRss(local.process().pid()));
        }
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
