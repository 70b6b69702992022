package io.granary.gateway.routes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.granary.common.Role;
import io.granary.gateway.auth.RequestedAccess;
import io.granary.gateway.auth.RoutePolicy;
import io.granary.gateway.auth.UrlSigner;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the OpenAPI document says of every operation's access, taken from the gateway's one access
 * table ({@link RoutePolicy#describe}) rather than repeated on each route: the credentials it takes
 * ({@code security}) and the refusals that come before any handler runs (401, 403, 429, 431, 413,
 * 503). A status a route documents itself keeps that route's wording.
 */
final class ApiDocsPolicy {
    private static final Set<String> METHODS = Set.of("get", "head", "put", "post", "patch", "delete");
    private static final String PROBLEM_SCHEMA = "#/components/schemas/Problem";

    private ApiDocsPolicy() {
    }

    /** Declares the credential schemes and the server, and completes every operation. */
    static void apply(ObjectNode document) {
        ObjectNode schemes = document.withObject("/components").withObject("/securitySchemes");
        schemes.putObject(ApiDocs.BEARER_SCHEME)
                .put("type", "http")
                .put("scheme", "bearer")
                .put("description", "An API token (gr_...) from POST /api/v1/admin/tokens, or the first admin token");
        schemes.putObject(ApiDocs.PRESIGN_SCHEME)
                .put("type", "apiKey")
                .put("in", "query")
                .put("name", UrlSigner.SIGNATURE)
                .put("description", "A presigned URL from POST /api/v1/presign, used as it is: its signature (with "
                        + UrlSigner.EXPIRES + ", " + UrlSigner.KEY_ID + " and what else it signed) allows exactly "
                        + "the one method on the one file it was signed for");
        // Relative: the document is right behind any host, port or TLS proxy that serves it.
        document.putArray("servers").addObject().put("url", "/").put("description", "This gateway");
        // Operations say which credentials they take; a client that reads only this sends the token.
        document.putArray("security").addObject().putArray(ApiDocs.BEARER_SCHEME);
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            path.getValue().fields().forEachRemaining(operation -> {
                if (METHODS.contains(operation.getKey())) {
                    RequestedAccess access = RoutePolicy.describe(
                            operation.getKey().toUpperCase(Locale.ROOT), path.getKey());
                    complete((ObjectNode) operation.getValue(), access);
                }
            });
        }
    }

    private static void complete(ObjectNode operation, RequestedAccess access) {
        operation.set("security", security(operation, access.kind()));
        ObjectNode responses = operation.withObject("/responses");
        // The answer to a HEAD has no body: its refusals are the status alone.
        boolean withBody = !access.method().equals("HEAD");
        refusal(responses, withBody, 431, "The request line and headers are larger than the gateway accepts");
        if (operation.at("/requestBody/content").has("application/json")) {
            refusal(responses, withBody, 413, "The JSON body is larger than " + GatewayJson.MAX_BODY_BYTES + " bytes");
        }
        if (!access.isPublic()) {
            credentialRefusals(responses, withBody, access);
        }
        sortByStatus(responses);
    }

    /** What the access decision and the failed-authentication limit answer before the route runs. */
    private static void credentialRefusals(ObjectNode responses, boolean withBody, RequestedAccess access) {
        refusal(responses, withBody, 401, access.kind() == RequestedAccess.Kind.READ_FILE
                ? "No valid token, and the file is not public (a missing file answers the same)"
                : "No token, or one that is unknown, expired or revoked");
        boolean presigned = access.kind() == RequestedAccess.Kind.READ_FILE
                || access.kind() == RequestedAccess.Kind.WRITE_FILE;
        String badSignature = "a presigned URL that is invalid, expired, or signed for something else";
        if (access.role() != Role.READER) {
            refusal(responses, withBody, 403, "The token's role is below " + access.role().wireName()
                    + (access.role() == Role.WRITER ? ", or it does not own what it changes" : "")
                    + (presigned ? "; or " + badSignature : ""));
        } else if (presigned) {
            refusal(responses, withBody, 403, "A" + badSignature.substring(1));
        }
        refusal(responses, withBody, 429, "Too many failed authentications from this address; see Retry-After");
        refusal(responses, withBody, 503, "The master or the metadata store is unavailable; retry later");
    }

    /** Lists the responses in status order, as a reader looks for them. */
    private static void sortByStatus(ObjectNode responses) {
        Map<String, JsonNode> sorted = new TreeMap<>();
        responses.fields().forEachRemaining(response -> sorted.put(response.getKey(), response.getValue()));
        responses.removeAll();
        responses.setAll(sorted);
    }

    /** The credentials an operation takes, as alternatives: any one of them is enough. */
    private static ArrayNode security(ObjectNode operation, RequestedAccess.Kind kind) {
        ArrayNode alternatives = operation.arrayNode();
        if (kind == RequestedAccess.Kind.PUBLIC) {
            return alternatives;
        }
        alternatives.addObject().putArray(ApiDocs.BEARER_SCHEME);
        if (kind == RequestedAccess.Kind.READ_FILE || kind == RequestedAccess.Kind.WRITE_FILE) {
            alternatives.addObject().putArray(ApiDocs.PRESIGN_SCHEME);
        }
        if (kind == RequestedAccess.Kind.READ_FILE) {
            alternatives.addObject(); // a public file, or an IP grant: no credential at all
        }
        return alternatives;
    }

    private static void refusal(ObjectNode responses, boolean withBody, int status, String description) {
        if (responses.has(Integer.toString(status))) {
            return;
        }
        ObjectNode response = responses.putObject(Integer.toString(status)).put("description", description);
        if (withBody) {
            response.putObject("content").putObject(ApiDocs.PROBLEM).putObject("schema").put("$ref", PROBLEM_SCHEMA);
        }
    }
}
