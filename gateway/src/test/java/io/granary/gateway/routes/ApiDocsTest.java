package io.granary.gateway.routes;

import static org.assertj.core.api.Assertions.assertThat;

import io.granary.gateway.testing.GatewayFixture;
import io.javalin.http.HandlerType;
import io.javalin.router.Endpoint;
import io.javalin.router.ParsedEndpoint;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The OpenAPI document is valid OpenAPI 3 and describes every route the gateway serves. */
class ApiDocsTest {
    private static final Set<HandlerType> VERBS = EnumSet.of(HandlerType.GET, HandlerType.HEAD, HandlerType.PUT,
            HandlerType.POST, HandlerType.PATCH, HandlerType.DELETE);
    @RegisterExtension
    final GatewayFixture gateway = new GatewayFixture();

    @Test
    void theDocumentIsValidOpenApi3AndListsEveryRoute() {
        gateway.test((server, http) -> {
            String document = http.get(ApiDocs.OPENAPI_PATH).body().string();

            SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(document);
            assertThat(parsed.getMessages()).isEmpty();
            OpenAPI api = parsed.getOpenAPI();
            assertThat(api.getOpenapi()).startsWith("3.");
            assertThat(documented(api)).containsAll(served());
            // API tokens are declared, so Swagger UI can send one ("Authorize")
            assertThat(api.getComponents().getSecuritySchemes().get(ApiDocs.BEARER_SCHEME).getScheme())
                    .isEqualTo("bearer");
        });
    }

    @Test
    void swaggerUiIsServedAtDocs() {
        gateway.test((server, http) -> {
            var page = http.get(ApiDocs.UI_PATH);
            assertThat(page.code()).isEqualTo(200);
            assertThat(page.body().string()).containsIgnoringCase("swagger").contains(ApiDocs.OPENAPI_PATH);
        });
    }

    /** "GET /api/v1/files/{path}" for every operation in the document. */
    private static Set<String> documented(OpenAPI api) {
        Set<String> operations = new TreeSet<>();
        api.getPaths().forEach((path, item) -> item.readOperationsMap().keySet()
                .forEach(method -> operations.add(method.name() + " " + path)));
        return operations;
    }

    /**
     * The same for the gateway's own routes (not the documentation's). A route that also exists with
     * a trailing {@code <path>} (the bare one addresses the root) is documented by that form.
     */
    private Set<String> served() {
        Set<String> routes = new TreeSet<>();
        for (ParsedEndpoint parsed : gateway.app.unsafeConfig().pvt.internalRouter.allHttpHandlers()) {
            Endpoint endpoint = parsed.getEndpoint();
            String path = endpoint.getPath();
            if (VERBS.contains(endpoint.getMethod()) && !path.equals(ApiDocs.OPENAPI_PATH)
                    && !path.startsWith(ApiDocs.UI_PATH) && !path.startsWith("/webjars")) {
                routes.add(endpoint.getMethod().name().toUpperCase(Locale.ROOT) + " " + path);
            }
        }
        Set<String> operations = new TreeSet<>();
        for (String route : routes) {
            String withPath = route.endsWith("/") ? route + "<path>" : route + "/<path>";
            operations.add((routes.contains(withPath) ? withPath : route).replace("<path>", "{path}"));
        }
        return operations;
    }
}
