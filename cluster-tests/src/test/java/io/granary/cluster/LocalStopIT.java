package io.granary.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code granary local} stopped as Ctrl-C or {@code docker stop} stop it (SIGTERM, in a JVM of its own):
 * its parts stop in order, Redis last, so the master still reaches Redis to release its lease; the
 * next start on the same data serves every file.
 */
class LocalStopIT {
    private static final Predicate<String> REDIS_STOPPED = line -> line.matches(".*redis:\\d+: stopped.*");

    @TempDir
    Path dir;

    @Test
    void sigtermStopsThePartsInOrderWithRedisLastAndTheNextStartServesEveryFile() throws Exception {
        Path data = dir.resolve("data");
        List<String> output;
        try (LocalProcess local = LocalProcess.start(data, List.of(), List.of())) {
            assertThat(local.http(Duration.ofSeconds(60)).put("kept/file.bin", 7, 300_000).statusCode()).isEqualTo(201);

            local.close();
            output = List.copyOf(local.output());
        }

        assertThat(output).anyMatch(line -> line.contains("master: released the master lease"))
                .noneMatch(line -> line.contains("could not release the master lease"));
        int masterStopped = indexOf(output, line -> line.contains("master: stopped"));
        assertThat(masterStopped).as("the master stopped").isNotNegative();
        assertThat(indexOf(output, REDIS_STOPPED)).as("Redis stopped after the master").isGreaterThan(masterStopped);

        try (LocalProcess again = LocalProcess.start(data, List.of(), List.of())) {
            assertThat(again.http(Duration.ofSeconds(60)).get("kept/file.bin").sha256())
                    .isEqualTo(TestBytes.sha256(7, 300_000));
        }
    }

    private static int indexOf(List<String> lines, Predicate<String> match) {
        for (int i = 0; i < lines.size(); i++) {
            if (match.test(lines.get(i))) {
                return i;
            }
        }
        return -1;
    }
}
