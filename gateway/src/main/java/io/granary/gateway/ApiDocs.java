package io.granary.gateway;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.JavalinConfig;
import io.javalin.openapi.plugin.OpenApiPlugin;
import io.javalin.openapi.plugin.swagger.SwaggerPlugin;

/**
 * The OpenAPI 3 document at {@value #OPENAPI_PATH} and Swagger UI at {@value #UI_PATH}. The document
 * is generated at compile time from the {@code @OpenApi} annotations on the route handlers, so it
 * cannot drift from the code; {@code ApiDocsTest} checks that it names every registered route.
 */
final class ApiDocs {
    static final String OPENAPI_PATH = "/openapi.json";
    static final String UI_PATH = "/docs";
    /** Problem responses, shared by every route's documentation. */
    static final String PROBLEM = Problem.CONTENT_TYPE;
    static final String BEARER_SCHEME = "bearerToken";

    private ApiDocs() {
    }

    static void register(JavalinConfig config) {
        config.registerPlugin(new OpenApiPlugin(openApi -> openApi
                .withDocumentationPath(OPENAPI_PATH)
                .withDefinitionConfiguration((version, definition) -> definition
                        .withInfo(info -> info
                                .title("Granary HTTP API")
                                .version("v1")
                                .description("Files stored in chunks on replicated chunkservers. Paths are "
                                        + "'/'-separated UTF-8, at most 1024 bytes, without empty, '.' or '..' "
                                        + "segments or control characters. Every error is "
                                        + "application/problem+json (RFC 9457) with a stable 'type' URI "
                                        + "(urn:granary:problem:<kind>), listed in docs/errors.md."))
                        .withDefinitionProcessor(document -> {
                            declareBearerTokens(document);
                            return document.toPrettyString();
                        }))));
        config.registerPlugin(new SwaggerPlugin(swagger -> {
            swagger.setUiPath(UI_PATH);
            swagger.setDocumentationPath(OPENAPI_PATH);
            swagger.setTitle("Granary HTTP API");
        }));
    }

    /**
     * API tokens as an HTTP bearer scheme, so Swagger UI offers "Authorize". Optional document-wide
     * ({@code {}} is the alternative of no credential) because health, docs, the dashboard and
     * public files need none; which role a route needs is in its description and docs/security.md.
     */
    private static void declareBearerTokens(ObjectNode document) {
        document.withObject("/components").withObject("/securitySchemes").putObject(BEARER_SCHEME)
                .put("type", "http")
                .put("scheme", "bearer")
                .put("description", "An API token (gr_...) from POST /api/v1/admin/tokens, or the first admin token");
        ArrayNode security = document.putArray("security");
        security.addObject().putArray(BEARER_SCHEME);
        security.addObject();
    }
}
