package io.granary.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.granary.common.ByteSize;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code docs/grafana-dashboard.json} against a real cluster: Grafana can import it (a schema
 * version, a Prometheus data source variable that every panel and query uses), and every metric
 * its queries name is served by the gateway, the master or a chunkserver once traffic has gone
 * through, so the dashboard cannot drift from the code.
 */
class GrafanaDashboardIT {
    static final Path DASHBOARD = Path.of("..", "docs", "grafana-dashboard.json");
    static final String DATASOURCE_UID = "${datasource}";
    /** Identifiers in PromQL that are operators, not metrics. */
    static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset");
    /** A name not preceded by a word character, a dot or {@code $}, and not followed by {@code (}. */
    static final Pattern NAME = Pattern.compile("(?<![\\w.$])[a-zA-Z_:][a-zA-Z0-9_:]*+(?!\\s*\\()");
    static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final MiniGranary cluster = MiniGranary.builder()
            .chunkSize(ByteSize.MIB)
            .heartbeat(Duration.ofMillis(200), Duration.ofSeconds(1))
            .build();

    @Test
    void grafanaImportsItWithAPrometheusDataSourceChosenAtImport() throws IOException {
        JsonNode dashboard = JSON.readTree(DASHBOARD.toFile());

        assertThat(dashboard.path("schemaVersion").asInt()).isPositive();
        assertThat(dashboard.path("uid").asText()).isNotEmpty();
        assertThat(dashboard.path("templating").path("list")).anySatisfy(variable -> {
            assertThat(variable.path("type").asText()).isEqualTo("datasource");
            assertThat(variable.path("query").asText()).isEqualTo("prometheus");
            assertThat("${" + variable.path("name").asText() + "}").isEqualTo(DATASOURCE_UID);
        });
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            assertThat(ids.add(panel.path("id").asInt())).as("unique id of %s", panel.path("title")).isTrue();
            assertThat(panel.path("gridPos").path("w").asInt()).isBetween(1, 24);
            if (!panel.path("type").asText().equals("row")) {
                assertThat(panel.path("datasource").path("uid").asText()).as(panel.path("title").asText())
                        .isEqualTo(DATASOURCE_UID);
                assertThat(panel.path("targets")).as(panel.path("title").asText()).isNotEmpty().allSatisfy(target -> {
                    assertThat(target.path("expr").asText()).isNotBlank();
                    assertThat(target.path("datasource").path("uid").asText()).isEqualTo(DATASOURCE_UID);
                });
            }
        }
    }

    @Test
    void everyMetricItsQueriesNameIsServedByTheClusterAfterTraffic() throws IOException {
        Set<String> queried = new TreeSet<>();
        for (String expr : exprs(JSON.readTree(DASHBOARD.toFile()))) {
            queried.addAll(metricNames(expr));
        }
        assertThat(queried).contains("granary_http_requests_seconds_bucket", "granary_grpc_server_calls_seconds_bucket",
                "granary_redis_command_completion_seconds_bucket", "jvm_memory_used_bytes");

        Http http = new Http(cluster);
        long size = 2 * ByteSize.MIB + 1;
        assertThat(http.put("dashboard/file", 1, size).statusCode()).isEqualTo(201);
        assertThat(http.get("dashboard/file").sha256()).isEqualTo(TestBytes.sha256(1, size));

        // the heartbeat age of a chunkserver appears with its first heartbeat answer
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(servedNames()).as("series served by the cluster").containsAll(queried));
    }

    /** The sample names the gateway, the master and every chunkserver serve now. */
    private static Set<String> servedNames() {
        Set<String> names = new HashSet<>(PrometheusText.scrape(cluster.gatewayUrl() + "/metrics").names());
        names.addAll(PrometheusText.scrapePort(cluster.masterMetricsPort()).names());
        for (int i = 0; i < 3; i++) {
            names.addAll(PrometheusText.scrapePort(cluster.chunkServerMetricsPort(i)).names());
        }
        return names;
    }

    /** Every {@code expr} in the dashboard, in panels and rows alike. */
    private static List<String> exprs(JsonNode dashboard) {
        List<String> exprs = new ArrayList<>();
        for (JsonNode expr : dashboard.findValues("expr")) {
            exprs.add(expr.asText());
        }
        assertThat(exprs).isNotEmpty();
        return exprs;
    }

    /**
     * The metric names of a PromQL expression: the identifiers left once strings, label matchers,
     * range selectors and {@code by (…)} style label lists are cut, which are not functions or operators.
     * Names are as a scrape writes them ({@code _bucket}, {@code _count}, {@code _total} included).
     */
    static Set<String> metricNames(String expr) {
        String bare = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "")
                .replaceAll("\\{[^}]*}", "")
                .replaceAll("\\[[^]]*]", "")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", "");
        Set<String> names = new TreeSet<>();
        Matcher m = NAME.matcher(bare);
        while (m.find()) {
            if (!KEYWORDS.contains(m.group())) {
                names.add(m.group());
            }
        }
        return names;
    }
}
