package io.granary.bench;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class BenchConfigTest {

    @Test
    void anS3EndpointWithoutARunningClusterIsRefused() {
        assertThatThrownBy(() -> new BenchConfig(BenchConfig.QUICK_SIZES, 3, 32, null, null, null,
                "http://127.0.0.1:9000", null, null, List.of(), false, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--s3-endpoint only applies with --gateway");
    }

    @Test
    void measuringOnlyTheRedisWaitOfARunningClusterIsRefused() {
        assertThatThrownBy(() -> new BenchConfig(BenchConfig.QUICK_SIZES, 3, 32, null, "http://127.0.0.1:8080",
                "127.0.0.1:7070", null, null, null, List.of(), false, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--redis-wait-only measures clusters the benchmark starts");
    }
}
