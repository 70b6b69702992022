package io.granary.gateway.http;

import io.granary.common.GranaryException;
import io.granary.common.GranaryPath;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.stream.Collectors;

/**
 * Namespace paths taken from the raw request URI, as the client sent it. Jetty normalises the
 * decoded path ({@code a/../b} becomes {@code b}) and the router decodes leniently, so neither is
 * used: a path with a dot segment, an empty segment or a bad escape is refused with 400, never
 * quietly turned into another path.
 */
public final class RequestPaths {
    public static final String FILES = "/api/v1/files";
    public static final String STAT = "/api/v1/stat";

    private RequestPaths() {
    }

    /**
     * The path that follows {@code prefix} in the request URI; the root when nothing does. One
     * trailing slash is tolerated, as the router tolerates it.
     *
     * @throws GranaryException INVALID_ARGUMENT for a path that is not valid
     */
    public static GranaryPath after(Context ctx, String prefix) {
        String raw = ctx.req().getRequestURI();
        String rest = raw.startsWith(prefix) ? raw.substring(prefix.length()) : raw;
        if (rest.isEmpty() || rest.equals("/")) {
            return GranaryPath.ROOT;
        }
        String encoded = rest.substring(1, rest.endsWith("/") ? rest.length() - 1 : rest.length());
        String decoded = decode(encoded);
        if (decoded.isEmpty() || decoded.startsWith("/") || decoded.endsWith("/")) {
            throw GranaryException.invalid("path has an empty segment ('//')");
        }
        return GranaryPath.of(decoded);
    }

    /** Like {@link #after}, for a path that must name a file or directory, not the root. */
    public static GranaryPath entryAfter(Context ctx, String prefix) {
        GranaryPath path = after(ctx, prefix);
        if (path.isRoot()) {
            throw GranaryException.invalid("a path is required after " + prefix + "/");
        }
        return path;
    }

    /**
     * Refuses a request whose URI has a {@code .} or {@code ..} segment, plain or percent-encoded,
     * anywhere: Jetty would route it by its normalised form.
     */
    public static void rejectDotSegments(Context ctx) {
        for (String segment : ctx.req().getRequestURI().split("/", -1)) {
            String plain = segment.replace("%2e", ".").replace("%2E", ".");
            if (plain.equals(".") || plain.equals("..")) {
                throw GranaryException.invalid("path has a '" + plain + "' segment");
            }
        }
    }

    /** The URI path of a file's download, each segment percent-encoded. */
    public static String fileUri(GranaryPath path) {
        return FILES + "/" + path.segments().stream()
                .map(s -> URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20"))
                .collect(Collectors.joining("/"));
    }

    /** Strict percent-decoding: every '%' starts two hex digits, and the bytes are UTF-8. */
    static String decode(String encoded) {
        if (encoded.indexOf('%') < 0) {
            return encoded;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
        int plainFrom = 0;
        for (int i = encoded.indexOf('%'); i >= 0; i = encoded.indexOf('%', plainFrom)) {
            bytes.writeBytes(encoded.substring(plainFrom, i).getBytes(StandardCharsets.UTF_8));
            if (i + 2 >= encoded.length() || !isHex(encoded.charAt(i + 1)) || !isHex(encoded.charAt(i + 2))) {
                throw GranaryException.invalid("path has a malformed percent-escape at position " + i);
            }
            bytes.write(HexFormat.fromHexDigits(encoded, i + 1, i + 3));
            plainFrom = i + 3;
        }
        bytes.writeBytes(encoded.substring(plainFrom).getBytes(StandardCharsets.UTF_8));
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw GranaryException.invalid("path is not valid UTF-8 once percent-decoded");
        }
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }
}
