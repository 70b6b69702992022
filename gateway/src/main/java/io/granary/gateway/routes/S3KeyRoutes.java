package io.granary.gateway.routes;

import io.granary.client.GranaryClient;
import io.granary.client.NewS3Key;
import io.granary.client.S3KeyMeta;
import io.granary.gateway.auth.AccessControl;
import io.granary.gateway.auth.CredentialCache;
import io.granary.gateway.auth.Principal;
import io.granary.gateway.http.GatewayNode;
import io.granary.gateway.http.Problem;
import io.granary.gateway.http.RequestTracing;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.openapi.HttpMethod;
import io.javalin.openapi.OpenApi;
import io.javalin.openapi.OpenApiContent;
import io.javalin.openapi.OpenApiParam;
import io.javalin.openapi.OpenApiRequestBody;
import io.javalin.openapi.OpenApiResponse;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/v1/s3-keys}: S3 credentials (an access key id and a secret key, for AWS Signature V4),
 * each belonging to a token and acting exactly as it. Any principal manages its own keys; an admin
 * manages every token's. Which role may call them at all is {@code RoutePolicy}'s business; whose keys
 * a caller may touch is decided here and by the master alike ({@code Actor.requireOwnOrAdmin}), the
 * revocation's owner check by the master, atomically. A
 * revocation makes the gateway forget every credential it keeps ({@link CredentialCache#invalidateAll()}),
 * so the key is refused here at its next request.
 */
final class S3KeyRoutes {
    private static final Logger log = LoggerFactory.getLogger(S3KeyRoutes.class);
    static final String S3_KEYS = "/api/v1/s3-keys";
    private static final String EXAMPLE = "{\"token\": \"tok_0123456789abcdef\"}";
    private static final String TOKEN_DOC = "Id of the token the key acts as; the caller's own when left out. "
            + "Only an admin may name another token.";

    private final GranaryClient client;
    private final CredentialCache credentials;

    S3KeyRoutes(GranaryClient client, CredentialCache credentials) {
        this.client = client;
        this.credentials = credentials;
    }

    void register(Javalin app) {
        app.post(S3_KEYS, this::create);
        app.get(S3_KEYS, this::list);
        app.delete(S3_KEYS + "/{accessKeyId}", this::revoke);
    }

    /** The body of {@code POST /api/v1/s3-keys}; the body itself may be left out. */
    record S3KeyRequestJson(String token) {
    }

    record S3KeyJson(String accessKeyId, String token, Instant created) {
        static S3KeyJson of(S3KeyMeta k) {
            return new S3KeyJson(k.accessKeyId(), k.tokenId(), k.created());
        }
    }

    record NewS3KeyJson(String accessKeyId, String secretKey, String token, Instant created) {
        static NewS3KeyJson of(NewS3Key k) {
            return new NewS3KeyJson(k.meta().accessKeyId(), k.secretKey(), k.meta().tokenId(), k.meta().created());
        }

        @Override
        public String toString() {
            return "NewS3KeyJson[accessKeyId=" + accessKeyId + ", secretKey=***, token=" + token + "]";
        }
    }

    record S3KeyListJson(List<S3KeyJson> keys) {
    }

    @OpenApi(path = S3_KEYS, methods = HttpMethod.POST, tags = "auth", operationId = "createS3Key",
            summary = "Create an S3 access key and secret key acting as a token",
            description = "Requests signed with the key (AWS Signature V4) act exactly as the token: its role, "
                    + "ownership and visibility. The answer is the only one that shows the secret key. "
                    + TOKEN_DOC + " Revoking the token revokes its keys.",
            requestBody = @OpenApiRequestBody(content = @OpenApiContent(from = S3KeyRequestJson.class, example = EXAMPLE)),
            responses = {
                @OpenApiResponse(status = "201", content = @OpenApiContent(from = NewS3KeyJson.class)),
                @OpenApiResponse(status = "400", description = "The body is not JSON like the example",
                        content = @OpenApiContent(from = Problem.class, mimeType = ApiDocs.PROBLEM)),
                @OpenApiResponse(status = "403", description = "A token other than the caller's, and the caller is not an admin",
                        content = @OpenApiContent(from = Problem.class, mimeType = ApiDocs.PROBLEM)),
                @OpenApiResponse(status = "404", description = "No live token with this id",
                        content = @OpenApiContent(from = Problem.class, mimeType = ApiDocs.PROBLEM))})
    private void create(Context ctx) {
        Principal caller = AccessControl.principal(ctx);
        String token = GatewayJson.readOptional(ctx, S3KeyRequestJson.class, EXAMPLE).map(S3KeyRequestJson::token)
                .filter(t -> !t.isEmpty()).orElse(caller.id());
        AccessControl.actor(ctx).requireOwnOrAdmin(token, "create an S3 key for");
        NewS3Key created = RequestTracing.client(ctx, client).s3Keys().create(token, null, null,
                AccessControl.actor(ctx));
        log.info("{}: {} created S3 key {} for token {}", GatewayNode.ID, caller.id(), created.meta().accessKeyId(),
                token);
        ctx.status(HttpStatus.CREATED).json(NewS3KeyJson.of(created));
    }

    @OpenApi(path = S3_KEYS, methods = HttpMethod.GET, tags = "auth", operationId = "listS3Keys",
            summary = "S3 keys without their secret keys, oldest first",
            description = "An admin sees every key, or one token's with `token`; anyone else sees their own.",
            queryParams = @OpenApiParam(name = "token", example = "tok_0123456789abcdef",
                    description = "Only this token's keys; another token than the caller's needs an admin"),
            responses = {
                @OpenApiResponse(status = "200", content = @OpenApiContent(from = S3KeyListJson.class)),
                @OpenApiResponse(status = "403", description = "Another token's keys, and the caller is not an admin",
                        content = @OpenApiContent(from = Problem.class, mimeType = ApiDocs.PROBLEM))})
    private void list(Context ctx) {
        Principal caller = AccessControl.principal(ctx);
        String asked = ctx.queryParam("token");
        String token = asked == null || asked.isEmpty() ? (caller.isAdmin() ? "" : caller.id()) : asked;
        AccessControl.actor(ctx).requireOwnOrAdmin(token, "list the S3 keys of");
        ctx.json(new S3KeyListJson(RequestTracing.client(ctx, client).s3Keys().list(token, AccessControl.actor(ctx))
                .stream().map(S3KeyJson::of).toList()));
    }

    @OpenApi(path = S3_KEYS + "/{accessKeyId}", methods = HttpMethod.DELETE, tags = "auth",
            operationId = "revokeS3Key",
            summary = "Revoke an S3 key: its next request here is refused, on other gateways within a second",
            description = "An admin revokes any key; anyone else only their own.",
            pathParams = @OpenApiParam(name = "accessKeyId", required = true, example = "GK0123456789ABCDEFGH"),
            responses = {
                @OpenApiResponse(status = "204", description = "Revoked"),
                @OpenApiResponse(status = "403", description = "Another token's key, and the caller is not an admin",
                        content = @OpenApiContent(from = Problem.class, mimeType = ApiDocs.PROBLEM)),
                @OpenApiResponse(status = "404", description = "No S3 key with this access key id",
                        content = @OpenApiContent(from = Problem.class, mimeType = ApiDocs.PROBLEM))})
    private void revoke(Context ctx) {
        Principal caller = AccessControl.principal(ctx);
        String accessKeyId = ctx.pathParam("accessKeyId");
        try {
            RequestTracing.client(ctx, client).s3Keys().revoke(accessKeyId, caller.isAdmin() ? "" : caller.id(),
                    AccessControl.actor(ctx));
        } finally { // a failed answer may still have revoked it
            credentials.invalidateAll();
        }
        log.info("{}: {} revoked S3 key {}", GatewayNode.ID, caller.id(), accessKeyId);
        ctx.status(HttpStatus.NO_CONTENT);
    }
}
