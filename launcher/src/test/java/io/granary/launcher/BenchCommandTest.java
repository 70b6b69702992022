package io.granary.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.granary.launcher.Granary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code granary bench --quick} end to end: a real cluster in a child JVM (started from the
 * test classpath), the loopback server, the disk baselines. Checks that every figure is there and
 * positive; never how fast anything is.
 */
class BenchCommandTest {
    private static final List<String> SIZES = List.of("64KiB");
    private static final List<String> TARGETS = List.of("HTTP", "client");

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES) // a hang guard, not a timing check
    void quickRunReportsEveryFigureWithItsBaseline() throws Exception {
        Path json = dir.resolve("report.json");

        int exit = Granary.commandLine().execute("bench", "--quick", "--sizes", "64KiB", "--small-ops", "16",
                "--data", dir.toString(), "--json", json.toString());

        assertThat(exit).isZero();
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        assertThat(names(report.get("figures"))).containsExactlyInAnyOrderElementsOf(expectedFigures());
        for (JsonNode figure : report.get("figures")) {
            assertPositive(figure, "median", "min", "max", "baselineMedian", "ratio");
            assertThat(figure.get("values")).hasSize(3);
        }
        assertThat(report.get("baselines")).hasSize(SIZES.size() * 3 + 3);
        report.get("baselines").forEach(baseline -> assertPositive(baseline, "median", "min", "max"));
        assertThat(names(report.get("memory"))).containsExactly("cluster JVM peak RSS (VmHWM)",
                "redis-server peak RSS (VmHWM)", "cluster peak RSS (JVM + redis-server)",
                "gateway heap high-water (cluster JVM heap)");
        report.get("memory").forEach(memory -> assertPositive(memory, "peak"));
        assertThat(report.get("targets")).hasSize(9);
        try (var left = Files.list(dir)) {
            assertThat(left).containsExactly(json); // the temporary directory is gone
        }
    }

    private static List<String> expectedFigures() {
        List<String> names = new ArrayList<>();
        for (String target : TARGETS) {
            for (String size : SIZES) {
                names.add("upload " + size + " (" + target + ")");
                names.add("download " + size + " (" + target + ")");
            }
            for (String what : List.of("4KiB uploads", "4KiB downloads", "stat", "list")) {
                for (int c : List.of(1, 16)) {
                    names.add(what + " c" + c + " (" + target + ")");
                }
            }
        }
        return names;
    }

    private static List<String> names(JsonNode array) {
        List<String> names = new ArrayList<>();
        array.forEach(node -> names.add(node.get("name").asText()));
        return names;
    }

    private static void assertPositive(JsonNode node, String... fields) {
        for (String field : fields) {
            assertThat(node.get(field)).as(node.get("name") + " " + field).isNotNull();
            assertThat(node.get(field).asDouble()).as(node.get("name") + " " + field).isPositive();
        }
    }
}
