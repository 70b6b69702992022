package io.granary.gateway.routes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.granary.gateway.http.RequestPaths;
import io.granary.gateway.testing.GatewayFixture;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a client reads in the OpenAPI document is what the gateway does: which operations need a token,
 * where to send requests, which errors can come back, and examples a client may send as they are.
 */
class ApiSpecTest {
    private static final String API = "/api/";
    @RegisterExtension
    final GatewayFixture gateway = new GatewayFixture();

    @Test
    void everyOperationUnderTheApiAsksForTheBearerTokenAndOnlyPublicOnesAskForNothing() {
        JsonNode doc = document();
        forEachOperation(doc, (where, operation) -> {
            JsonNode security = operation.has("security") ? operation.get("security") : doc.path("security");
            List<String> schemes = new ArrayList<>();
            security.forEach(requirement -> requirement.fieldNames().forEachRemaining(schemes::add));
            if (where.path().startsWith(API)) {
                assertThat(schemes).as(where + " needs a token: its security must name the bearer scheme")
                        .contains(ApiDocs.BEARER_SCHEME);
            } else {
                assertThat(schemes).as(where + " is public").isEmpty();
            }
        });
        assertThat(doc.at("/components/securitySchemes/" + ApiDocs.BEARER_SCHEME + "/scheme").asText())
                .isEqualTo("bearer");
    }

    @Test
    void onlyFileReadsMayGoWithoutACredentialAndOnlyFileTransfersTakeAPresignedUrl() {
        JsonNode doc = document();
        forEachOperation(doc, (where, operation) -> {
            if (!where.path().startsWith(API)) {
                return;
            }
            boolean fileTransfer = where.path().startsWith(RequestPaths.FILES + "/")
                    && !where.method().equals("delete");
            boolean anonymousAllowed = false;
            boolean presignAllowed = false;
            for (JsonNode requirement : operation.get("security")) {
                anonymousAllowed |= requirement.isEmpty();
                presignAllowed |= requirement.has(ApiDocs.PRESIGN_SCHEME);
            }
            boolean read = where.method().equals("get") || where.method().equals("head");
            assertThat(anonymousAllowed).as(where + " without a credential").isEqualTo(fileTransfer && read);
            assertThat(presignAllowed).as(where + " with a presigned URL").isEqualTo(fileTransfer);
        });
    }

    @Test
    void theDocumentNamesAServerSoClientsKnowWhereToSendRequests() {
        JsonNode servers = document().path("servers");
        assertThat(servers.size()).isPositive();
        assertThat(servers.get(0).path("url").asText()).isNotEmpty();
    }

    @Test
    void everyOperationDocumentsTheRefusalsItCanMeetAsProblems() {
        JsonNode doc = document();
        forEachOperation(doc, (where, operation) -> {
            JsonNode responses = operation.get("responses");
            List<String> expected = new ArrayList<>(List.of("431"));
            if (where.path().startsWith(API)) {
                expected.addAll(List.of("401", "429", "503"));
            }
            if (operation.at("/requestBody/content").has("application/json")) {
                expected.add("413");
            }
            for (String status : expected) {
                assertThat(responses.has(status)).as(where + " documents " + status).isTrue();
            }
            responses.fields().forEachRemaining(response -> {
                // a HEAD answer has no body, so its problems have none either
                boolean error = response.getKey().startsWith("4") || response.getKey().startsWith("5");
                if (error && !where.method().equals("head")) {
                    assertThat(response.getValue().at("/content/" + escape(ApiDocs.PROBLEM) + "/schema/$ref").asText())
                            .as(where + " " + response.getKey() + " is a problem").endsWith("/Problem");
                }
            });
        });
    }

    @Test
    void aTokenOfTooLowARoleIsDocumentedAs403WhereTheRouteNeedsMoreThanAReader() {
        JsonNode doc = document();
        for (String[] operation : new String[][] {{"/api/v1/files/{path}", "put"}, {"/api/v1/files/{path}", "delete"},
                {"/api/v1/dirs/{path}", "put"}, {"/api/v1/rename", "post"}, {"/api/v1/admin/tokens", "get"},
                {"/api/v1/grants", "post"}, {"/api/v1/stat/{path}", "patch"}}) {
            assertThat(doc.path("paths").path(operation[0]).path(operation[1]).path("responses").has("403"))
                    .as(operation[1] + " " + operation[0]).isTrue();
        }
    }

