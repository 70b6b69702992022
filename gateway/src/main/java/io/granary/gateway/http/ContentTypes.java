package io.granary.gateway.http;

import io.granary.common.GranaryPath;
import java.net.URLConnection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The MIME type of a file: the one its uploader sent, else one guessed from its name's extension
 * (so a browser plays an MP4 that was uploaded with {@code curl -T}), else opaque bytes.
 */
public final class ContentTypes {
    static final String OCTET_STREAM = "application/octet-stream";

    /** Types a browser must know to play or show a file, which the JDK's own table lacks. */
    private static final Map<String, String> BY_EXTENSION = Map.ofEntries(
            Map.entry("mp4", "video/mp4"), Map.entry("m4v", "video/mp4"), Map.entry("webm", "video/webm"),
            Map.entry("mov", "video/quicktime"), Map.entry("mkv", "video/x-matroska"),
            Map.entry("mp3", "audio/mpeg"), Map.entry("m4a", "audio/mp4"), Map.entry("ogg", "audio/ogg"),
            Map.entry("wav", "audio/wav"), Map.entry("json", "application/json"),
            Map.entry("js", "text/javascript"), Map.entry("css", "text/css"), Map.entry("svg", "image/svg+xml"),
            Map.entry("webp", "image/webp"), Map.entry("wasm", "application/wasm"), Map.entry("md", "text/markdown"));

    /** Sent types that say nothing about the content, so a guess from the name is better. */
    private static final List<String> UNINFORMATIVE = List.of(OCTET_STREAM, "application/x-www-form-urlencoded");

    /**
     * Types a browser runs or renders as a document of their own (scripts, markup, PDF): the ones a
     * presigned upload may store only when its signer signed them.
     */
    private static final List<String> ACTIVE = List.of("text/html", "application/xhtml+xml", "image/svg+xml",
            "text/xml", "application/xml", "text/xsl", "application/xslt+xml", "text/javascript",
            "application/javascript", "application/x-javascript", "text/ecmascript", "application/ecmascript",
            "application/wasm", "application/pdf", "text/css", "multipart/x-mixed-replace");

    private ContentTypes() {
    }

    /** The type to store for an upload of {@code path} that was sent with {@code given} (may be null). */
    public static String forUpload(String given, GranaryPath path) {
        if (given != null && !given.isBlank() && !UNINFORMATIVE.contains(baseType(given))) {
            return given.trim();
        }
        return guess(path.name());
    }

    /** The type to serve for a stored file: the stored one, or a guess from its name. */
    public static String forDownload(String stored, String fileName) {
        return stored == null || stored.isBlank() ? guess(fileName) : stored;
    }

    /** Whether {@code type} (any case, with or without parameters) is active content, see {@link #ACTIVE}. */
    public static boolean isActive(String type) {
        String base = baseType(type);
        return ACTIVE.contains(base) || base.endsWith("+xml") || base.isEmpty() || base.indexOf('/') < 0;
    }

    static String guess(String fileName) {
        int dot = fileName.lastIndexOf('.');
        if (dot >= 0) {
            String known = BY_EXTENSION.get(fileName.substring(dot + 1).toLowerCase(Locale.ROOT));
            if (known != null) {
                return known;
            }
        }
        String jdk = URLConnection.guessContentTypeFromName(fileName);
        return jdk != null ? jdk : OCTET_STREAM;
    }

    /** The type without its parameters, lower case: {@code text/html} for {@code Text/HTML; charset=utf-8}. */
    static String baseType(String type) {
        int semicolon = type.indexOf(';');
        return (semicolon < 0 ? type : type.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }
}
