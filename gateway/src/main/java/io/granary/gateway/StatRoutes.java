package io.granary.gateway;

import io.granary.client.GranaryClient;
import io.javalin.Javalin;
import io.javalin.http.Context;

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

    private void stat(Context ctx) {
        ctx.json(GatewayJson.file(client.stat(RequestPaths.after(ctx, RequestPaths.STAT).toString())));
    }
}
