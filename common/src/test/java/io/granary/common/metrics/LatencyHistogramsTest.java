package io.granary.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LatencyHistogramsTest {
    private final PrometheusMeterRegistry registry = Registries.prometheusWithJvm();

    @Test
    void everyTimerPublishesTheFixedBucketsEndingInInfEqualToItsCount() {
        Timer timer = Timer.builder("granary.test.calls").tag("method", "Get").register(registry);
        timer.record(Duration.ofMillis(3));
        timer.record(Duration.ofMillis(40));
        timer.record(Duration.ofMinutes(2));

        List<String> buckets = lines("granary_test_calls_seconds_bucket{");
        assertThat(buckets).hasSize(LatencyHistograms.BOUNDS.size() + 1);
        assertThat(buckets).anyMatch(line -> line.contains("le=\"0.005\"") && line.endsWith(" 1"));
        assertThat(buckets).anyMatch(line -> line.contains("le=\"0.05\"") && line.endsWith(" 2"));
        assertThat(buckets).anyMatch(line -> line.contains("le=\"60.0\"") && line.endsWith(" 2"));
        assertThat(buckets).anyMatch(line -> line.contains("le=\"+Inf\"") && line.endsWith(" 3"));
        assertThat(lines("granary_test_calls_seconds_count{")).singleElement().asString().endsWith(" 3");
    }

    @Test
    void clientSidePercentilesAskedForByALibraryAreNotPublished() {
        Timer.builder("granary.test.percentiles").publishPercentiles(0.5, 0.99).register(registry)
                .record(Duration.ofMillis(1));

        assertThat(registry.scrape()).doesNotContain("quantile=")
                .contains("granary_test_percentiles_seconds_bucket{le=\"+Inf\"} 1");
    }

    @Test
    void countersGetNoBuckets() {
        Counter.builder("granary.test.things").register(registry).increment();

        assertThat(registry.scrape()).contains("granary_test_things_total 1").doesNotContain("granary_test_things_bucket");
    }

    private List<String> lines(String prefix) {
        return registry.scrape().lines().filter(line -> line.startsWith(prefix)).toList();
    }
}
