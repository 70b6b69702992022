package io.granary.gateway.s3;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;

/** Writes the S3 port's successful XML answers. */
final class S3Responses {
    private S3Responses() {
    }

    static void xml(Context ctx, int status, String document) {
        byte[] body = document.getBytes(StandardCharsets.UTF_8);
        ctx.status(status).contentType("application/xml");
        ctx.result(body);
    }
}
