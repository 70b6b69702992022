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
 * test classpath) with its S3 port, the loopback server, the disk baselines, and the two clusters
 * of the Redis WAIT figures on a primary with a replica. Checks that every figure is there and
 * positive; never how fast anything is. The one size is the least that holds
 * the S3 multipart figure's 4 parts of S3's least part size.
 */
class BenchCommandTest {
    private static final String SIZE = "20MiB";
    private static final List<String> TARGETS = List.of("HTTP", "client", "S3");
    /** The S3 port's own figures, at the largest size. */
    private static final List<String> S3_FIGURES = List.of("upload " + SIZE + " (S3, checksums when required)",
            "multipart upload " + SIZE + ", 4 parts at once (S3)");

    @TempDir
    Path dir;

    @Test
    // a hang guard, not a timing check: on two cores shared with other builds (load average 15) it takes 4 minutes
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void quickRunReportsEveryFigureWithItsBaseline() throws Exception {
        Path json = dir.resolve("report.json");

        int exit = Granary.commandLine().execute("bench", "--quick", "--sizes", SIZE, "--small-ops", "16",
                "--data", dir.toString(), "--json", json.toString());

        assertThat(exit).isZero();
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        assertThat(names(report.get("figures"))).containsExactlyInAnyOrderElementsOf(expectedFigures());
        for (JsonNode figure : report.get("figures")) {
            assertPositive(figure, "median", "min", "max", "baselineMedian", "ratio");
            assertThat(figure.get("values")).hasSize(3);
        }
        assertThat(report.get("baselines")).hasSize(4 + 3); // four of the one size, three of the 4KiB figures
        for (JsonNode figure : report.get("figures")) {
            String name = figure.get("name").asText();
            if (name.startsWith("download " + SIZE)) {
                assertThat(figure.get("baseline").asText()).as(name).isEqualTo(name.endsWith("(client)")
                        ? "loopback TCP JVM to JVM " + SIZE : "loopback HTTP GET " + SIZE);
            }
        }
        report.get("baselines").forEach(baseline -> assertPositive(baseline, "median", "min", "max"));
        assertThat(names(report.get("cpu"))).containsExactlyElementsOf(expectedCpuFigures());
        for (JsonNode cpu : report.get("cpu")) {
            assertThat(cpu.get("unit").asText()).isEqualTo("CPU s/GiB");
            assertThat(cpu.get("values")).hasSize(3).allSatisfy(value -> assertThat(value.asDouble())
                    .as(cpu.get("name").asText()).isNotNegative()); // CPU time is read in 10 ms ticks
        }
        assertThat(names(report.get("redisWait"))).containsExactly("4KiB uploads c1 (HTTP)", "4KiB uploads c16 (HTTP)");
        for (JsonNode cost : report.get("redisWait")) {
            assertThat(cost.get("waitReplicas").asInt()).isEqualTo(1);
            assertThat(cost.get("unit").asText()).isEqualTo("ms/upload");
            for (String side : List.of("withWait", "withoutWait")) {
                assertPositive(cost.get(side), "median", "min", "max");
                assertThat(cost.get(side).get("values")).hasSize(3);
            }
            assertPositive(cost, "ratio");
            assertThat(cost.get("difference").isNumber()).isTrue(); // either sign: not a timing check
        }
        assertThat(names(report.get("memory"))).containsExactly("cluster JVM peak RSS (VmHWM)",
                "redis-server peak RSS (VmHWM)", "cluster peak RSS (JVM + redis-server)",
                "gateway heap high-water (cluster JVM heap)");
        report.get("memory").forEach(memory -> assertPositive(memory, "peak"));
        // per target: durable upload, download, the cluster's CPU per GiB up and down, 4KiB uploads,
        // 4KiB downloads; the client library's CPU per GiB read; S3 against HTTP twice and multipart
        // against PutObject; the cluster's RSS (no 64MiB upload: --quick does not measure one)
        assertThat(report.get("targets")).hasSize(TARGETS.size() * 6 + 1 + 3 + 1);
        report.get("targets").forEach(target -> assertThat(target.get("value").isNumber())
                .as(target.get("target").asText()).isTrue());
        try (var left = Files.list(dir)) {
            assertThat(left).containsExactly(json); // the temporary directory is gone
        }
    }

    private static List<String> expectedFigures() {
        List<String> names = new ArrayList<>(S3_FIGURES);
        for (String target : TARGETS) {
            names.add("upload " + SIZE + " (" + target + ")");
            names.add("download " + SIZE + " (" + target + ")");
            for (String what : List.of("4KiB uploads", "4KiB downloads", "stat", "list")) {
                for (int c : List.of(1, 16)) {
                    names.add(what + " c" + c + " (" + target + ")");
                }
            }
        }
        return names;
    }

    /** The cluster's and the benchmark's CPU per GiB for every transfer at the largest size, in the order run. */
    private static List<String> expectedCpuFigures() {
        List<String> transfers = new ArrayList<>();
        for (String target : TARGETS) {
            transfers.add("upload " + SIZE + " (" + target + ")");
            transfers.add("download " + SIZE + " (" + target + ")");
        }
        transfers.addAll(S3_FIGURES);
        List<String> names = new ArrayList<>();
        for (String transfer : transfers) {
            names.add(transfer + ", cluster");
            names.add(transfer + ", benchmark JVM");
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
