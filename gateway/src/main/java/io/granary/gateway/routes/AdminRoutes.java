package io.granary.gateway.routes;

import io.granary.client.GranaryClient;
import io.granary.gateway.http.Problem;
import io.granary.gateway.http.RequestTracing;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.openapi.HttpMethod;
import io.javalin.openapi.OpenApi;
import io.javalin.openapi.OpenApiContent;
import io.javalin.openapi.OpenApiResponse;

/** {@code GET /api/v1/admin/fsck}: chunks missing, corrupt or under-replicated, with their files. */
final class AdminRoutes {
    private final GranaryClient client;

    AdminRoutes(GranaryClient client) {
        this.client = client;
    }

    void register(Javalin app) {
        app.get("/api/v1/admin/fsck", this::fsck);
    }

    @OpenApi(path = "/api/v1/admin/fsck", methods = HttpMethod.GET, tags = "cluster", operationId = "fsck",
            summary = "Every chunk that is missing, corrupt or under-replicated, with its file, most endangered first",
            responses = {
                @OpenApiResponse(status = "200", content = @OpenApiContent(from = GatewayJson.FsckJson.class)),
                @OpenApiResponse(status = "503", description = "The master does not answer, or is in safe mode",
                        content = @OpenApiContent(from = Problem.class, mimeType = ApiDocs.PROBLEM))})
    private void fsck(Context ctx) {
        ctx.json(GatewayJson.fsck(RequestTracing.client(ctx, client).fsck()));
    }
}
