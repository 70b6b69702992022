package io.granary.gateway.s3;

import io.granary.client.UploadOutcomeUnknownException;
import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.granary.common.OverloadedException;
import io.granary.gateway.http.GatewayNode;
import io.granary.gateway.http.HttpErrors;
import io.granary.gateway.s3.protocol.S3ErrorCode;
import io.granary.gateway.s3.protocol.S3Exception;
import io.granary.gateway.s3.protocol.XmlWriter;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one table from failures to S3 answers: every error of the S3 port is S3's XML error document,
 * {@code <Error><Code/><Message/><Resource/><RequestId/></Error>}, with the code's status; never a
 * stack trace. A failure of the Granary client is translated by its kind; the operations translate
 * a NOT_FOUND themselves where S3 tells a missing bucket from a missing key.
 */
final class S3Errors {
    private static final Logger log = LoggerFactory.getLogger(S3Errors.class);
    static final String REQUEST_ID_HEADER = "x-amz-request-id";

    private static final Map<ErrorKind, S3ErrorCode> CODES = new EnumMap<>(Map.ofEntries(
            Map.entry(ErrorKind.INVALID_ARGUMENT, S3ErrorCode.INVALID_ARGUMENT),
            Map.entry(ErrorKind.NOT_FOUND, S3ErrorCode.NO_SUCH_KEY),
            // a parent that is a file, a key that is a directory: what a hierarchy cannot hold
            Map.entry(ErrorKind.ALREADY_EXISTS, S3ErrorCode.KEY_CONFLICT),
            Map.entry(ErrorKind.FAILED_PRECONDITION, S3ErrorCode.KEY_CONFLICT),
            Map.entry(ErrorKind.PRECONDITION_FAILED, S3ErrorCode.PRECONDITION_FAILED),
            Map.entry(ErrorKind.UNAUTHENTICATED, S3ErrorCode.ACCESS_DENIED),
            Map.entry(ErrorKind.PERMISSION_DENIED, S3ErrorCode.ACCESS_DENIED),
            Map.entry(ErrorKind.UNAVAILABLE, S3ErrorCode.SERVICE_UNAVAILABLE),
            Map.entry(ErrorKind.CANCELLED, S3ErrorCode.SERVICE_UNAVAILABLE),
            Map.entry(ErrorKind.DEADLINE_EXCEEDED, S3ErrorCode.SERVICE_UNAVAILABLE),
            Map.entry(ErrorKind.RESOURCE_EXHAUSTED, S3ErrorCode.STORAGE_FULL),
            Map.entry(ErrorKind.DATA_LOSS, S3ErrorCode.INTERNAL_ERROR),
            Map.entry(ErrorKind.INTERNAL, S3ErrorCode.INTERNAL_ERROR)));

    private S3Errors() {
    }

    /** The S3 answer to a failure of the Granary client. */
    static S3Exception translate(GranaryException e) {
        if (e instanceof OverloadedException) {
            return new S3Exception(S3ErrorCode.SLOW_DOWN, "Please reduce your request rate. " + e.getMessage(), e);
        }
        if (e instanceof UploadOutcomeUnknownException) {
            return new S3Exception(S3ErrorCode.SERVICE_UNAVAILABLE, e.getMessage(), e);
        }
        return new S3Exception(CODES.getOrDefault(e.kind(), S3ErrorCode.INTERNAL_ERROR), e.getMessage(), e);
    }

    /** Writes {@code e} as S3's error document (no body for HEAD, as S3). */
    static void respond(Context ctx, S3Exception e) {
        S3ErrorCode code = e.code();
        if (code.status() >= 500) {
            log.warn("{}: S3 {} {} failed: {} {}", GatewayNode.ID, ctx.method(), ctx.req().getRequestURI(), code.code(),
                    e.getMessage());
        }
        ctx.status(code.status());
        if (code.status() == 503) {
            ctx.header("Retry-After", Long.toString(HttpErrors.RETRY_AFTER_SECONDS));
        }
        String requestId = S3Server.requestId(ctx);
        if ("HEAD".equals(ctx.method().name())) {
            ctx.res().setContentLength(0);
            return;
        }
        String body = XmlWriter.document("Error", false)
                .element("Code", code.code())
                .element("Message", e.getMessage())
                .element("Resource", ctx.req().getRequestURI())
                .element("RequestId", requestId == null ? "" : requestId)
                .finish();
        ctx.contentType("application/xml");
        ctx.result(body.getBytes(StandardCharsets.UTF_8));
    }

    /** A failure no table names: logged with its trace here, answered as InternalError. */
    static void respondUnexpected(Context ctx, Throwable e) {
        log.error("{}: S3 {} {} failed", GatewayNode.ID, ctx.method(), ctx.req().getRequestURI(), e);
        respond(ctx, new S3Exception(S3ErrorCode.INTERNAL_ERROR,
                "We encountered an internal error. Please try again."));
    }
}
