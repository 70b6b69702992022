package io.granary.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.granary.common.grpc.RequestIds;
import io.granary.gateway.testing.GatewayFixture;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code X-Request-Id}: a sane one is kept and echoed, anything else replaced, on every answer. */
class RequestTracingTest {
    @RegisterExtension
    final GatewayFixture gateway = new GatewayFixture();

    @Test
    void aSaneIdIsEchoedOnSuccessesAndOnProblems() {
        gateway.test((server, http) -> {
            Response found = http.request("/api/v1/cluster", b -> b.header(RequestIds.HEADER, "abc-1.2_3"));
            Response missing = http.request("/api/v1/stat/nope", b -> b.header(RequestIds.HEADER, "abc-4"));

            assertThat(found.code()).isEqualTo(200);
            assertThat(found.header(RequestIds.HEADER)).isEqualTo("abc-1.2_3");
            assertThat(missing.code()).isEqualTo(404);
            assertThat(missing.header(RequestIds.HEADER)).isEqualTo("abc-4");
        });
    }

    @Test
    void anInsaneOrMissingIdIsReplacedByANewOne() {
        gateway.test((server, http) -> {
            Response insane = http.request("/api/v1/cluster", b -> b.header(RequestIds.HEADER, "a;b"));
            Response none = http.get("/api/v1/cluster");

            assertThat(insane.header(RequestIds.HEADER)).matches("[0-9a-f]{32}");
            assertThat(none.header(RequestIds.HEADER)).matches("[0-9a-f]{32}")
                    .isNotEqualTo(insane.header(RequestIds.HEADER));
        });
    }
}
