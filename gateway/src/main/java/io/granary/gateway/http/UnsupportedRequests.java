package io.granary.gateway.http;

import io.granary.common.GranaryException;
import io.javalin.http.Context;
import io.javalin.http.Header;
import io.javalin.http.HandlerType;
import java.util.List;
import java.util.Set;

/**
 * Requests the gateway refuses with 400 whatever their route, before the access decision:
 * <ul>
 *   <li>a method override ({@code X-HTTP-Method-Override}, {@code X-HTTP-Method},
 *       {@code X-Method-Override}, or a {@code _method} query parameter). Javalin would route such a
 *       request by the overriding method; refusing it keeps the method that routing, the access
 *       decision and a presigned URL's signature see one and the same: the request line's.
 *       No client of the API needs an override.</li>
 *   <li>a write ({@code PUT}, {@code POST}, {@code PATCH}) with {@code Content-Range}: a partial
 *       upload, which the gateway does not support, must not be stored as a whole file (RFC 9110 §14.5).</li>
 * </ul>
 */
public final class UnsupportedRequests {
    /** The headers that ask for another method than the request line's. */
    static final List<String> OVERRIDE_HEADERS = List.of("X-HTTP-Method-Override", "X-HTTP-Method",
            "X-Method-Override");
    /** The query parameter some frameworks read as a method override. */
    static final String OVERRIDE_PARAM = "_method";
    private static final Set<HandlerType> WRITES = Set.of(HandlerType.PUT, HandlerType.POST, HandlerType.PATCH);

    private UnsupportedRequests() {
    }

    /** The {@code before} handler; throws INVALID_ARGUMENT to refuse. */
    public static void refuse(Context ctx) {
        for (String header : OVERRIDE_HEADERS) {
            if (ctx.req().getHeader(header) != null) {
                throw GranaryException.invalid("method override (" + header + ") is not supported: send the "
                        + "method itself in the request line");
            }
        }
        // Only the query: reading a form body here would consume an upload (and nothing reads a form's _method).
        if (ctx.queryParamMap().containsKey(OVERRIDE_PARAM)) {
            throw GranaryException.invalid("method override (" + OVERRIDE_PARAM + ") is not supported: send the "
                    + "method itself in the request line");
        }
        if (ctx.req().getHeader(Header.CONTENT_RANGE) != null && WRITES.contains(ctx.method())) {
            throw GranaryException.invalid("Content-Range on " + ctx.method() + " is not supported: partial "
                    + "uploads are not; send the whole content");
        }
    }
}