    @Test
    void everyExampleIsAValueOfItsSchema() {
        JsonNode doc = document();
        forEachOperation(doc, (where, operation) -> {
            for (JsonNode parameter : operation.path("parameters")) {
                JsonNode schema = parameter.path("schema");
                if (schema.has("example")) {
                    assertValid(doc, schema.get("example"), schema, where + " parameter " + parameter.path("name"));
                }
            }
            operation.at("/requestBody/content").fields().forEachRemaining(media -> {
                if (media.getValue().has("example")) {
                    assertValid(doc, media.getValue().get("example"), media.getValue().get("schema"),
                            where + " body " + media.getKey());
                }
            });
        });
    }

    @Test
    void theRootDirectoryIsListedByAnOperationOfItsOwn() {
        gateway.test((server, http) -> {
            JsonNode doc = GatewayFixture.json(http.get(ApiDocs.OPENAPI_PATH));
            JsonNode root = doc.path("paths").path(DirRoutes.DIRS).path("get");
            assertThat(root.isObject()).as("GET " + DirRoutes.DIRS + " is documented").isTrue();
            assertThat(root.path("parameters").findValuesAsText("in")).doesNotContain("path");
            GatewayFixture.put(http, "/api/v1/files/top.txt", new byte[] {1}, "text/plain").close();
            var listing = http.get(DirRoutes.DIRS);
            assertThat(listing.code()).isEqualTo(200);
            assertThat(GatewayFixture.json(listing).path("entries").findValuesAsText("name")).contains("top.txt");
        });
    }

    private JsonNode document() {
        JsonNode[] doc = new JsonNode[1];
        gateway.test((server, http) -> doc[0] = GatewayFixture.json(http.get(ApiDocs.OPENAPI_PATH)));
        return doc[0];
    }

    /** One operation's place in the document. */
    record Where(String method, String path) {
        @Override
        public String toString() {
            return method.toUpperCase(java.util.Locale.ROOT) + " " + path;
        }
    }

    static void forEachOperation(JsonNode doc, BiConsumer<Where, JsonNode> check) {
        doc.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            if (List.of("get", "head", "put", "post", "patch", "delete").contains(op.getKey())) {
                check.accept(new Where(op.getKey(), path.getKey()), op.getValue());
            }
        }));
    }

    /**
     * {@code value} is one of the values {@code schema} describes: its type, its enum, and for an
     * object, only declared properties and every required one.
     */
    static void assertValid(JsonNode doc, JsonNode value, JsonNode schema, String where) {
        if (schema.has("$ref")) {
            schema = doc.at(schema.get("$ref").asText().substring(1));
        }
        if (value.isNull()) {
            assertThat(schema.path("nullable").asBoolean()).as(where + " is null").isTrue();
            return;
        }
        if (schema.has("enum")) {
            assertThat(schema.get("enum")).as(where).contains(value);
        }
        String type = schema.path("type").asText();
        switch (type) {
            case "integer" -> assertThat(value.isIntegralNumber()).as(where + ": " + value + " is an integer").isTrue();
            case "number" -> assertThat(value.isNumber()).as(where + ": " + value + " is a number").isTrue();
            case "boolean" -> assertThat(value.isBoolean()).as(where + ": " + value + " is a boolean").isTrue();
            case "string" -> assertThat(value.isTextual()).as(where + ": " + value + " is a string").isTrue();
            case "array" -> {
                assertThat(value.isArray()).as(where + ": " + value + " is an array").isTrue();
                for (JsonNode item : value) {
                    assertValid(doc, item, schema.path("items"), where + "[]");
                }
            }
            case "object" -> {
                assertThat(value.isObject()).as(where + ": " + value + " is an object").isTrue();
                for (JsonNode required : schema.path("required")) {
                    assertThat(value.has(required.asText())).as(where + " has " + required).isTrue();
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = it.next();
                    JsonNode property = schema.path("properties").path(field.getKey());
                    assertThat(property.isObject()).as(where + " declares " + field.getKey()).isTrue();
                    assertValid(doc, field.getValue(), property, where + "." + field.getKey());
                }
            }
            default -> assertThat(type).as(where + " has a schema type").isNotEmpty();
        }
    }

    private static String escape(String pointerSegment) {
        return pointerSegment.replace("~", "~0").replace("/", "~1");
    }
}
