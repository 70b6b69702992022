package io.granary.gateway.routes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.granary.gateway.http.Problem;
import io.javalin.config.JavalinConfig;
import io.javalin.openapi.plugin.OpenApiPlugin;
import io.javalin.openapi.plugin.swagger.SwaggerPlugin;
import java.math.BigDecimal;

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
    /** A presigned URL: its query signature stands in for the token on one file transfer. */
    static final String PRESIGN_SCHEME = "presignedUrl";
    private static final ObjectMapper EXAMPLES = new ObjectMapper();

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
                            ApiDocsPolicy.apply(document);
                            typeExamples(document.path("paths"));
                            return document.toPrettyString();
                        }))));
        config.registerPlugin(new SwaggerPlugin(swagger -> {
            swagger.setUiPath(UI_PATH);
            swagger.setDocumentationPath(OPENAPI_PATH);
            swagger.setTitle("Granary HTTP API");
        }));
    }

    /**
     * The annotations take every example as text; here each becomes a value of its schema's type (an
     * integer, a boolean, a JSON body), so that a client or a validator can use it as it is. A text
     * that is not such a value fails the document, and so the spec tests.
     */
    static void typeExamples(JsonNode node) {
        if (node instanceof ObjectNode object) {
            JsonNode example = object.get("example");
            if (example != null && example.isTextual()) {
                object.set("example", typed(example.asText(), typeOf(object)));
            }
        }
        node.forEach(ApiDocs::typeExamples);
    }

    /** The type of a schema, or of a media type's or parameter's schema; a reference is an object. */
    private static String typeOf(JsonNode node) {
        JsonNode schema = node.has("schema") ? node.get("schema") : node;
        return schema.has("$ref") ? "object" : schema.path("type").asText("string");
    }

    private static boolean parseBoolean(String text) {
        if (!text.equals("true") && !text.equals("false")) {
            throw new NumberFormatException("not true or false");
        }
        return Boolean.parseBoolean(text);
    }

    private static JsonNode typed(String text, String type) {
        try {
            return switch (type) {
                case "string" -> TextNode.valueOf(text);
                case "integer" -> LongNode.valueOf(Long.parseLong(text));
                case "number" -> DecimalNode.valueOf(new BigDecimal(text));
                case "boolean" -> BooleanNode.valueOf(parseBoolean(text));
                default -> EXAMPLES.readTree(text);
            };
        } catch (JsonProcessingException | NumberFormatException e) {
            throw new IllegalStateException("the example '" + text + "' is not a " + type, e);
        }
    }
}
