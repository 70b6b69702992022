package io.granary.gateway.http;

import io.granary.common.meta.FileMeta;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;

/**
 * Validators of a file version and the conditional request headers that use them. The ETag is the
 * content's SHA-256, a strong validator: equal tags mean equal bytes.
 */
public final class Conditionals {
    /** IMF-fixdate (RFC 9110 §5.6.7), e.g. {@code Sun, 06 Nov 1994 08:49:37 GMT}. */
    public static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private Conditionals() {
    }

    public static String etag(FileMeta file) {
        return "\"" + file.sha256() + "\"";
    }

    public static String lastModified(FileMeta file) {
        return HTTP_DATE.format(file.modified().truncatedTo(ChronoUnit.SECONDS));
    }

    /**
     * Whether {@code If-None-Match} matches the current tag, so the answer is 304. {@code *} matches
     * any existing file; a list matches when any member does, by weak comparison (RFC 9110 §13.1.2).
     */
    public static boolean isNotModified(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        if (ifNoneMatch.trim().equals("*")) {
            return true;
        }
        String opaque = opaque(etag);
        int i = 0;
        while (i < ifNoneMatch.length()) {
            char c = ifNoneMatch.charAt(i);
            if (c == ' ' || c == '\t' || c == ',') {
                i++;
            } else if (ifNoneMatch.startsWith("W/\"", i) || c == '"') {
                int open = ifNoneMatch.indexOf('"', i);
                int close = ifNoneMatch.indexOf('"', open + 1);
                if (close < 0) {
                    return false;
                }
                if (ifNoneMatch.substring(open, close + 1).equals(opaque)) {
                    return true;
                }
                i = close + 1;
            } else {
                return false; // not a list of entity tags: ignore it
            }
        }
        return false;
    }

    /**
     * Whether a {@code Range} may be honoured given {@code If-Range}: yes without one, or when it
     * names this version exactly (strong comparison of the tag, or the same Last-Modified date).
     */
    public static boolean rangeStillValid(String ifRange, String etag, String lastModified) {
        if (ifRange == null) {
            return true;
        }
        String value = ifRange.trim();
        return value.equals(etag) || value.equals(lastModified);
    }

    /**
     * Whether {@code If-Match} fails for the current tag, so the answer is 412: it is present, not
     * {@code *}, and names no tag equal to the current one by strong comparison (RFC 9110 §13.1.1).
     */
    public static boolean ifMatchFails(String ifMatch, String etag) {
        if (ifMatch == null || ifMatch.trim().equals("*")) {
            return false;
        }
        for (String tag : ifMatch.split(",")) {
            if (tag.trim().equals(etag)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the file changed after the date of an {@code If-Modified-Since} or
     * {@code If-Unmodified-Since} header; empty when the header is absent or not a date, in which case
     * it is ignored, as RFC 9110 §13.1.3 and §13.1.4 require.
     */
    public static Optional<Boolean> modifiedSince(String httpDate, FileMeta file) {
        if (httpDate == null) {
            return Optional.empty();
        }
        try {
            Instant since = ZonedDateTime.parse(httpDate.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return Optional.of(file.modified().truncatedTo(ChronoUnit.SECONDS).isAfter(since));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static String opaque(String etag) {
        return etag.startsWith("W/") ? etag.substring(2) : etag;
    }
}
