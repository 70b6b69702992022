package io.granary.gateway.s3.sigv4;

import io.granary.gateway.s3.protocol.S3ErrorCode;
import io.granary.gateway.s3.protocol.S3Exception;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/**
 * One decoded {@code name=value} of a query string, and the canonical query string SigV4 signs: every
 * name and value decoded, re-encoded with RFC 3986's unreserved set, sorted by name then value. A
 * {@code +} is read as a space, as S3 does.
 */
record QueryParameter(String name, String value) {
    private static final Comparator<String[]> BY_NAME_THEN_VALUE =
            Comparator.<String[], String>comparing(pair -> pair[0]).thenComparing(pair -> pair[1]);

    /** The parameters of {@code rawQuery} in order; a name without {@code =} has the value "". */
    static List<QueryParameter> parse(String rawQuery) {
        List<QueryParameter> parameters = new ArrayList<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return parameters;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            parameters.add(new QueryParameter(decode(name), decode(value)));
        }
        return parameters;
    }

    /** The canonical query string of {@code parameters}, leaving out those {@code excluded} names. */
    static String canonical(List<QueryParameter> parameters, Predicate<String> excluded) {
        List<String[]> encoded = new ArrayList<>(parameters.size());
        for (QueryParameter parameter : parameters) {
            if (!parameter.name.isEmpty() && !excluded.test(parameter.name)) {
                encoded.add(new String[] {encode(parameter.name), encode(parameter.value)});
            }
        }
        encoded.sort(BY_NAME_THEN_VALUE);
        StringBuilder canonical = new StringBuilder();
        for (String[] pair : encoded) {
            if (canonical.length() > 0) {
                canonical.append('&');
            }
            canonical.append(pair[0]).append('=').append(pair[1]);
        }
        return canonical.toString();
    }

    private static String decode(String raw) {
        if (raw.indexOf('%') < 0 && raw.indexOf('+') < 0) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        int i = 0;
        while (i < raw.length()) {
            char c = raw.charAt(i);
            if (c == '+') {
                bytes.write(' ');
                i++;
            } else if (c == '%') {
                int high = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
                int low = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 2), 16) : -1;
                if (high < 0 || low < 0) {
                    throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT,
                            "The query string has a malformed percent-encoding: " + raw);
                }
                bytes.write(high << 4 | low);
                i += 3;
            } else {
                int end = i;
                while (end < raw.length() && raw.charAt(end) != '%' && raw.charAt(end) != '+') {
                    end++;
                }
                bytes.writeBytes(raw.substring(i, end).getBytes(StandardCharsets.UTF_8));
                i = end;
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** {@code text}'s UTF-8 bytes, each outside {@code A-Z a-z 0-9 - _ . ~} written as {@code %XX}. */
    static String encode(String text) {
        StringBuilder encoded = new StringBuilder(text.length() + 8);
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
                    || c == '-' || c == '_' || c == '.' || c == '~') {
                encoded.append((char) c);
            } else {
                encoded.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return encoded.toString();
    }
}
