package io.granary.gateway.routes;

import io.granary.client.GranaryClient;
import io.granary.common.Actor;
import io.granary.common.GranaryException;
import io.granary.common.GranaryPath;
import io.granary.common.Visibility;
import io.granary.common.meta.FileMeta;
import io.granary.gateway.auth.AccessControl;
import io.granary.gateway.http.GatewayNode;
import io.granary.gateway.http.Problem;
import io.granary.gateway.http.RequestPaths;
import io.granary.gateway.http.RequestTracing;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.openapi.HttpMethod;
import io.javalin.openapi.OpenApi;
import io.javalin.openapi.OpenApiContent;
import io.javalin.openapi.OpenApiParam;
import io.javalin.openapi.OpenApiRequestBody;
import io.javalin.openapi.OpenApiResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code PATCH /api/v1/stat/{path}} with {@code {"replication": N}}: changes a file's replication and
 * answers its metadata. The metadata resource is what {@code GET /api/v1/stat} reads, so the
 * partial update belongs there; the master then adds or trims replicas in the background.
 */
final class ReplicationRoutes {
    private static final Logger log = LoggerFactory.getLogger(ReplicationRoutes.class);

    private final GranaryClient client;

    ReplicationRoutes(GranaryClient client) {
        this.client = client;
    }

    void register(Javalin app) {
        app.patch(RequestPaths.STAT + "/<path>", this::patch);
    }

    @OpenApi(path = "/api/v1/stat/{path}", methods = HttpMethod.PATCH, tags = "metadata",
            operationId = "patchStat", summary = "Change a file's replication factor or visibility",
            description = "Replication: the chunks count as under-replicated (or over-replicated) until the "
                    + "master's repair copies or trims them. Visibility: public files can be read without a "
                    + "token. Only the file's owner or an admin may change either (403 otherwise).",
            pathParams = @OpenApiParam(name = "path", required = true, description = "A file's path"),
            requestBody = @OpenApiRequestBody(required = true,
                    content = @OpenApiContent(from = GatewayJson.StatPatchJson.class, example = "{\"replication\": 2}")),
            responses = {
                @OpenApiResponse(status = "200", description = "The file with its new replication",
                        content = @OpenApiContent(from = GatewayJson.FileJson.class)),
                @OpenApiResponse(status = "400", description = "Bad JSON or replication", content = @OpenApiContent(from = Problem.class, mimeType = ApiDocs.PROBLEM)),
                @OpenApiResponse(status = "401", description = "No valid token", content = @OpenApiContent(from = Problem.class, mimeType = ApiDocs.PROBLEM)),
                @OpenApiResponse(status = "403", description = "Not the file's owner, or a reader", content = @OpenApiContent(from = Problem.class, mimeType = ApiDocs.PROBLEM)),
                @OpenApiResponse(status = "404", description = "No file at this path", content = @OpenApiContent(from = Problem.class, mimeType = ApiDocs.PROBLEM)),
                @OpenApiResponse(status = "409", description = "The path is a directory", content = @OpenApiContent(from = Problem.class, mimeType = ApiDocs.PROBLEM))})
    private void patch(Context ctx) {
        GranaryPath path = RequestPaths.entryAfter(ctx, RequestPaths.STAT);
        GatewayJson.StatPatchJson request = GatewayJson.read(ctx, GatewayJson.StatPatchJson.class,
                "{\"replication\": 3} or {\"visibility\": \"public\"}");
        if (request.replication() == null && request.visibility() == null) {
            throw GranaryException.invalid("give 'replication', 'visibility' or both");
        }
        if (request.replication() != null && request.replication() < 1) {
            throw GranaryException.invalid("'replication' must be a whole number of at least 1");
        }
        // parsed before any change, so a bad value changes nothing
        Visibility visibility = request.visibility() == null ? null : Visibility.parse(request.visibility());
        Actor actor = AccessControl.actor(ctx);
        FileMeta file = null;
        if (request.replication() != null) {
            file = RequestTracing.client(ctx, client).setReplication(path.toString(), request.replication(), actor);
            log.info("{}: replication of {} set to {}", GatewayNode.ID, path, file.replication());
        }
        if (visibility != null) {
            file = RequestTracing.client(ctx, client).setVisibility(path.toString(), visibility, actor);
            log.info("{}: {} made {} by {}", GatewayNode.ID, path, visibility.wireName(), actor.id());
        }
        ctx.json(GatewayJson.file(file));
    }
}
