package io.granary.gateway.routes;

import io.granary.client.CreatedDirectory;
import io.granary.client.GranaryClient;
import io.granary.common.GranaryException;
import io.granary.common.GranaryPath;
import io.granary.gateway.auth.AccessControl;
import io.granary.gateway.http.GatewayNode;
import io.granary.gateway.http.Problem;
import io.granary.gateway.http.RequestPaths;
import io.granary.gateway.http.RequestTracing;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Header;
import io.javalin.http.HttpStatus;
import io.javalin.openapi.HttpMethod;
import io.javalin.openapi.OpenApi;
import io.javalin.openapi.OpenApiContent;
import io.javalin.openapi.OpenApiParam;
import io.javalin.openapi.OpenApiResponse;
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
    private static final String LIMIT_DOC = "Entries per page, 1 to 1000 (default 100)";
    private static final String AFTER_DOC = "The `next` cursor of the previous page";

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

    @OpenApi(path = DIRS + "/{path}", methods = HttpMethod.PUT, tags = "directories", operationId = "makeDirectory",
            summary = "Create a directory and its missing parents (mkdir -p)",
            pathParams = @OpenApiParam(name = "path", required = true, description = "The directory's path below the root (the root itself is " + DIRS + ")", example = "photos/2024"),
            responses = {
                @OpenApiResponse(status = "201", description = "Created",
                        content = @OpenApiContent(from = GatewayJson.FileJson.class)),
                @OpenApiResponse(status = "200", description = "It already existed",
                        content = @OpenApiContent(from = GatewayJson.FileJson.class)),
                @OpenApiResponse(status = "400", description = "A malformed path", content = @OpenApiContent(from = Problem.class, mimeType = ApiDocs.PROBLEM)),
                @OpenApiResponse(status = "409", description = "A file is in the way", content = @OpenApiContent(from = Problem.class, mimeType = ApiDocs.PROBLEM)),
                @OpenApiResponse(status = "503", description = "The metadata store is down", content = @OpenApiContent(from = Problem.class, mimeType = ApiDocs.PROBLEM))})
    private void create(Context ctx) {
        GranaryPath path = RequestPaths.after(ctx, DIRS);
        CreatedDirectory answer = RequestTracing.client(ctx, client).mkdirs(path.toString(), AccessControl.actor(ctx));
        if (answer.created()) {
            log.info("{}: created directory {}", GatewayNode.ID, path);
        }
        ctx.status(answer.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .header(Header.LOCATION, dirUri(path))
                .json(GatewayJson.file(answer.directory()));
    }

    @OpenApi(path = DIRS, methods = HttpMethod.GET, tags = "directories", operationId = "listRootDirectory",
            summary = "List the root directory, one page at a time, names in byte order",
            queryParams = {
                @OpenApiParam(name = "limit", type = Integer.class, description = LIMIT_DOC, example = "100"),
                @OpenApiParam(name = "after", description = AFTER_DOC)},
            responses = {
                @OpenApiResponse(status = "200", description = "One page; `next` only when more entries remain",
                        content = @OpenApiContent(from = GatewayJson.DirectoryJson.class)),
                @OpenApiResponse(status = "400", description = "A malformed limit", content = @OpenApiContent(from = Problem.class, mimeType = ApiDocs.PROBLEM))})
    @OpenApi(path = DIRS + "/{path}", methods = HttpMethod.GET, tags = "directories", operationId = "listDirectory",
            summary = "List a directory, one page at a time, names in byte order",
            pathParams = @OpenApiParam(name = "path", required = true, description = "The directory's path below the root (the root itself is " + DIRS + ")", example = "photos"),
            queryParams = {
                @OpenApiParam(name = "limit", type = Integer.class, description = LIMIT_DOC, example = "100"),
                @OpenApiParam(name = "after", description = AFTER_DOC)},
            responses = {
                @OpenApiResponse(status = "200", description = "One page; `next` only when more entries remain",
                        content = @OpenApiContent(from = GatewayJson.DirectoryJson.class)),
                @OpenApiResponse(status = "400", description = "A malformed path or limit", content = @OpenApiContent(from = Problem.class, mimeType = ApiDocs.PROBLEM)),
                @OpenApiResponse(status = "404", description = "No directory at this path", content = @OpenApiContent(from = Problem.class, mimeType = ApiDocs.PROBLEM)),
                @OpenApiResponse(status = "409", description = "The path is a file", content = @OpenApiContent(from = Problem.class, mimeType = ApiDocs.PROBLEM))})
    private void list(Context ctx) {
        GranaryPath path = RequestPaths.after(ctx, DIRS);
        String after = ctx.queryParam("after");
        GranaryClient traced = RequestTracing.client(ctx, client);
        ctx.json(GatewayJson.page(path, traced.list(path.toString(), after, limit(ctx))));
    }

    @OpenApi(path = DIRS + "/{path}", methods = HttpMethod.DELETE, tags = "directories",
            operationId = "deleteDirectory", summary = "Delete a directory; recursive=true for one that is not empty",
            description = "The directory disappears at once; the files below it go to the trash and their chunks "
                    + "are collected later.",
            pathParams = @OpenApiParam(name = "path", required = true, description = "The directory's path below the root (the root itself is " + DIRS + ")"),
            queryParams = @OpenApiParam(name = "recursive", type = Boolean.class,
                    description = "Also delete everything below it"),
            responses = {
                @OpenApiResponse(status = "204", description = "Deleted"),
                @OpenApiResponse(status = "400", description = "The root, or a malformed path", content = @OpenApiContent(from = Problem.class, mimeType = ApiDocs.PROBLEM)),
                @OpenApiResponse(status = "404", description = "No directory at this path", content = @OpenApiContent(from = Problem.class, mimeType = ApiDocs.PROBLEM)),
                @OpenApiResponse(status = "409", description = "Not empty (without recursive), or a file", content = @OpenApiContent(from = Problem.class, mimeType = ApiDocs.PROBLEM))})
    private void delete(Context ctx) {
        GranaryPath path = RequestPaths.after(ctx, DIRS);
        boolean recursive = recursive(ctx);
        long files = RequestTracing.client(ctx, client).deleteDirectory(path.toString(), recursive, AccessControl.actor(ctx));
        log.info("{}: deleted directory {} ({} file(s) below it)", GatewayNode.ID, path, files);
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
