package io.granary.gateway.s3.protocol;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** The two ways S3 writes a time: ISO 8601 with milliseconds in XML, RFC 1123 in headers. */
public final class S3Times {
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private S3Times() {
    }

    /** {@code 2026-12-07T10:15:30.000Z}, as in ListObjects' LastModified. */
    public static String iso(Instant time) {
        return ISO.format(time.truncatedTo(ChronoUnit.MILLIS));
    }

    /** {@code Mon, 07 Dec 2026 10:15:30 GMT}, as in the Last-Modified header. */
    public static String http(Instant time) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(
                time.truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC));
    }
}
