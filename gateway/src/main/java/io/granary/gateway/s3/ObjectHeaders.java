package io.granary.gateway.s3;

import io.granary.common.meta.FileMeta;
import io.granary.gateway.s3.protocol.S3ErrorCode;
import io.granary.gateway.s3.protocol.S3Exception;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * An object's headers on the S3 port: the ETag, and the metadata stored with the file. User metadata
 * ({@code x-amz-meta-*}) is stored under its lower-case header name; the standard headers S3 keeps
 * ({@code Content-Disposition}, {@code Cache-Control}, …) under theirs, lower-case too.
 */
final class ObjectHeaders {
    /** The user metadata prefix. */
    static final String USER_META = "x-amz-meta-";
    /** The standard headers S3 stores with an object and sends back. */
    static final Set<String> STORED = Set.of("content-disposition", "cache-control", "content-encoding",
            "content-language", "expires");
    /** S3's limit on user metadata: 2 KiB of names and values. */
    static final int MAX_USER_METADATA_BYTES = 2048;
    /** The ETag of no bytes, which a folder has. */
    static final String EMPTY_ETAG = "\"d41d8cd98f00b204e9800998ecf8427e\"";

    private ObjectHeaders() {
    }

    /** An object's ETag, quoted, from its file's digests: see {@link #etag(String, String)}. */
    static String etag(FileMeta file) {
        return etag(file.etag(), file.sha256());
    }

    /**
     * An object's ETag, quoted: its MD5 (or multipart ETag) when computed at upload; for a file written
     * through the HTTP API without one, a tag made from its SHA-256 with a {@code -1} suffix, which S3
     * clients take for a multipart ETag and do not compare with an MD5. The one rule for every response
     * that shows an ETag, whether it read the file's metadata or a directory listing.
     *
     * @param storedEtag the file's etag as committed ("" when none)
     * @param sha256     the file's hex SHA-256 ("" when none)
     */
    static String etag(String storedEtag, String sha256) {
        if (!storedEtag.isEmpty()) {
            return '"' + storedEtag + '"';
        }
        String sha = sha256.isEmpty() ? "d41d8cd98f00b204e9800998ecf8427e" : sha256.substring(0, 32);
        return '"' + sha + "-1\"";
    }

    /** The metadata a write stores: the request's {@code x-amz-meta-*} and standard headers. */
    static Map<String, String> fromRequest(Context ctx) {
        Map<String, String> metadata = new TreeMap<>();
        int userBytes = 0;
        for (String name : Collections.list(ctx.req().getHeaderNames())) {
            String lower = name.toLowerCase(Locale.ROOT);
            String value = ctx.req().getHeader(name);
            if (lower.startsWith(USER_META) && lower.length() > USER_META.length()) {
                metadata.put(lower, value);
                userBytes += lower.length() - USER_META.length() + value.getBytes(StandardCharsets.UTF_8).length;
            } else if (STORED.contains(lower)) {
                if (lower.equals("content-encoding")) {
                    value = withoutAwsChunked(value);
                    if (value.isEmpty()) {
                        continue;
                    }
                }
                metadata.put(lower, value);
            }
        }
        if (userBytes > MAX_USER_METADATA_BYTES) {
            throw new S3Exception(S3ErrorCode.METADATA_TOO_LARGE, "Your metadata headers exceed the maximum allowed "
                    + "metadata size: " + userBytes + " bytes, the most is " + MAX_USER_METADATA_BYTES);
        }
        return metadata;
    }

    /** Sends a file's stored metadata back as headers. */
    static void send(Context ctx, FileMeta file) {
        file.metadata().forEach(ctx::header);
    }

    /** {@code Content-Encoding} without the {@code aws-chunked} that names the transfer, not the object. */
    static String withoutAwsChunked(String value) {
        StringBuilder kept = new StringBuilder();
        for (String part : value.split(",")) {
            String coding = part.trim();
            if (!coding.isEmpty() && !coding.equalsIgnoreCase("aws-chunked")) {
                kept.append(kept.length() == 0 ? "" : ",").append(coding);
            }
        }
        return kept.toString();
    }
}
