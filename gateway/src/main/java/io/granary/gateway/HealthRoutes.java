package io.granary.gateway;

import io.granary.client.ClusterView;
import io.granary.client.GranaryClient;
import io.granary.common.GranaryException;
import io.javalin.Javalin;
import io.javalin.http.Context;

/**
 * {@code /health/live}: the process answers. {@code /health/ready}: the master answers, reaches its
 * metadata store, and enough chunkservers are alive for its default replication, so an upload with
 * defaults can succeed.
 */
final class HealthRoutes {
    private final GranaryClient client;

    HealthRoutes(GranaryClient client) {
        this.client = client;
    }

    void register(Javalin app) {
        app.get("/health/live", ctx -> ctx.json(new GatewayJson.Liveness("live")));
        app.get("/health/ready", this::ready);
    }

    private void ready(Context ctx) {
        ClusterView cluster;
        try {
            cluster = client.cluster();
        } catch (GranaryException e) {
            notReady(ctx, "the master did not answer: " + e.getMessage());
            return;
        }
        if (!cluster.metadataStoreReachable()) {
            notReady(ctx, "the master cannot reach its metadata store: " + cluster.metadataStoreError());
            return;
        }
        int live = cluster.liveCount();
        if (live < cluster.defaultReplication()) {
            notReady(ctx, live + " chunkserver(s) alive, but the default replication needs "
                    + cluster.defaultReplication());
            return;
        }
        ctx.json(new GatewayJson.Readiness("ready", live, cluster.defaultReplication()));
    }

    private static void notReady(Context ctx, String why) {
        HttpErrors.respond(ctx, HttpErrors.problemForStatus(503, why, ctx.req().getRequestURI()));
    }
}
