package io.granary.gateway;

import io.javalin.config.JavalinConfig;
import io.javalin.http.staticfiles.Location;
import java.util.Map;

/**
 * The web dashboard: static HTML, CSS and ES modules under {@value #RESOURCES} on the classpath,
 * served at {@code /} with no build step. Javalin consults static files only for a GET or HEAD that
 * no route matches, so the dashboard never shadows {@code /api}, {@code /docs}, {@code /openapi.json},
 * {@code /metrics} or {@code /health}. The files are public: the page asks for a token itself and
 * sends it with the API calls it makes.
 */
final class Dashboard {
    /** Where the files live in the jar. */
    static final String RESOURCES = "/dashboard";

    /**
     * File names are user input shown by the page; it inserts them only as text, and this policy
     * is the second line of defence: no inline script, nothing loaded from another origin.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
            + "frame-ancestors 'none'; form-action 'self'";

    private Dashboard() {
    }

    static void register(JavalinConfig config) {
        config.staticFiles.add(files -> {
            files.hostedPath = "/";
            files.directory = RESOURCES;
            files.location = Location.CLASSPATH;
            files.headers = Map.of(
                    "Content-Security-Policy", CONTENT_SECURITY_POLICY,
                    "X-Content-Type-Options", "nosniff",
                    "Referrer-Policy", "same-origin",
                    // Small files, changed with every release: revalidate instead of guessing an age.
                    "Cache-Control", "no-cache");
        });
    }
}
