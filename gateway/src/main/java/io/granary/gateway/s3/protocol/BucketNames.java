package io.granary.gateway.s3.protocol;

import java.util.regex.Pattern;

/**
 * S3's rules for the name of a new bucket: 3 to 63 characters of lower-case letters, digits, dots and
 * hyphens, beginning and ending with a letter or digit, no two dots together, not an IP address.
 * Existing top-level directories of other names stay reachable in path style; only CreateBucket
 * insists on these rules.
 */
public final class BucketNames {
    private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9.\\-]{1,61}[a-z0-9]");
    private static final Pattern IP_ADDRESS = Pattern.compile("\\d+\\.\\d+\\.\\d+\\.\\d+");

    private BucketNames() {
    }

    /**
     * Checks a name for CreateBucket.
     *
     * @throws S3Exception InvalidBucketName, saying which rule it breaks
     */
    public static void checkNew(String name) {
        if (!VALID.matcher(name).matches() || name.contains("..") || IP_ADDRESS.matcher(name).matches()
                || name.startsWith("xn--") || name.endsWith("-s3alias")) {
            throw new S3Exception(S3ErrorCode.INVALID_BUCKET_NAME, "The specified bucket is not valid: a bucket "
                    + "name has 3 to 63 lower-case letters, digits, dots and hyphens, begins and ends with a letter "
                    + "or digit, and is not an IP address");
        }
    }

    /** Whether a top-level directory's name can be addressed as a bucket at all (one path segment). */
    public static boolean isAddressable(String name) {
        return !name.isEmpty() && name.indexOf('/') < 0 && !name.equals(".") && !name.equals("..");
    }
}
