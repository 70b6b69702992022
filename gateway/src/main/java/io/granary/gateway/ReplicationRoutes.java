package io.granary.gateway;

import io.granary.client.FileMeta;
import io.granary.client.GranaryClient;
import io.granary.common.GranaryException;
import io.granary.common.GranaryPath;
import io.javalin.Javalin;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code PATCH /api/v1/stat/{path}} with {@code {"replication": N}}: changes a file's replication and
 * answers its metadata. The metadata resource is what {@code GET /api/v1/stat} reads, so the
 * partial update belongs there; the master then adds or trims replicas in the background.
 */
final class ReplicationRoutes {
    private static final Logger log = LoggerFactory.getLogger(ReplicationRoutes.class);

    private final GranaryClient client;

    ReplicationRoutes(GranaryClient client) {
        this.client = client;
    }

    void register(Javalin app) {
        app.patch(RequestPaths.STAT + "/<path>", this::patch);
    }

    private void patch(Context ctx) {
        GranaryPath path = RequestPaths.entryAfter(ctx, RequestPaths.STAT);
        GatewayJson.StatPatchJson request = GatewayJson.read(ctx.body(), GatewayJson.StatPatchJson.class,
                "{\"replication\": 3}");
        if (request.replication() == null || request.replication() < 1) {
            throw GranaryException.invalid("'replication' must be a whole number of at least 1");
        }
        FileMeta file = client.setReplication(path.toString(), request.replication());
        log.info("{}: replication of {} set to {}", GatewayConfig.NODE_ID, path, file.replication());
        ctx.json(GatewayJson.file(file));
    }
}
