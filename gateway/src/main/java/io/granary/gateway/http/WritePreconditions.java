package io.granary.gateway.http;

import io.granary.client.UploadOptions;
import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.javalin.http.Context;
import io.javalin.http.Header;

/**
 * The conditional headers of a write (RFC 9110 §13.1): {@code If-Match} with the current file's ETag
 * (its SHA-256) or {@code *}, and {@code If-None-Match: *}. The master checks them when the upload
 * starts and again atomically at commit; a failed one is 412 and changes nothing.
 */
public final class WritePreconditions {
    private WritePreconditions() {
    }

    /** {@code options} with the request's write preconditions. */
    public static UploadOptions apply(Context ctx, UploadOptions options) {
        UploadOptions out = options;
        String ifMatch = ctx.header(Header.IF_MATCH);
        if (ifMatch != null) {
            out = out.withIfMatch(ifMatch(ifMatch.trim()));
        }
        String ifNoneMatch = ctx.header(Header.IF_NONE_MATCH);
        if (ifNoneMatch != null) {
            if (!ifNoneMatch.trim().equals("*")) {
                throw GranaryException.invalid("a write accepts only 'If-None-Match: *' (create only), not '"
                        + ifNoneMatch + "'");
            }
            out = out.withIfNoneMatch(true);
        }
        return out;
    }

    private static String ifMatch(String value) {
        if (value.equals("*")) {
            return "*";
        }
        if (value.contains(",")) {
            throw GranaryException.invalid("If-Match takes one entity tag on a write, not a list: '" + value + "'");
        }
        if (value.startsWith("W/")) {
            // If-Match compares strongly: a weak tag never matches (RFC 9110 §13.1.1)
            throw new GranaryException(ErrorKind.PRECONDITION_FAILED, "If-Match " + value
                    + " is a weak entity tag, which never matches");
        }
        if (value.length() < 2 || !value.startsWith("\"") || !value.endsWith("\"")) {
            throw GranaryException.invalid("If-Match must be a quoted entity tag such as \"<sha256>\", or *, not '"
                    + value + "'");
        }
        return value.substring(1, value.length() - 1);
    }
}
