package io.granary.gateway.routes;

import static io.granary.gateway.testing.GatewayFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.granary.gateway.testing.GatewayFixture;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The admin routes that take a chunkserver out of service and back, and the state in the cluster view. */
class DecommissionRoutesTest {
    private static final String WRITER = "gr_writer-token-0123456789abcdef";
    private static final String ROUTE = "/api/v1/admin/chunkservers/cs-2/decommission";

    @RegisterExtension
    final GatewayFixture gateway = new GatewayFixture();

    @Test
    void postStartsDrainingWith202AndTheClusterViewShowsItUntilDeleteCancelsIt() {
        gateway.test((server, http) -> {
            Response started = http.request(ROUTE, b -> b.post(RequestBody.create(new byte[0])));

            assertThat(started.code()).isEqualTo(202);
            JsonNode answer = json(started);
            assertThat(answer.get("chunkserver").asText()).isEqualTo("cs-2");
            assertThat(answer.get("state").asText()).isEqualTo("draining");
            assertThat(answer.get("chunksToMove").asLong()).isZero();
            JsonNode draining = json(http.get("/api/v1/cluster")).get("chunkservers").get(1);
            assertThat(draining.get("state").asText()).isEqualTo("draining");
            assertThat(draining.has("chunksToMove")).isTrue();
            assertThat(draining.has("decommissionSince")).isTrue();
            JsonNode other = json(http.get("/api/v1/cluster")).get("chunkservers").get(0);
            assertThat(other.get("state").asText()).isEqualTo("normal");
            assertThat(other.has("chunksToMove")).as("only while draining").isFalse();

            Response cancelled = http.request(ROUTE, b -> b.delete());

            assertThat(cancelled.code()).isEqualTo(200);
            assertThat(json(cancelled).get("state").asText()).isEqualTo("normal");
            assertThat(json(http.get("/api/v1/cluster")).get("chunkservers").get(1).get("state").asText())
                    .isEqualTo("normal");
        });
    }

    @Test
    void anUnknownChunkServerIs404() {
        gateway.test((server, http) -> {
            Response response = http.request("/api/v1/admin/chunkservers/cs-9/decommission",
                    b -> b.post(RequestBody.create(new byte[0])));

            assertThat(response.code()).isEqualTo(404);
            assertThat(response.header("Content-Type")).startsWith("application/problem+json");
            assertThat(json(response).get("detail").asText()).contains("cs-9");
        });
    }

    @Test
    void aNonAdminIs403AndChangesNothing() {
        gateway.cluster.auth.add(WRITER, "ci", "writer");
        gateway.test((server, http) -> {
            Response response = http.request(ROUTE, b -> b.header("Authorization", "Bearer " + WRITER)
                    .post(RequestBody.create(new byte[0])));

            assertThat(response.code()).isEqualTo(403);
            assertThat(gateway.cluster.master.decommissions).isEmpty();
        });
    }
}
