package io.granary.gateway.routes;

import io.granary.client.GranaryClient;
import io.granary.common.GranaryException;
import io.granary.common.meta.FileMeta;
import io.granary.gateway.auth.AccessControl;
import io.granary.gateway.http.GatewayNode;
import io.granary.gateway.http.Problem;
import io.granary.gateway.http.RequestTracing;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.openapi.HttpMethod;
import io.javalin.openapi.OpenApi;
import io.javalin.openapi.OpenApiContent;
import io.javalin.openapi.OpenApiRequestBody;
import io.javalin.openapi.OpenApiResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/rename} with {@code {from, to, overwrite}}: moves a file or a whole directory
 * atomically; answers the entry at its new path. 409 when something is at {@code to} and
 * {@code overwrite} is not true (or it is a non-empty directory), 400 for a directory moved into its own
 * subtree, 404 without a source.
 */
final class RenameRoutes {
    private static final Logger log = LoggerFactory.getLogger(RenameRoutes.class);
    static final String RENAME = "/api/v1/rename";

    private final GranaryClient client;

    RenameRoutes(GranaryClient client) {
        this.client = client;
    }

    void register(Javalin app) {
        app.post(RENAME, this::rename);
    }

    @OpenApi(path = RENAME, methods = HttpMethod.POST, tags = "directories", operationId = "rename",
            summary = "Move a file or a whole directory, atomically and in constant time",
            description = "Missing parents of `to` are created. With `overwrite`, a file at `to` is replaced (its "
                    + "chunks are collected) and an empty directory may be replaced.",
            requestBody = @OpenApiRequestBody(required = true,
                    content = @OpenApiContent(from = GatewayJson.RenameJson.class,
                            example = "{\"from\": \"videos/a.mp4\", \"to\": \"archive/a.mp4\", \"overwrite\": false}")),
            responses = {
                @OpenApiResponse(status = "200", description = "Moved; the entry at its new path",
                        content = @OpenApiContent(from = GatewayJson.FileJson.class)),
                @OpenApiResponse(status = "400", description = "Bad JSON or paths, or a directory into its own subtree",
                        content = @OpenApiContent(from = Problem.class, mimeType = ApiDocs.PROBLEM)),
                @OpenApiResponse(status = "404", description = "Nothing at `from`", content = @OpenApiContent(from = Problem.class, mimeType = ApiDocs.PROBLEM)),
                @OpenApiResponse(status = "409", description = "`to` exists (without overwrite), or is a non-empty "
                        + "directory", content = @OpenApiContent(from = Problem.class, mimeType = ApiDocs.PROBLEM))})
    private void rename(Context ctx) {
        GatewayJson.RenameJson request = GatewayJson.read(ctx, GatewayJson.RenameJson.class,
                "{\"from\": \"/a\", \"to\": \"/b\", \"overwrite\": false}");
        if (request.from() == null || request.to() == null) {
            throw GranaryException.invalid("both 'from' and 'to' are required");
        }
        FileMeta moved = RequestTracing.client(ctx, client).rename(request.from(), request.to(), Boolean.TRUE.equals(request.overwrite()),
                AccessControl.actor(ctx));
        log.info("{}: renamed {} to {}", GatewayNode.ID, request.from(), moved.path());
        ctx.json(GatewayJson.file(moved));
    }
}
