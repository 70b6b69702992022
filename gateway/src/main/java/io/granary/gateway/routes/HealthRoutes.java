package io.granary.gateway.routes;

import io.granary.client.ChunkReadHealth;
import io.granary.client.ClusterView;
import io.granary.client.GranaryClient;
import io.granary.client.ReadAheadBudget;
import io.granary.common.GranaryException;
import io.granary.gateway.http.DownloadSlots;
import io.granary.gateway.http.HttpErrors;
import io.granary.gateway.http.Problem;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.openapi.HttpMethod;
import io.javalin.openapi.OpenApi;
import io.javalin.openapi.OpenApiContent;
import io.javalin.openapi.OpenApiResponse;
import java.time.Duration;

/**
 * {@code /health/live}: the process answers (it reads nothing and calls nobody, and downloads can
 * take only half the request threads the uploads leave, so it answers while both stream).
 * {@code /health/ready}: the master answers, reaches its metadata store, and enough chunkservers are
 * alive for its default replication, so an upload with defaults can succeed; this gateway is not
 * saturated, i.e. its download slots or its read-ahead memory have not stayed spent for
 * {@link #SATURATED_AFTER}; and its chunk reads are served (see {@link ChunkReadHealth}).
 */
final class HealthRoutes {
    /** Saturation shorter than this is a burst, not a reason to send traffic elsewhere. */
    static final Duration SATURATED_AFTER = Duration.ofSeconds(10);

    private final GranaryClient client;
    private final DownloadSlots downloadSlots;

    HealthRoutes(GranaryClient client, DownloadSlots downloadSlots) {
        this.client = client;
        this.downloadSlots = downloadSlots;
    }

    void register(Javalin app) {
        app.get("/health/live", this::live);
        app.get("/health/ready", this::ready);
    }

    @OpenApi(path = "/health/live", methods = HttpMethod.GET, tags = "health", operationId = "live",
            summary = "Liveness: the gateway process answers",
            responses = @OpenApiResponse(status = "200", content = @OpenApiContent(from = GatewayJson.Liveness.class)))
    private void live(Context ctx) {
        ctx.json(new GatewayJson.Liveness("live"));
    }

    @OpenApi(path = "/health/ready", methods = HttpMethod.GET, tags = "health", operationId = "ready",
            summary = "Readiness: the master answers, reaches its metadata store, and enough chunkservers are "
                    + "alive for the default replication",
            responses = {
                @OpenApiResponse(status = "200", content = @OpenApiContent(from = GatewayJson.Readiness.class)),
                @OpenApiResponse(status = "503", description = "Not ready, and why",
                        content = @OpenApiContent(from = Problem.class, mimeType = ApiDocs.PROBLEM))})
    private void ready(Context ctx) {
        if (downloadSlots.fullFor().compareTo(SATURATED_AFTER) >= 0) {
            notReady(ctx, "all " + downloadSlots.max() + " download slots have been taken for "
                    + downloadSlots.fullFor().toSeconds() + " s");
            return;
        }
        ReadAheadBudget readAhead = client.readAheadBudget();
        if (readAhead.fullFor().compareTo(SATURATED_AFTER) >= 0) {
            notReady(ctx, "the read-ahead memory (" + (readAhead.limitBytes() >> 20) + " MiB) has been spent for "
                    + readAhead.fullFor().toSeconds() + " s");
            return;
        }
        ChunkReadHealth reads = client.chunkReadHealth();
        if (reads.failing()) {
            notReady(ctx, "the last " + reads.failuresInARow() + " chunk reads found no replica able to serve them");
            return;
        }
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
