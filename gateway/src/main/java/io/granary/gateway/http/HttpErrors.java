package io.granary.gateway.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.granary.client.UploadOutcomeUnknownException;
import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.granary.common.OverloadedException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Header;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.router.EndpointNotFound;
import jakarta.servlet.http.HttpServletResponse;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jetty.server.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one table from failures to HTTP: every error response of the gateway is an RFC 9457
 * problem written here, whether it comes from the client library (a {@link GranaryException}),
 * from routing (404, 405) or from a bug (500, without the stack trace).
 */
public final class HttpErrors {
    private static final Logger log = LoggerFactory.getLogger(HttpErrors.class);
    /** A problem is text and a number: no module is needed to write it. */
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * Seconds a client should wait before retrying after a 503, sent as {@code Retry-After} on every
     * one: an overloaded chunkserver sheds load for about a second, and a master or Redis that is
     * away is usually back (or failed over) within a few.
     */
    public static final long RETRY_AFTER_SECONDS = 2;
    /** The problem type of a refusal by a node at its configured limits (see docs/errors.md). */
    static final String OVERLOADED_SLUG = "overloaded";

    private static final Map<ErrorKind, HttpStatus> STATUS = new EnumMap<>(Map.ofEntries(
            Map.entry(ErrorKind.INVALID_ARGUMENT, HttpStatus.BAD_REQUEST),
            Map.entry(ErrorKind.NOT_FOUND, HttpStatus.NOT_FOUND),
            Map.entry(ErrorKind.ALREADY_EXISTS, HttpStatus.CONFLICT),
            Map.entry(ErrorKind.FAILED_PRECONDITION, HttpStatus.CONFLICT),
            // If-Match / If-None-Match on a write did not hold (RFC 9110 §13.1)
            Map.entry(ErrorKind.PRECONDITION_FAILED, HttpStatus.PRECONDITION_FAILED),
            Map.entry(ErrorKind.UNAUTHENTICATED, HttpStatus.UNAUTHORIZED),
            // a role too low, or a file the caller does not own
            Map.entry(ErrorKind.PERMISSION_DENIED, HttpStatus.FORBIDDEN),
            Map.entry(ErrorKind.UNAVAILABLE, HttpStatus.SERVICE_UNAVAILABLE),
            Map.entry(ErrorKind.DEADLINE_EXCEEDED, HttpStatus.GATEWAY_TIMEOUT),
            Map.entry(ErrorKind.RESOURCE_EXHAUSTED, HttpStatus.INSUFFICIENT_STORAGE),
            Map.entry(ErrorKind.DATA_LOSS, HttpStatus.BAD_GATEWAY),
            // The caller went away or a dependency cancelled: retrying may work.
            Map.entry(ErrorKind.CANCELLED, HttpStatus.SERVICE_UNAVAILABLE),
            Map.entry(ErrorKind.INTERNAL, HttpStatus.INTERNAL_SERVER_ERROR)));

    private HttpErrors() {
    }

    /** Registers the exception mappers that turn every failure of a handler into a problem. */
    public static void install(Javalin app) {
        app.exception(GranaryException.class, (e, ctx) -> respond(ctx, e, slug(e)));
        app.exception(HttpResponseException.class, HttpErrors::routingProblem);
        app.exception(Exception.class, (e, ctx) -> {
            log.error("{}: {} {} failed", GatewayNode.ID, ctx.method(), ctx.req().getRequestURI(), e);
            respond(ctx, Problem.of(500, slug(ErrorKind.INTERNAL), "Internal Server Error",
                    "internal error: " + e.getClass().getSimpleName(), ctx.req().getRequestURI()));
        });
    }

    /**
     * Writes {@code e} as the problem type {@code slug}, with the status of its kind. A 401 names the
     * scheme it expects (RFC 6750 §3).
     */
    public static void respond(Context ctx, GranaryException e, String slug) {
        HttpStatus status = STATUS.get(e.kind());
        respond(ctx, Problem.of(status.getCode(), slug, status.getMessage(), e.getMessage(), ctx.req().getRequestURI()));
        if (e.kind() == ErrorKind.UNAUTHENTICATED) {
            ctx.header(Header.WWW_AUTHENTICATE, "Bearer");
        }
    }

