package io.granary.gateway;

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
                        // The plugin writes "security": null when no scheme is set, which OpenAPI forbids.
                        .withDefinitionProcessor(document -> {
                            if (document.path("security").isNull()) {
                                document.remove("security");
                            }
                            return document.toPrettyString();
                        }))));
        config.registerPlugin(new SwaggerPlugin(swagger -> {
            swagger.setUiPath(UI_PATH);
            swagger.setDocumentationPath(OPENAPI_PATH);
            swagger.setTitle("Granary HTTP API");
        }));
    }
}
