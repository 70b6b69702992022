package io.granary.gateway.s3.sigv4;

import io.granary.gateway.s3.protocol.S3ErrorCode;
import io.granary.gateway.s3.protocol.S3Exception;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * The {@code Credential} of a signature, {@code AKID/yyyymmdd/region/s3/aws4_request}: any region is
 * taken (the client signs for the region it believes in), the service must be {@code s3}.
 */
record Credential(String accessKeyId, CredentialScope scope) {
    static final String SERVICE = "s3";
    private static final Pattern DAY = Pattern.compile("\\d{8}");

    /**
     * Reads {@code text}, refusing a malformed one with {@code code}; {@code prefix} starts the message
     * (S3 words it differently for the header and for the query string).
     */
    static Credential parse(String text, S3ErrorCode code, String prefix) {
        String[] parts = text.split("/", -1);
        if (parts.length != 5 || parts[0].isEmpty() || parts[2].isEmpty() || !DAY.matcher(parts[1]).matches()) {
            throw new S3Exception(code, prefix + "the Credential is mal-formed; expecting "
                    + "\"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".");
        }
        LocalDate date;
        try {
            date = LocalDate.parse(parts[1], DateTimeFormatter.BASIC_ISO_DATE);
        } catch (DateTimeParseException e) {
            throw new S3Exception(code, prefix + "the Credential date \"" + parts[1] + "\" is not a date.");
        }
        if (!SERVICE.equals(parts[3])) {
            throw new S3Exception(code, prefix + "incorrect service \"" + parts[3]
                    + "\". This endpoint belongs to \"" + SERVICE + "\".");
        }
        if (!CredentialScope.TERMINATOR.equals(parts[4])) {
            throw new S3Exception(code, prefix + "incorrect terminal \"" + parts[4]
                    + "\". This endpoint uses \"" + CredentialScope.TERMINATOR + "\".");
        }
        return new Credential(parts[0], new CredentialScope(date, parts[2], parts[3]));
    }
}
