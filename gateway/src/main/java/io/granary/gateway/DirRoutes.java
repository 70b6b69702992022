package io.granary.gateway;

import io.granary.client.CreatedDirectory;
import io.granary.client.GranaryClient;
import io.granary.common.GranaryException;
import io.granary.common.GranaryPath;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Header;
import io.javalin.http.HttpStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/v1/dirs/{path}}: create (PUT, with parents, like {@code mkdir -p}), list (GET, one page
 * per call with {@code limit} and the {@code after} cursor) and delete (DELETE, {@code ?recursive=true}
 * for a non-empty one). Without a path, or with just a slash, they address the root.
 */
final class DirRoutes {
    private static final Logger log = LoggerFactory.getLogger(DirRoutes.class);
    static final String DIRS = "/api/v1/dirs";

    private final GranaryClient client;

    DirRoutes(GranaryClient client) {
        this.client = client;
    }

    void register(Javalin app) {
        for (String route : new String[] {DIRS, DIRS + "/<path>"}) {
            app.put(route, this::create);
            app.get(route, this::list);
            app.delete(route, this::delete);
        }
    }

    private void create(Context ctx) {
        GranaryPath path = RequestPaths.after(ctx, DIRS);
        CreatedDirectory answer = client.mkdirs(path.toString());
        if (answer.created()) {
            log.info("{}: created directory {}", GatewayConfig.NODE_ID, path);
        }
        ctx.status(answer.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .header(Header.LOCATION, dirUri(path))
                .json(GatewayJson.file(answer.directory()));
    }

    private void list(Context ctx) {
        GranaryPath path = RequestPaths.after(ctx, DIRS);
        String after = ctx.queryParam("after");
        ctx.json(GatewayJson.page(path, client.list(path.toString(), after, limit(ctx))));
    }

    private void delete(Context ctx) {
        GranaryPath path = RequestPaths.after(ctx, DIRS);
        boolean recursive = recursive(ctx);
        long files = client.deleteDirectory(path.toString(), recursive);
        log.info("{}: deleted directory {} ({} file(s) below it)", GatewayConfig.NODE_ID, path, files);
        ctx.status(HttpStatus.NO_CONTENT);
    }

    private static int limit(Context ctx) {
        String text = ctx.queryParam("limit");
        if (text == null) {
            return 0;
        }
        try {
            int limit = Integer.parseInt(text.trim());
            if (limit >= 1 && limit <= 1000) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw GranaryException.invalid("limit must be a whole number from 1 to 1000, not '" + text + "'");
    }

    private static boolean recursive(Context ctx) {
        String text = ctx.queryParam("recursive");
        if (text == null || text.equalsIgnoreCase("false")) {
            return false;
        }
        if (text.equalsIgnoreCase("true")) {
            return true;
        }
        throw GranaryException.invalid("recursive must be true or false, not '" + text + "'");
    }

    /** The URI path of a directory, each segment percent-encoded. */
    static String dirUri(GranaryPath path) {
        return DIRS + "/" + path.segments().stream()
                .map(s -> URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20"))
                .collect(Collectors.joining("/"));
    }
}
