package io.granary.gateway;

import io.granary.client.GranaryClient;
import io.javalin.Javalin;

/** {@code GET /api/v1/admin/fsck}: chunks missing, corrupt or under-replicated, with their files. */
final class AdminRoutes {
    private final GranaryClient client;

    AdminRoutes(GranaryClient client) {
        this.client = client;
    }

    void register(Javalin app) {
        app.get("/api/v1/admin/fsck", ctx -> ctx.json(GatewayJson.fsck(client.fsck())));
    }
}
