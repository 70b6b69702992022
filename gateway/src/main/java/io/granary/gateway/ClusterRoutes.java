package io.granary.gateway;

import io.granary.client.GranaryClient;
import io.javalin.Javalin;

/** {@code GET /api/v1/cluster}: the master's view of the chunkservers and of replication. */
final class ClusterRoutes {
    private final GranaryClient client;

    ClusterRoutes(GranaryClient client) {
        this.client = client;
    }

    void register(Javalin app) {
        app.get("/api/v1/cluster", ctx -> ctx.json(GatewayJson.cluster(client.cluster())));
    }
}
