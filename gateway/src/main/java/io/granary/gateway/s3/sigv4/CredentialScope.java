package io.granary.gateway.s3.sigv4;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * The scope a signature was made for: the day, the region and the service of the credential
 * {@code AKID/yyyymmdd/region/s3/aws4_request}.
 */
public record CredentialScope(LocalDate date, String region, String service) {
    static final String TERMINATOR = "aws4_request";

    public CredentialScope {
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(service, "service");
    }

    /** The scope as signed: {@code yyyymmdd/region/service/aws4_request}. */
    public String value() {
        return DateTimeFormatter.BASIC_ISO_DATE.format(date) + "/" + region + "/" + service + "/" + TERMINATOR;
    }
}
