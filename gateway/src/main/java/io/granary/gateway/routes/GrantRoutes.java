package io.granary.gateway.routes;

import io.granary.client.GranaryClient;
import io.granary.client.IpGrant;
import io.granary.common.GranaryException;
import io.granary.gateway.http.RequestTracing;
import io.granary.gateway.auth.AccessControl;
import io.granary.gateway.http.GatewayNode;
import io.granary.gateway.http.Problem;
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
 * {@code /api/v1/grants}: IP grants, which let an address block GET or HEAD a file (or everything
 * under a directory) without a token until they expire. Admin only ({@code RoutePolicy}).
 */
final class GrantRoutes {
    private static final Logger log = LoggerFactory.getLogger(GrantRoutes.class);
    static final String GRANTS = "/api/v1/grants";
    private static final String EXAMPLE = "{\"path\": \"/videos\", \"cidr\": \"203.0.113.0/24\", \"expiresIn\": 86400}";

    private final GranaryClient client;

    GrantRoutes(GranaryClient client) {
        this.client = client;
    }

    void register(Javalin app) {
        app.post(GRANTS, this::create);
        app.get(GRANTS, this::list);
        app.delete(GRANTS + "/{id}", this::revoke);
    }

    record GrantRequestJson(String path, String cidr, String ip, Long expiresIn) {
    }

    /** A grant as the API answers it; {@code path} is absolute, with a leading slash, as a file's is. */
    record GrantJson(String id, String path, String cidr, Instant created, Instant expires, String creator) {
        static GrantJson of(IpGrant g) {
            return new GrantJson(g.id(), GatewayJson.absolute(g.path()), g.cidr(), g.created(), g.expires(),
                    g.creator());
        }
    }

    record GrantListJson(List<GrantJson> grants) {
    }

    @OpenApi(path = GRANTS, methods = HttpMethod.POST, tags = "auth", operationId = "createGrant",
            summary = "Let an address or CIDR block read a file or directory without a token (admin)",
            description = "`cidr` (or `ip`) is IPv4 or IPv6; `path` a file, or a directory for everything under it; "
                    + "`expiresIn` seconds (up to 366 days). The client address is the socket's peer, or the "
                    + "X-Forwarded-For address a trusted proxy vouches for.",
            requestBody = @OpenApiRequestBody(required = true, content = @OpenApiContent(from = GrantRequestJson.class,
                    example = EXAMPLE)),
            responses = {
                @OpenApiResponse(status = "201", content = @OpenApiContent(from = GrantJson.class)),
                @OpenApiResponse(status = "400", description = "Bad path, address block or expiresIn",
                        content = @OpenApiContent(from = Problem.class, mimeType = ApiDocs.PROBLEM)),
                @OpenApiResponse(status = "401", description = "No valid token",
                        content = @OpenApiContent(from = Problem.class, mimeType = ApiDocs.PROBLEM)),
                @OpenApiResponse(status = "403", description = "Not an admin",
                        content = @OpenApiContent(from = Problem.class, mimeType = ApiDocs.PROBLEM))})
    private void create(Context ctx) {
        GrantRequestJson request = GatewayJson.read(ctx, GrantRequestJson.class, EXAMPLE);
        String cidr = request.cidr() != null ? request.cidr() : request.ip();
        if (cidr == null || request.path() == null || request.expiresIn() == null) {
            throw GranaryException.invalid("a grant needs path, cidr (or ip) and expiresIn, e.g. " + EXAMPLE);
        }
        String creator = AccessControl.principal(ctx).id();
        IpGrant grant = RequestTracing.client(ctx, client).grants().create(request.path(), cidr, Duration.ofSeconds(request.expiresIn()), creator);
        GrantJson answer = GrantJson.of(grant);
        log.info("{}: {} granted {} read access to {} until {}", GatewayNode.ID, creator, answer.cidr(),
                answer.path(), answer.expires());
        ctx.status(HttpStatus.CREATED).json(answer);
    }

    @OpenApi(path = GRANTS, methods = HttpMethod.GET, tags = "auth", operationId = "listGrants",
            summary = "Every live IP grant, soonest expiry first (admin)",
            responses = {
                @OpenApiResponse(status = "200", content = @OpenApiContent(from = GrantListJson.class)),
                @OpenApiResponse(status = "403", description = "Not an admin",
                        content = @OpenApiContent(from = Problem.class, mimeType = ApiDocs.PROBLEM))})
    private void list(Context ctx) {
        ctx.json(new GrantListJson(client.grants().list().stream().map(GrantJson::of).toList()));
    }

    @OpenApi(path = GRANTS + "/{id}", methods = HttpMethod.DELETE, tags = "auth", operationId = "revokeGrant",
            summary = "Revoke an IP grant at once (admin)",
            pathParams = @OpenApiParam(name = "id", required = true, example = "5f0c2d9e8a7b6c5d4e3f2a1b0c9d8e7f"),
            responses = {
                @OpenApiResponse(status = "204", description = "Revoked"),
                @OpenApiResponse(status = "403", description = "Not an admin",
                        content = @OpenApiContent(from = Problem.class, mimeType = ApiDocs.PROBLEM)),
                @OpenApiResponse(status = "404", description = "No live grant with this id",
                        content = @OpenApiContent(from = Problem.class, mimeType = ApiDocs.PROBLEM))})
    private void revoke(Context ctx) {
        String id = ctx.pathParam("id");
        RequestTracing.client(ctx, client).grants().revoke(id, AccessControl.principal(ctx).id());
        log.info("{}: {} revoked grant {}", GatewayNode.ID, AccessControl.principal(ctx).id(), id);
        ctx.status(HttpStatus.NO_CONTENT);
    }
}
