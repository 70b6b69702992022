package io.granary.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MetricsServerTest {
    final HttpClient http = HttpClient.newHttpClient();
    final AtomicInteger scrapes = new AtomicInteger();
    final AtomicBoolean ready = new AtomicBoolean();
    MetricsServer server;

    @BeforeEach
    void start() {
        server = MetricsServer.start("node-test", null, 0,
                () -> "granary_test_total " + scrapes.incrementAndGet() + "\n", ready::get);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void getMetricsAnswersAFreshScrapeInThePrometheusTextFormat() throws Exception {
        HttpResponse<String> first = get("/metrics", "GET");
        HttpResponse<String> second = get("/metrics", "GET");

        assertThat(server.port()).isPositive();
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("Content-Type")).hasValue(MetricsServer.CONTENT_TYPE);
        assertThat(first.body()).isEqualTo("granary_test_total 1\n");
        assertThat(second.body()).isEqualTo("granary_test_total 2\n");
    }

    @Test
    void anotherPathIs404AndAnotherMethod405() throws Exception {
        assertThat(get("/", "GET").statusCode()).isEqualTo(404);
        assertThat(get("/metrics/x", "GET").statusCode()).isEqualTo(404);
        HttpResponse<String> post = get("/metrics", "POST");
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
        assertThat(scrapes).hasValue(0);
    }

    @Test
    void healthReadyAnswersTheNodesOwnReadinessWithoutAScrape() throws Exception {
        assertThat(get(MetricsServer.READY_PATH, "GET").statusCode()).isEqualTo(503);
        ready.set(true);
        HttpResponse<String> up = get(MetricsServer.READY_PATH, "GET");

        assertThat(up.statusCode()).isEqualTo(200);
        assertThat(up.body()).isEqualTo("ready\n");
        assertThat(get(MetricsServer.READY_PATH, "POST").statusCode()).isEqualTo(405);
        assertThat(scrapes).hasValue(0);
    }

    @Test
    void healthLiveAnswers200WhetherTheNodeIsReadyOrNot() throws Exception {
        assertThat(get(MetricsServer.LIVE_PATH, "GET").statusCode()).isEqualTo(200);
        ready.set(true);
        assertThat(get(MetricsServer.LIVE_PATH, "GET").body()).isEqualTo("live\n");
        assertThat(scrapes).hasValue(0);
    }

    private HttpResponse<String> get(String path, String method) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }
}
