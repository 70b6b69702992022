package io.granary.gateway.s3;

import io.javalin.http.Context;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Writes the S3 port's successful XML answers. */
final class S3Responses {
    private S3Responses() {
    }

    /**
     * Sends {@code document} now, while the caller still holds what bounds it (see
     * {@link DocumentSlots}), rather than after the handler returns.
     */
    static void xml(Context ctx, int status, String document) {
        byte[] body = document.getBytes(StandardCharsets.UTF_8);
        ctx.status(status).contentType("application/xml");
        ctx.res().setContentLength(body.length);
        try {
            ctx.res().getOutputStream().write(body);
        } catch (IOException e) {
            // the client went away: nothing else to tell it
        }
    }
}
