package io.granary.gateway.routes;

import static org.assertj.core.api.Assertions.assertThat;

import io.granary.gateway.testing.GatewayFixture;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Swagger UI's page cannot be framed and loads nothing from elsewhere. */
class DocsPageTest {
    @RegisterExtension
    final GatewayFixture gateway = new GatewayFixture();

    @Test
    void swaggerUiIsServedWithAContentSecurityPolicyAndNoFraming() {
        gateway.test((server, http) -> {
            Response page = http.request(ApiDocs.UI_PATH, b -> b.header("Authorization", "").get());

            assertThat(page.code()).isEqualTo(200);
            assertThat(page.header("Content-Security-Policy")).isEqualTo(DocsPage.CONTENT_SECURITY_POLICY)
                    .contains("frame-ancestors 'none'").contains("default-src 'self'");
            assertThat(page.header("X-Frame-Options")).isEqualTo("DENY");
            assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(page.body().string()).contains("swagger-ui").doesNotContainPattern("(src|href)=\"(https?:)?//");
        });
    }
}
