package io.granary.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.granary.common.grpc.ClusterSecurity;
import io.granary.gateway.auth.AccessConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GatewayConfigTest {

    @Test
    void defaultsAreTheNamedConstants() {
        GatewayConfig config = GatewayConfig.builder("master:7000").build();

        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.maxThreads()).isEqualTo(GatewayConfig.DEFAULT_MAX_THREADS);
    }

    @Test
    void acceptsAListOfMasters() {
        assertThat(GatewayConfig.builder("master-1:7000,master-2:7000").build().masterAddress())
                .isEqualTo("master-1:7000,master-2:7000");
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "-1; master:7000; 64; port must be between 0",
            "65536; master:7000; 64; port must be between 0",
            "8080; ' '; 64; the master's address",
            "8080; master; 64; 'master' is not host:port",
            "8080; 'master-1:7000,'; 64; empty item",
            "8080; master:7000; 2; at least 8 threads"})
    void invalidConfigIsRefusedWithAClearMessage(int port, String master, int threads, String message) {
        assertThatThrownBy(() -> GatewayConfig.builder(master).port(port).maxThreads(threads).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
