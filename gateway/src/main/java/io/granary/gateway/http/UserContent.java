package io.granary.gateway.http;

import io.javalin.http.Context;
import io.javalin.http.Header;
import java.util.Set;

/**
 * The headers every download of a stored file (GET and HEAD) carries, so that content chosen by an
 * uploader can never act with the dashboard's origin, which it shares:
 * <ul>
 *   <li>{@code Content-Security-Policy: sandbox}: a page opened from the gateway runs in an opaque
 *       origin without scripts, forms or popups, so it cannot read the dashboard's storage or call
 *       the API with anyone's credentials;</li>
 *   <li>{@code X-Content-Type-Options: nosniff}: a browser uses the served type, never a guess from
 *       the bytes;</li>
 *   <li>{@code Content-Disposition: attachment} for every type not on {@link #INLINE} (HTML, SVG,
 *       XML, scripts, PDF, anything unknown): it is saved, not shown. Images (not SVG), audio, video
 *       and plain text are shown inline, so a browser plays a video or shows a photo from its link.</li>
 * </ul>
 */
public final class UserContent {
    public static final String CONTENT_SECURITY_POLICY = "sandbox";
    /** Shown inline: types a browser renders without running anything from the file. */
    static final Set<String> INLINE = Set.of("text/plain", "image/png", "image/jpeg", "image/gif", "image/webp",
            "image/avif", "image/bmp", "image/x-icon", "image/vnd.microsoft.icon");
    /** Whole families shown inline. */
    private static final Set<String> INLINE_FAMILIES = Set.of("video/", "audio/");

    private UserContent() {
    }

    /**
     * Sets the headers for serving {@code fileName} as {@code contentType}.
     *
     * @param attachment true when the client asked to save the file ({@code ?download=1}) whatever its type
     */
    public static void protect(Context ctx, String contentType, String fileName, boolean attachment) {
        ctx.header(Header.X_CONTENT_TYPE_OPTIONS, "nosniff");
        ctx.header(Header.CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY);
        if (attachment || !isInline(contentType)) {
            ctx.header(Header.CONTENT_DISPOSITION, ContentDisposition.attachment(fileName));
        }
    }

    /** Whether {@code contentType} (with or without parameters, any case) is shown inline. */
    static boolean isInline(String contentType) {
        String base = ContentTypes.baseType(contentType == null ? "" : contentType);
        return INLINE.contains(base) || INLINE_FAMILIES.stream().anyMatch(base::startsWith);
    }
}
