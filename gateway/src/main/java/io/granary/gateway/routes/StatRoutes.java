package io.granary.gateway.routes;

import io.granary.client.GranaryClient;
import io.granary.gateway.http.Problem;
import io.granary.gateway.http.RequestPaths;
import io.granary.gateway.http.RequestTracing;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.openapi.HttpMethod;
import io.javalin.openapi.OpenApi;
import io.javalin.openapi.OpenApiContent;
import io.javalin.openapi.OpenApiParam;
import io.javalin.openapi.OpenApiResponse;

/** {@code GET /api/v1/stat/{path}}: a file's or directory's metadata; without a path, the root's. */
final class StatRoutes {
    private final GranaryClient client;

    StatRoutes(GranaryClient client) {
        this.client = client;
    }

    void register(Javalin app) {
        app.get(RequestPaths.STAT, this::stat);
        app.get(RequestPaths.STAT + "/<path>", this::stat);
    }

    @OpenApi(path = "/api/v1/stat/{path}", methods = HttpMethod.GET, tags = "metadata", operationId = "stat",
            summary = "A file's or directory's metadata, with each chunk's handle and replicas",
            pathParams = @OpenApiParam(name = "path", required = true, description = "A file or directory; "
                    + "/api/v1/stat alone is the root", example = "videos/movie.mp4"),
            responses = {
                @OpenApiResponse(status = "200", content = @OpenApiContent(from = GatewayJson.FileJson.class)),
                @OpenApiResponse(status = "400", description = "A malformed path",
                        content = @OpenApiContent(from = Problem.class, mimeType = ApiDocs.PROBLEM)),
                @OpenApiResponse(status = "404", description = "Nothing at this path",
                        content = @OpenApiContent(from = Problem.class, mimeType = ApiDocs.PROBLEM)),
                @OpenApiResponse(status = "503", description = "The metadata store is down",
                        content = @OpenApiContent(from = Problem.class, mimeType = ApiDocs.PROBLEM))})
    private void stat(Context ctx) {
        String path = RequestPaths.after(ctx, RequestPaths.STAT).toString();
        ctx.json(GatewayJson.file(RequestTracing.client(ctx, client).stat(path)));
    }
}
