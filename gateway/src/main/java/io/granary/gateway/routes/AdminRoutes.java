package io.granary.gateway.routes;

import io.granary.client.GranaryClient;
import io.granary.gateway.http.Problem;
import io.granary.gateway.http.RequestTracing;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.openapi.HttpMethod;
import io.javalin.openapi.OpenApi;
import io.javalin.openapi.OpenApiContent;
import io.javalin.openapi.OpenApiParam;
import io.javalin.openapi.OpenApiResponse;

/**
 * The admin's cluster routes: {@code GET /api/v1/admin/fsck} (chunks missing, corrupt or
 * under-replicated, with their files) and {@code POST}/{@code DELETE
 * /api/v1/admin/chunkservers/{id}/decommission} (take a chunkserver out of service, or back).
 */
final class AdminRoutes {
    private static final String DECOMMISSION = "/api/v1/admin/chunkservers/{id}/decommission";

    private final GranaryClient client;

    AdminRoutes(GranaryClient client) {
        this.client = client;
    }

    void register(Javalin app) {
        app.get("/api/v1/admin/fsck", this::fsck);
        app.post(DECOMMISSION, this::decommission);
        app.delete(DECOMMISSION, this::cancelDecommission);
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

    @OpenApi(path = DECOMMISSION, methods = HttpMethod.POST, tags = "cluster", operationId = "decommissionChunkServer",
            summary = "Starts draining a chunkserver: it takes no new chunk, and its chunks are copied to the others "
                    + "until it can be stopped (state decommissioned). Idempotent",
            pathParams = @OpenApiParam(name = "id", required = true, description = "The chunkserver's id"),
            responses = {
                @OpenApiResponse(status = "202", description = "Draining (or already decommissioned); follow it in "
                        + "GET /api/v1/cluster", content = @OpenApiContent(from = GatewayJson.DecommissionJson.class)),
                @OpenApiResponse(status = "404", description = "No such chunkserver is registered",
                        content = @OpenApiContent(from = Problem.class, mimeType = ApiDocs.PROBLEM)),
                @OpenApiResponse(status = "503", description = "The master does not answer",
                        content = @OpenApiContent(from = Problem.class, mimeType = ApiDocs.PROBLEM))})
    private void decommission(Context ctx) {
        String id = ctx.pathParam("id");
        ctx.status(HttpStatus.ACCEPTED).json(GatewayJson.decommission(id,
                RequestTracing.client(ctx, client).decommission(id, false)));
    }

    @OpenApi(path = DECOMMISSION, methods = HttpMethod.DELETE, tags = "cluster",
            operationId = "cancelDecommissionChunkServer",
            summary = "Returns a draining or decommissioned chunkserver to service. Idempotent: one in service stays so",
            pathParams = @OpenApiParam(name = "id", required = true, description = "The chunkserver's id"),
            responses = {
                @OpenApiResponse(status = "200", description = "In service",
                        content = @OpenApiContent(from = GatewayJson.DecommissionJson.class)),
                @OpenApiResponse(status = "404", description = "No such chunkserver is registered",
                        content = @OpenApiContent(from = Problem.class, mimeType = ApiDocs.PROBLEM)),
                @OpenApiResponse(status = "503", description = "The master does not answer",
                        content = @OpenApiContent(from = Problem.class, mimeType = ApiDocs.PROBLEM))})
    private void cancelDecommission(Context ctx) {
        String id = ctx.pathParam("id");
        ctx.json(GatewayJson.decommission(id, RequestTracing.client(ctx, client).decommission(id, true)));
    }
}
