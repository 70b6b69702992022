package io.granary.gateway;

import io.granary.client.FileMeta;
import io.granary.client.GranaryClient;
import io.granary.common.GranaryException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/rename} with {@code {from, to, overwrite}}: moves a file or a whole directory
 * atomically; answers the entry at its new path. 409 when something is at {@code to} and
 * {@code overwrite} is not true (or it is a non-empty directory), 400 for a directory moved into its own
 * subtree, 404 without a source.
 */
final class RenameRoutes {
    private static final Logger log = LoggerFactory.getLogger(RenameRoutes.class);
    static final String RENAME = "/api/v1/rename";

    private final GranaryClient client;

    RenameRoutes(GranaryClient client) {
        this.client = client;
    }

    void register(Javalin app) {
        app.post(RENAME, this::rename);
    }

    private void rename(Context ctx) {
        GatewayJson.RenameJson request = GatewayJson.read(ctx.body(), GatewayJson.RenameJson.class,
                "{\"from\": \"/a\", \"to\": \"/b\", \"overwrite\": false}");
        if (request.from() == null || request.to() == null) {
            throw GranaryException.invalid("both 'from' and 'to' are required");
        }
        FileMeta moved = client.rename(request.from(), request.to(), Boolean.TRUE.equals(request.overwrite()));
        log.info("{}: renamed {} to {}", GatewayConfig.NODE_ID, request.from(), moved.path());
        ctx.json(GatewayJson.file(moved));
    }
}
