package io.granary.gateway;

import io.granary.client.FileMeta;
import io.granary.client.GranaryClient;
import io.granary.client.UploadOptions;
import io.granary.common.GranaryException;
import io.granary.common.GranaryPath;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Header;
import io.javalin.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/v1/files/{path}}: upload (PUT, the raw body streamed into chunks), download (GET,
 * HEAD; see {@link FileDownloads}) and delete. The path is taken from the raw URI (see
 * {@link RequestPaths}), so it may contain slashes.
 */
final class FileRoutes {
    private static final Logger log = LoggerFactory.getLogger(FileRoutes.class);
    static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";

    private final GranaryClient client;
    private final FileDownloads downloads;

    FileRoutes(GranaryClient client) {
        this.client = client;
        this.downloads = new FileDownloads(client);
    }

    void register(Javalin app) {
        for (String route : new String[] {RequestPaths.FILES, RequestPaths.FILES + "/<path>"}) {
            app.put(route, this::upload);
            app.get(route, ctx -> downloads.serve(ctx, true));
            app.head(route, ctx -> downloads.serve(ctx, false));
            app.delete(route, this::delete);
        }
    }

    private void upload(Context ctx) throws Exception {
        GranaryPath path = RequestPaths.entryAfter(ctx, RequestPaths.FILES);
        UploadOptions options = WritePreconditions.apply(ctx, new UploadOptions(replication(ctx), 0, contentType(ctx)));
        // The raw servlet stream: ctx.body() would read the whole body into memory.
        FileMeta file = client.upload(path.toString(), ctx.req().getInputStream(), options);
        log.info("{}: stored {} ({} bytes, {} chunks)", GatewayConfig.NODE_ID, file.path(), file.size(),
                file.chunks().size());
        ctx.status(HttpStatus.CREATED).header(Header.LOCATION, RequestPaths.fileUri(path)).json(GatewayJson.file(file));
    }

    private void delete(Context ctx) {
        GranaryPath path = RequestPaths.entryAfter(ctx, RequestPaths.FILES);
        client.delete(path.toString());
        log.info("{}: deleted {}", GatewayConfig.NODE_ID, path);
        ctx.status(HttpStatus.NO_CONTENT);
    }

    private static int replication(Context ctx) {
        String text = ctx.queryParam("replication");
        if (text == null) {
            return 0;
        }
        try {
            int replication = Integer.parseInt(text.trim());
            if (replication >= 1) {
                return replication;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw GranaryException.invalid("replication must be a whole number of at least 1, not '" + text + "'");
    }

    private static String contentType(Context ctx) {
        String type = ctx.req().getContentType();
        return type == null || type.isBlank() ? DEFAULT_CONTENT_TYPE : type;
    }
}
