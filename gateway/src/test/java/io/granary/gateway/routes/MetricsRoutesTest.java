package io.granary.gateway.routes;

import static io.granary.gateway.testing.GatewayFixture.bytes;
import static io.granary.gateway.testing.GatewayFixture.put;
import static org.assertj.core.api.Assertions.assertThat;

import io.granary.client.ClientOptions;
import io.granary.gateway.testing.GatewayFixture;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code GET /metrics}: the Prometheus series after some traffic. */
class MetricsRoutesTest {
    private static final int SIZE = 100_000;

    @RegisterExtension
    final GatewayFixture gateway = new GatewayFixture();

    @Test
    void afterTrafficShowsRequestsPerRouteBodyBytesClusterGaugesAndJvmMetrics() {
        gateway.cluster.chunkserver(3).markDead();
        byte[] content = GatewayFixture.randomBytes(SIZE);
        gateway.test((server, http) -> {
            assertThat(put(http, "/api/v1/files/a/b.bin", content, "application/octet-stream").code()).isEqualTo(201);
            assertThat(bytes(http.get("/api/v1/files/a/b.bin"))).isEqualTo(content);
            assertThat(bytes(http.get("/api/v1/files/a/b.bin"))).isEqualTo(content); // from the chunk cache
            assertThat(http.get("/api/v1/files/a/nope-1").code()).isEqualTo(404);
            assertThat(http.get("/api/v1/files/c/nope-2").code()).isEqualTo(404);

            Response response = http.get("/metrics");
            assertThat(response.header("Content-Type")).startsWith("text/plain");
            String text = response.body().string();

            String files = "route=\"" + route(text) + "\"";
            assertThat(value(text, "granary_http_requests_seconds_count", "method=\"PUT\"", files, "status=\"201\""))
                    .isEqualTo(1);
            assertThat(value(text, "granary_http_requests_seconds_count", "method=\"GET\"", files, "status=\"404\""))
                    .isEqualTo(2); // one series for both paths: the template, not the raw path
            assertThat(value(text, "granary_http_requests_seconds_sum", "method=\"GET\"", files, "status=\"200\""))
                    .isPositive();
            assertThat(text).doesNotContain("a/b.bin").doesNotContain("nope-");
            assertThat(value(text, "granary_http_request_body_bytes_total")).isGreaterThanOrEqualTo(SIZE);
            assertThat(value(text, "granary_http_response_body_bytes_total")).isGreaterThanOrEqualTo(SIZE);
            double tokenHits = value(text, "granary_gateway_auth_cache_hits_total", "credential=\"token\"");
            double tokenMisses = value(text, "granary_gateway_auth_cache_misses_total", "credential=\"token\"");
            assertThat(tokenMisses).as("the first request asks the master").isPositive();
            assertThat(tokenHits + tokenMisses).as("every authenticated request").isGreaterThanOrEqualTo(4);
            assertThat(value(text, "granary_gateway_auth_cache_misses_total", "credential=\"s3_key\"")).isZero();
            double chunkHits = value(text, "granary_gateway_chunk_cache_hits_total");
            assertThat(chunkHits).as("every chunk of the second download").isPositive();
            assertThat(value(text, "granary_gateway_chunk_cache_misses_total")).isEqualTo(chunkHits);
            assertThat(value(text, "granary_gateway_chunk_cache_evictions_total")).isZero();
            assertThat(value(text, "granary_gateway_chunk_cache_bytes")).isEqualTo(SIZE);
            assertThat(value(text, "granary_gateway_chunk_cache_capacity_bytes"))
                    .isEqualTo(ClientOptions.DEFAULT_CHUNK_CACHE_BYTES);
            assertThat(value(text, "granary_cluster_chunkservers_live")).isEqualTo(2);
            assertThat(value(text, "granary_cluster_chunks_under_replicated")).isZero();
            assertThat(value(text, "granary_cluster_chunks_missing")).isZero();
            assertThat(value(text, "granary_cluster_chunks_corrupt")).isZero();
            assertThat(value(text, "granary_cluster_repair_queue")).isZero();
            assertThat(value(text, "granary_cluster_gc_pending_bytes")).isZero();
            // summed over the heap pools: any one of them (a survivor space after a GC) may be empty
            assertThat(sum(text, "jvm_memory_used_bytes", "area=\"heap\"")).isPositive();
            assertThat(value(text, "jvm_threads_live_threads")).isPositive();
            assertThat(text).contains("jvm_gc_");
        });
    }

    /** The template of the files route, as the gateway registered it. */
    private static String route(String text) throws IOException {
        Matcher m = Pattern.compile("route=\"(/api/v1/files[^\"]*)\"").matcher(text);
        assertThat(m.find()).as("a files route series in%n%s", text).isTrue();
        return m.group(1);
    }

    /** The sum of the samples of {@code name} whose labels contain every one of {@code labels}. */
    private static double sum(String text, String name, String... labels) {
        double total = 0;
        for (String line : samples(text, name, labels)) {
            total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
        return total;
    }

    private static List<String> samples(String text, String name, String... labels) {
        List<String> found = new ArrayList<>();
        for (String line : text.split("\n")) {
            if ((line.startsWith(name + " ") || line.startsWith(name + "{"))
                    && Arrays.stream(labels).allMatch(line::contains)) {
                found.add(line);
            }
        }
        if (found.isEmpty()) {
            throw new AssertionError("no sample " + name + " with " + String.join(", ", labels) + " in\n" + text);
        }
        return found;
    }

    /** The value of the first sample of {@code name} whose labels contain every one of {@code labels}. */
    private static double value(String text, String name, String... labels) {
        String line = samples(text, name, labels).get(0);
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }
}
