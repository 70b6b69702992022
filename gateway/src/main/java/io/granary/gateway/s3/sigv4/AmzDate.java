package io.granary.gateway.s3.sigv4;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Optional;

/** SigV4's timestamp form, ISO 8601 basic in UTC: {@code yyyyMMdd'T'HHmmss'Z'}. */
final class AmzDate {
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC)
            .withResolverStyle(ResolverStyle.STRICT);

    private AmzDate() {
    }

    static Optional<Instant> parse(String text) {
        try {
            return Optional.of(FORMAT.parse(text, Instant::from));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    static String format(Instant instant) {
        return FORMAT.format(instant);
    }
}
