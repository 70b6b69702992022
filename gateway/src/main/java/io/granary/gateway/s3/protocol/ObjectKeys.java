package io.granary.gateway.s3.protocol;

import io.granary.common.GranaryPath;
import java.nio.charset.StandardCharsets;

/**
 * How an S3 object key maps onto Granary's one namespace: object {@code key} of bucket {@code b} is
 * the file {@code /b/key}, each {@code /} of the key a directory level. S3 keys are any UTF-8 of up to
 * 1024 bytes; a hierarchical namespace cannot hold some of them, and those are refused here with a
 * clear error before anything is written (see docs/s3.md):
 * <ul>
 *   <li>an empty segment ({@code a//b}, a leading {@code /}) or a {@code .} or {@code ..} segment,
 *       or a control character: InvalidArgument;</li>
 *   <li>a key longer than 1024 bytes, or one that makes the whole path (bucket, slash and key) longer
 *       than Granary's 1024 bytes: KeyTooLongError.</li>
 * </ul>
 * A key ending in {@code /} names a directory (a "folder"), not a file: see {@link #isFolder}.
 */
public final class ObjectKeys {
    /** S3's limit on a key, in UTF-8 bytes. */
    public static final int MAX_KEY_BYTES = 1024;

    private ObjectKeys() {
    }

    /** Whether {@code key} names a folder: it ends with {@code /}. */
    public static boolean isFolder(String key) {
        return key.endsWith("/");
    }

    /**
     * The path of object {@code key} in {@code bucket}; a folder key gives its directory's path.
     *
     * @throws S3Exception KeyTooLongError or InvalidArgument, as the class says
     */
    public static GranaryPath path(String bucket, String key) {
        if (key.isEmpty()) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "an object key must not be empty");
        }
        int keyBytes = key.getBytes(StandardCharsets.UTF_8).length;
        if (keyBytes > MAX_KEY_BYTES) {
            throw new S3Exception(S3ErrorCode.KEY_TOO_LONG, "Your key is too long: it has " + keyBytes
                    + " bytes, the most is " + MAX_KEY_BYTES);
        }
        String trimmed = isFolder(key) ? key.substring(0, key.length() - 1) : key;
        String full = bucket + "/" + trimmed;
        int pathBytes = full.getBytes(StandardCharsets.UTF_8).length;
        if (pathBytes > GranaryPath.MAX_BYTES) {
            throw new S3Exception(S3ErrorCode.KEY_TOO_LONG, "Your key is too long: bucket name, '/' and key make "
                    + pathBytes + " bytes, and Granary's paths hold at most " + GranaryPath.MAX_BYTES);
        }
        for (String segment : trimmed.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "the key '" + key + "' has an empty, '.' or "
                        + "'..' segment between slashes, which Granary's hierarchical namespace cannot hold");
            }
        }
        try {
            return GranaryPath.of(full);
        } catch (RuntimeException e) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "the key '" + key + "' cannot be a Granary path: "
                    + e.getMessage());
        }
    }

    /** The path of a bucket: its top-level directory. */
    public static GranaryPath bucketPath(String bucket) {
        if (!BucketNames.isAddressable(bucket)) {
            throw new S3Exception(S3ErrorCode.INVALID_BUCKET_NAME, "The specified bucket is not valid: '"
                    + bucket + "'");
        }
        try {
            return GranaryPath.of(bucket);
        } catch (RuntimeException e) {
            throw new S3Exception(S3ErrorCode.INVALID_BUCKET_NAME, "The specified bucket is not valid: "
                    + e.getMessage());
        }
    }
}
