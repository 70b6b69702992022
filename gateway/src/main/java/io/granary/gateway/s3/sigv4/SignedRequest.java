package io.granary.gateway.s3.sigv4;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a SigV4 signature covers, taken from a raw HTTP request by the server adapter: the method, the
 * path exactly as sent (still percent-encoded: S3 signs it as is), the raw query string ({@code null}
 * when the request has none) and every header with all its values. Header names are lower-cased on
 * construction, and values of a name sent twice in different cases are merged in order, so lookups
 * are case-insensitive. From a servlet request: {@code getMethod()}, {@code getRequestURI()},
 * {@code getQueryString()} and {@code getHeaders(name)} for every name.
 */
public record SignedRequest(String method, String rawPath, String rawQuery, Map<String, List<String>> headers) {

    public SignedRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(rawPath, "rawPath");
        headers = lowerCased(Objects.requireNonNull(headers, "headers"));
    }

    /** The request's headers keyed by lower-cased name, in the order given; values keep their order. */
    public static Map<String, List<String>> lowerCased(Map<String, ? extends Collection<String>> headers) {
        Map<String, List<String>> merged = new LinkedHashMap<>();
        headers.forEach((name, values) -> merged
                .computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>())
                .addAll(values));
        merged.replaceAll((name, values) -> List.copyOf(values));
        return Collections.unmodifiableMap(merged);
    }

    /** All values of the header {@code name} (any case), empty when it is absent. */
    public List<String> headerValues(String name) {
        return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    /** The first value of the header {@code name} (any case). */
    public Optional<String> header(String name) {
        List<String> values = headerValues(name);
        return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }
}
