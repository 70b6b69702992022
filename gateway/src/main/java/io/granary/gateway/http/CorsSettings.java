package io.granary.gateway.http;

import io.granary.common.Durations;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which web pages on other origins may call the HTTP API from a browser (CORS), and with what. Off
 * when no origin is allowed, the default: a browser then lets no script on another origin read an
 * answer. Immutable; validated on construction.
 *
 * <p>Credentials in the CORS sense (cookies, HTTP authentication) are never allowed: the API takes
 * its token in the {@code Authorization} header, which a page sends explicitly, so a page can only use
 * a token it was given, never one the browser holds for the user.
 *
 * @param allowedOrigins origins ({@code https://app.example.com}, {@code http://localhost:3000}) whose
 *                       scripts may call the API, or the one entry {@code *} for any; empty for none
 * @param allowedMethods methods a cross-origin call may use
 * @param allowedHeaders request headers a cross-origin call may send (beyond those a browser always may)
 * @param maxAge         how long a browser may keep a preflight's answer
 */
public record CorsSettings(List<String> allowedOrigins, List<String> allowedMethods, List<String> allowedHeaders,
                           Duration maxAge) {
    public static final String DEFAULT_METHODS_TEXT = "GET,HEAD,PUT,POST,PATCH,DELETE";
    public static final String DEFAULT_HEADERS_TEXT =
            "Authorization,Content-Type,Range,If-Match,If-None-Match,If-Modified-Since,X-Request-Id";
    public static final String DEFAULT_MAX_AGE_TEXT = "10m";
    public static final Duration DEFAULT_MAX_AGE = Durations.parse(DEFAULT_MAX_AGE_TEXT);
    /**
     * Answer headers a script on an allowed origin may read, beyond the few a browser always shows:
     * what a file client needs to resume, check and follow a transfer and to report a problem.
     */
    public static final List<String> EXPOSED_HEADERS = List.of("ETag", "Last-Modified", "Content-Range",
            "Content-Length", "Content-Disposition", "Accept-Ranges", "Location", "Retry-After", "X-Request-Id");
    public static final String ANY_ORIGIN = "*";
    /** An HTTP token (RFC 9110): what a method or a header name is made of. Before {@link #OFF}, which uses it. */
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    public static final CorsSettings OFF = new CorsSettings(List.of(), split(DEFAULT_METHODS_TEXT),
            split(DEFAULT_HEADERS_TEXT), DEFAULT_MAX_AGE);

    public CorsSettings {
        allowedOrigins = allowedOrigins == null ? List.of() : allowedOrigins.stream().map(String::strip).toList();
        allowedOrigins.forEach(CorsSettings::checkOrigin);
        if (allowedOrigins.contains(ANY_ORIGIN) && allowedOrigins.size() > 1) {
            throw new IllegalArgumentException("CORS origin * allows every origin: give it alone, not with "
                    + allowedOrigins);
        }
        allowedMethods = tokens("CORS method", allowedMethods).stream().map(m -> m.toUpperCase(Locale.ROOT)).toList();
        if (allowedMethods.isEmpty()) {
            throw new IllegalArgumentException("CORS needs at least one allowed method");
        }
        allowedHeaders = tokens("CORS header", allowedHeaders);
        if (maxAge == null || maxAge.isNegative()) {
            throw new IllegalArgumentException("CORS max age must be zero or more, not " + maxAge);
        }
    }

    /** Whether any origin is allowed at all. */
    public boolean enabled() {
        return !allowedOrigins.isEmpty();
    }

    /** A comma-separated list as a flag takes it, blanks dropped: {@code "a, b,"} is {@code [a, b]}. */
    public static List<String> split(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        return List.of(text.split(",")).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static List<String> tokens(String what, List<String> values) {
        List<String> out = values == null ? List.of() : values.stream().map(String::strip).toList();
        for (String value : out) {
            if (!TOKEN.matcher(value).matches()) {
                throw new IllegalArgumentException(what + " '" + value + "' is not an HTTP token");
            }
        }
        return out;
    }

    /** An origin is a scheme, a host and maybe a port: exactly what a browser sends in {@code Origin}. */
    private static void checkOrigin(String origin) {
        if (origin.equals(ANY_ORIGIN)) {
            return;
        }
        URI uri;
        try {
            uri = new URI(origin);
        } catch (Exception e) {
            throw new IllegalArgumentException("CORS origin '" + origin + "' is not an origin like https://app.example.com");
        }
        boolean web = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
        if (!web || uri.getHost() == null || uri.getRawUserInfo() != null || !uri.getRawPath().isEmpty()
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("CORS origin '" + origin
                    + "' is not an origin (http or https, a host, maybe a port; no path, not even /)");
        }
    }
}
