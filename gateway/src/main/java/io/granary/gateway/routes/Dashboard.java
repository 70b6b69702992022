package io.granary.gateway.routes;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.ContentType;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import io.javalin.openapi.HttpMethod;
import io.javalin.openapi.OpenApi;
import io.javalin.openapi.OpenApiContent;
import io.javalin.openapi.OpenApiResponse;
import java.io.InputStream;
import java.util.Map;

/**
 * The web dashboard: static HTML, CSS and ES modules under {@value #RESOURCES} on the classpath,
 * served at {@code /} with no build step. Javalin consults static files only for a GET or HEAD that
 * no route matches, so the dashboard never shadows {@code /api}, {@code /docs}, {@code /openapi.json},
 * {@code /metrics} or {@code /health}. Everything here is public: the page asks for a token itself and
 * sends it with the API calls it makes.
 */
final class Dashboard {
    /** Where the files live in the jar. */
    static final String RESOURCES = "/dashboard";
    static final String PAGE = RESOURCES + "/index.html";

    /**
     * File names are user input shown by the page; it inserts them only as text, and this policy
     * is the second line of defence: no inline script, nothing loaded from another origin. A file's
     * preview loads from this origin's {@code /api/v1/files} (or a presigned URL of it): images
     * under {@code img-src 'self'}, video and audio under {@code default-src 'self'}, so previews
     * need nothing more here.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
            + "frame-ancestors 'none'; form-action 'self'";

    static final Map<String, String> HEADERS = Map.of(
            "Content-Security-Policy", CONTENT_SECURITY_POLICY,
            "X-Content-Type-Options", "nosniff",
            "Referrer-Policy", "same-origin",
            // Small files that change with every release: revalidate rather than guess an age.
            "Cache-Control", "no-cache");

    private Dashboard() {
    }

    /** The page's assets (scripts, styles, icon), served as static files. */
    static void configure(JavalinConfig config) {
        config.staticFiles.add(files -> {
            files.hostedPath = "/";
            files.directory = RESOURCES;
            files.location = Location.CLASSPATH;
            files.headers = HEADERS;
        });
    }

    /**
     * The page itself at {@code /}. A route rather than the static handler's welcome file: Jetty
     * finds no welcome file in a directory inside a jar, which is where the dashboard lives.
     */
    static void register(Javalin app) {
        app.get("/", Dashboard::page);
    }

    @OpenApi(path = "/", methods = HttpMethod.GET, tags = "dashboard", operationId = "dashboard",
            summary = "The web dashboard: the cluster's state and a file browser (public; the page asks for a token)",
            responses = @OpenApiResponse(status = "200", description = "The dashboard's HTML page",
                    content = @OpenApiContent(type = ContentType.HTML)))
    private static void page(Context ctx) {
        InputStream page = Dashboard.class.getResourceAsStream(PAGE);
        if (page == null) {
            throw new IllegalStateException("the dashboard is missing from the classpath: " + PAGE);
        }
        HEADERS.forEach(ctx::header);
        ctx.contentType(ContentType.HTML + "; charset=utf-8").result(page);
    }
}
