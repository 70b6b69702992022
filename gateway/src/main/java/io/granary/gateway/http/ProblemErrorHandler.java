package io.granary.gateway.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Jetty's error pages as problem+json. Jetty answers some requests itself before the router sees
 * them (a path with a bad percent-escape or a NUL, headers too large); those get the same problem
 * shape as every other error.
 */
public final class ProblemErrorHandler extends ErrorHandler {

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, Problem.CONTENT_TYPE);
        if (status == HttpServletResponse.SC_SERVICE_UNAVAILABLE) {
            fields.put(HttpHeader.RETRY_AFTER, Long.toString(HttpErrors.RETRY_AFTER_SECONDS));
        }
        return ByteBuffer.wrap(HttpErrors.json(HttpErrors.problemForStatus(status, detail(status, reason), null)));
    }

    @Override
    protected void generateAcceptableResponse(Request baseRequest, HttpServletRequest request,
                                              HttpServletResponse response, int code, String message)
            throws IOException {
        byte[] body = HttpErrors.json(HttpErrors.problemForStatus(code, detail(code, message),
                request.getRequestURI()));
        response.setContentType(Problem.CONTENT_TYPE);
        if (code == HttpServletResponse.SC_SERVICE_UNAVAILABLE) {
            response.setHeader("Retry-After", Long.toString(HttpErrors.RETRY_AFTER_SECONDS));
        }
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        baseRequest.setHandled(true);
    }

    private static String detail(int status, String reason) {
        String why = reason == null || reason.isBlank() ? "no reason given" : reason;
        return status == 400
                ? "the request is malformed (" + why + "); check the path's percent-escapes and characters"
                : "the request was refused (" + why + ")";
    }
}
