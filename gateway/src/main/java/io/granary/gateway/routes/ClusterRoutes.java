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

/** {@code GET /api/v1/cluster}: the master's view of the chunkservers and of replication. */
final class ClusterRoutes {
    private final GranaryClient client;

    ClusterRoutes(GranaryClient client) {
        this.client = client;
    }

    void register(Javalin app) {
        app.get("/api/v1/cluster", this::cluster);
    }

    @OpenApi(path = "/api/v1/cluster", methods = HttpMethod.GET, tags = "cluster", operationId = "cluster",
            summary = "The master, whether it reaches its metadata store, every chunkserver, and replication health",
            responses = {
                @OpenApiResponse(status = "200", content = @OpenApiContent(from = GatewayJson.ClusterJson.class)),
                @OpenApiResponse(status = "503", description = "The master does not answer",
                        content = @OpenApiContent(from = Problem.class, mimeType = ApiDocs.PROBLEM))})
    private void cluster(Context ctx) {
        ctx.json(GatewayJson.cluster(RequestTracing.client(ctx, client).cluster()));
    }
}