    private static String slug(GranaryException e) {
        return e instanceof UploadOutcomeUnknownException ? UploadOutcomeUnknownException.PROBLEM_SLUG
                : e instanceof OverloadedException ? OVERLOADED_SLUG
                : slug(e.kind());
    }

    /** A problem for a status that did not come from a {@link GranaryException} (routing, Jetty). */
    public static Problem problemForStatus(int code, String detail, String instance) {
        String slug = switch (code) {
            case 400 -> slug(ErrorKind.INVALID_ARGUMENT);
            case 401 -> slug(ErrorKind.UNAUTHENTICATED);
            case 403 -> slug(ErrorKind.PERMISSION_DENIED);
            case 404 -> slug(ErrorKind.NOT_FOUND);
            case 405 -> "method-not-allowed";
            case 412 -> "precondition-failed";
            case 413 -> "content-too-large";
            case 416 -> "range-not-satisfiable";
            case 431 -> "request-header-fields-too-large";
            case 503 -> slug(ErrorKind.UNAVAILABLE);
            case 504 -> slug(ErrorKind.DEADLINE_EXCEEDED);
            default -> code >= 500 ? slug(ErrorKind.INTERNAL) : "http-" + code;
        };
        return Problem.of(code, slug, HttpStatus.forStatus(code).getMessage(), detail, instance);
    }

    /**
     * Writes {@code problem} as the response. If the response is already on its way (a download
     * failed after its headers were sent) the connection is aborted instead, so a client never
     * takes a truncated body for a whole one.
     */
    public static void respond(Context ctx, Problem problem) {
        HttpServletResponse res = ctx.res();
        if (res.isCommitted()) {
            abort(ctx, new IllegalStateException(problem.detail()));
            return;
        }
        // Drops what a handler set for the success it expected (Content-Length, ETag, ...), but not the
        // CORS headers: they say who may read the answer, and a script on an allowed origin needs to
        // read a failure too.
        Map<String, List<String>> cors = new LinkedHashMap<>();
        for (String name : res.getHeaderNames()) {
            if (name.regionMatches(true, 0, "Access-Control-", 0, 15) || name.equalsIgnoreCase("Vary")) {
                cors.put(name, List.copyOf(res.getHeaders(name)));
            }
        }
        res.reset();
        cors.forEach((name, values) -> values.forEach(value -> res.addHeader(name, value)));
        res.setDateHeader("Date", System.currentTimeMillis());
        RequestTracing.echo(ctx); // the reset dropped it, and a failed request is the one worth tracing
        ctx.status(problem.status()).contentType(Problem.CONTENT_TYPE).result(json(problem));
        if (problem.status() == HttpStatus.SERVICE_UNAVAILABLE.getCode()) {
            ctx.header(Header.RETRY_AFTER, Long.toString(RETRY_AFTER_SECONDS)); // RFC 9110 §10.2.3
        }
    }

    /** Drops the connection under a response whose headers were already sent. */
    public static void abort(Context ctx, Throwable cause) {
        Request base = Request.getBaseRequest(ctx.req());
        if (base != null) {
            base.getHttpChannel().abort(cause);
        }
    }

    static byte[] json(Problem problem) {
        try {
            return MAPPER.writeValueAsBytes(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a problem is always serialisable", e);
        }
    }

    private static void routingProblem(HttpResponseException e, Context ctx) {
        String target = ctx.method() + " " + ctx.req().getRequestURI();
        String detail = switch (e.getStatus()) {
            case 404 -> e instanceof EndpointNotFound ? "no such endpoint: " + target : e.getMessage();
            case 405 -> ctx.method() + " is not allowed here; allowed: " + String.join(", ", e.getDetails().values());
            default -> e.getMessage();
        };
        respond(ctx, problemForStatus(e.getStatus(), detail, ctx.req().getRequestURI()));
        if (e.getStatus() == 405) {
            ctx.header(Header.ALLOW, String.join(", ", e.getDetails().values()));
        }
    }

    private static String slug(ErrorKind kind) {
        if (kind == ErrorKind.PERMISSION_DENIED) {
            return "forbidden";
        }
        return kind.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
