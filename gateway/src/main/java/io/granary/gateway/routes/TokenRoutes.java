package io.granary.gateway.routes;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.granary.client.GranaryClient;
import io.granary.client.NewToken;
import io.granary.client.TokenMeta;
import io.granary.common.GranaryException;
import io.granary.common.Role;
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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/v1/whoami} and the admin's token routes {@code /api/v1/admin/tokens}: create (the
 * secret is in that answer only), list, revoke. A revocation makes the gateway forget every
 * credential it keeps ({@link CredentialCache#invalidateAll()}), so the token and its S3 keys are refused
 * here at their next request. Who may call them is {@code RoutePolicy}'s business.
 */
final class TokenRoutes {
    private static final Logger log = LoggerFactory.getLogger(TokenRoutes.class);
    static final String TOKENS = "/api/v1/admin/tokens";
    /** The longest lifetime a token may be given: ten years, in seconds. */
    static final long MAX_EXPIRES_IN_SECONDS = Duration.ofDays(3650).toSeconds();

    private final GranaryClient client;
    private final CredentialCache credentials;

    TokenRoutes(GranaryClient client, CredentialCache credentials) {
        this.client = client;
        this.credentials = credentials;
    }

    void register(Javalin app) {
        app.get("/api/v1/whoami", this::whoami);
        app.post(TOKENS, this::create);
        app.get(TOKENS, this::list);
        app.delete(TOKENS + "/{id}", this::revoke);
    }

    record WhoamiJson(String id, String name, String role) {
    }

    record TokenRequestJson(String name, String role, Long expiresIn) {
    }

    record TokenJson(String id, String name, String role, Instant created,
                     @JsonInclude(JsonInclude.Include.ALWAYS) Instant expires) {
    }

    record NewTokenJson(String id, String name, String role, String token, Instant created,
                        @JsonInclude(JsonInclude.Include.ALWAYS) Instant expires) {
    }

    record TokenListJson(List<TokenJson> tokens) {
    }

    @OpenApi(path = "/api/v1/whoami", methods = HttpMethod.GET, tags = "auth", operationId = "whoami",
            summary = "The principal of the bearer token",
            responses = {
                @OpenApiResponse(status = "200", content = @OpenApiContent(from = WhoamiJson.class)),
                @OpenApiResponse(status = "401", description = "No token, or an unknown, expired or revoked one",
                        content = @OpenApiContent(from = Problem.class, mimeType = ApiDocs.PROBLEM))})
    private void whoami(Context ctx) {
        Principal p = AccessControl.principal(ctx);
        ctx.json(new WhoamiJson(p.id(), p.name(), p.role().wireName()));
    }

    @OpenApi(path = TOKENS, methods = HttpMethod.POST, tags = "auth", operationId = "createToken",
            summary = "Create an API token (admin)",
            description = "The answer is the only place the token's secret appears: only its SHA-256 is stored.",
            requestBody = @OpenApiRequestBody(required = true, content = @OpenApiContent(from = TokenRequestJson.class,
                    example = "{\"name\": \"ci\", \"role\": \"writer\", \"expiresIn\": 86400}")),
            responses = {
                @OpenApiResponse(status = "201", content = @OpenApiContent(from = NewTokenJson.class)),
                @OpenApiResponse(status = "400", description = "Bad name, role or expiresIn (seconds)",
                        content = @OpenApiContent(from = Problem.class, mimeType = ApiDocs.PROBLEM)),
                @OpenApiResponse(status = "401", description = "No valid token",
                        content = @OpenApiContent(from = Problem.class, mimeType = ApiDocs.PROBLEM)),
                @OpenApiResponse(status = "403", description = "Not an admin",
                        content = @OpenApiContent(from = Problem.class, mimeType = ApiDocs.PROBLEM))})
    private void create(Context ctx) {
        TokenRequestJson request = GatewayJson.read(ctx, TokenRequestJson.class,
                "{\"name\": \"ci\", \"role\": \"writer\", \"expiresIn\": 86400}");
        Role role = Role.parse(request.role());
        long expiresIn = request.expiresIn() == null ? 0 : request.expiresIn();
        if (expiresIn < 0 || expiresIn > MAX_EXPIRES_IN_SECONDS) {
            throw GranaryException.invalid("expiresIn must be 0 (never) to " + MAX_EXPIRES_IN_SECONDS
                    + " seconds, not " + expiresIn);
        }
        NewToken created = RequestTracing.client(ctx, client).createToken(request.name() == null ? "" : request.name(),
                role.wireName(), Duration.ofSeconds(expiresIn), AccessControl.actor(ctx));
        TokenMeta t = created.meta();
        log.info("{}: {} created token {} with role {}", GatewayNode.ID, AccessControl.principal(ctx).id(),
                t.id(), t.role());
        ctx.status(HttpStatus.CREATED).json(new NewTokenJson(t.id(), t.name(), t.role(), created.secret(),
                t.created(), t.expires().orElse(null)));
    }

    @OpenApi(path = TOKENS, methods = HttpMethod.GET, tags = "auth", operationId = "listTokens",
            summary = "Every API token, without secrets (admin)",
            responses = {
                @OpenApiResponse(status = "200", content = @OpenApiContent(from = TokenListJson.class)),
                @OpenApiResponse(status = "403", description = "Not an admin",
                        content = @OpenApiContent(from = Problem.class, mimeType = ApiDocs.PROBLEM))})
    private void list(Context ctx) {
        ctx.json(new TokenListJson(client.listTokens().stream()
                .map(t -> new TokenJson(t.id(), t.name(), t.role(), t.created(), t.expires().orElse(null)))
                .toList()));
    }

    @OpenApi(path = TOKENS + "/{id}", methods = HttpMethod.DELETE, tags = "auth", operationId = "revokeToken",
            summary = "Revoke an API token (admin): its next request here is refused, on other gateways within a second",
            pathParams = @OpenApiParam(name = "id", required = true, example = "tok_0123456789abcdef"),
            responses = {
                @OpenApiResponse(status = "204", description = "Revoked"),
                @OpenApiResponse(status = "403", description = "Not an admin",
                        content = @OpenApiContent(from = Problem.class, mimeType = ApiDocs.PROBLEM)),
                @OpenApiResponse(status = "404", description = "No token with this id",
                        content = @OpenApiContent(from = Problem.class, mimeType = ApiDocs.PROBLEM))})
    private void revoke(Context ctx) {
        String id = ctx.pathParam("id");
        try {
            RequestTracing.client(ctx, client).revokeToken(id, AccessControl.actor(ctx));
        } finally { // a failed answer may still have revoked it
            credentials.invalidateAll();
        }
        log.info("{}: {} revoked token {}", GatewayNode.ID, AccessControl.principal(ctx).id(), id);
        ctx.status(HttpStatus.NO_CONTENT);
    }
}
