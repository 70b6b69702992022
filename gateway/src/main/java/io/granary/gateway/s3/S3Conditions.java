package io.granary.gateway.s3;

import io.granary.common.meta.FileMeta;
import io.granary.gateway.s3.protocol.S3ErrorCode;
import io.granary.gateway.s3.protocol.S3Exception;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * S3's conditional headers, judged against an object's ETag (quoted or not, as S3 clients send it)
 * and its Last-Modified second: a GET's or HEAD's {@code If-*}, and a copy's
 * {@code x-amz-copy-source-if-*} on its source. A date S3 cannot read is ignored, as in HTTP.
 */
final class S3Conditions {
    private S3Conditions() {
    }

    /** If-Match, else If-Unmodified-Since, fails (412): a matching If-Match wins over a failing date. */
    static boolean fail(Context ctx, FileMeta file, String etag) {
        return fail(ctx.header("If-Match"), ctx.header("If-Unmodified-Since"), file, etag);
    }

    /** If-None-Match, else If-Modified-Since, says the client's copy is current (304). */
    static boolean notModified(Context ctx, FileMeta file, String etag) {
        return notModified(ctx.header("If-None-Match"), ctx.header("If-Modified-Since"), file, etag);
    }

    /**
     * The copy's conditions on its source: the same four as a GET's, except that any of them failing
     * (a source not modified included) refuses the copy.
     *
     * @throws S3Exception PreconditionFailed when one of them fails; nothing is copied
     */
    static void checkCopySource(Context ctx, FileMeta source) {
        String etag = ObjectHeaders.etag(source);
        if (fail(ctx.header("x-amz-copy-source-if-match"), ctx.header("x-amz-copy-source-if-unmodified-since"),
                source, etag)
                || notModified(ctx.header("x-amz-copy-source-if-none-match"),
                ctx.header("x-amz-copy-source-if-modified-since"), source, etag)) {
            throw new S3Exception(S3ErrorCode.PRECONDITION_FAILED, "At least one of the pre-conditions you "
                    + "specified did not hold");
        }
    }

    private static boolean fail(String ifMatch, String ifUnmodifiedSince, FileMeta file, String etag) {
        if (ifMatch != null) {
            return !matches(ifMatch, etag);
        }
        Instant since = date(ifUnmodifiedSince);
        return since != null && file.modified().getEpochSecond() > since.getEpochSecond();
    }

    private static boolean notModified(String ifNoneMatch, String ifModifiedSince, FileMeta file, String etag) {
        if (ifNoneMatch != null) {
            return matches(ifNoneMatch, etag);
        }
        Instant since = date(ifModifiedSince);
        return since != null && file.modified().getEpochSecond() <= since.getEpochSecond();
    }

    private static boolean matches(String header, String etag) {
        for (String candidate : header.split(",")) {
            String tag = candidate.trim();
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.equals("*") || tag.equals(etag) || ('"' + tag + '"').equals(etag)) {
                return true;
            }
        }
        return false;
    }

    private static Instant date(String header) {
        if (header == null) {
            return null;
        }
        try {
            return ZonedDateTime.parse(header.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
