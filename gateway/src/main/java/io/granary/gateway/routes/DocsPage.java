package io.granary.gateway.routes;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Header;

/**
 * The security headers of Swagger UI's page at {@link ApiDocs#UI_PATH}, which the Swagger plugin serves
 * without any: it may not be framed by another page (clickjacking an "Authorize" or "Try it out"),
 * and loads and talks to nothing but this gateway. The plugin's page starts Swagger UI with an inline
 * script and style, so those are allowed inline; every other source is this origin only.
 */
final class DocsPage {
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self' 'unsafe-inline'; "
            + "style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; "
            + "base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    private DocsPage() {
    }

    static void register(Javalin app) {
        app.after(ApiDocs.UI_PATH, DocsPage::protect);
    }

    private static void protect(Context ctx) {
        ctx.header(Header.CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY);
        ctx.header(Header.X_FRAME_OPTIONS, "DENY");
        ctx.header(Header.X_CONTENT_TYPE_OPTIONS, "nosniff");
        ctx.header("Referrer-Policy", "same-origin");
    }
}
