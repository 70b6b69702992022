package io.granary.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The gateway as the launcher runs it: its own gRPC client, a real port. */
class GatewayServerIT {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void gatewayOnAFreePortIsLiveButNotReadyWithoutAMaster() throws Exception {
        // Port 1 on localhost: nothing listens there, so the master is unreachable.
        try (GatewayServer gateway = GatewayServer.connect(GatewayConfig.builder("localhost:1").port(0).build()).start()) {
            assertThat(gateway.port()).isPositive();

            HttpResponse<String> live = get(gateway.port(), "/health/live");
            assertThat(live.statusCode()).isEqualTo(200);

            HttpResponse<String> ready = get(gateway.port(), "/health/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(ready.body()).contains("the master did not answer");
        }
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
