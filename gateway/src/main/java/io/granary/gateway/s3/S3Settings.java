package io.granary.gateway.s3;

/**
 * The gateway's S3 port.
 *
 * @param port   the port; 0 picks a free one (logged); {@link #OFF} serves no S3 at all
 * @param domain for virtual-hosted-style requests ({@code bucket.domain}); empty: path style only
 * @param region the region GetBucketLocation names and signatures are expected in; signatures made for
 *               any other region are accepted too, as one cluster is one region
 */
public record S3Settings(int port, String domain, String region) {
    /** The port value that turns the S3 port off. */
    public static final int OFF = -1;
    /** The region of a cluster that names none. */
    public static final String DEFAULT_REGION = "us-east-1";

    public S3Settings {
        if (port < OFF || port > 65_535) {
            throw new IllegalArgumentException("the S3 port must be between 0 (any free port) and 65535, not " + port);
        }
        domain = domain == null ? "" : domain.trim().toLowerCase(java.util.Locale.ROOT);
        if (domain.startsWith(".") || domain.contains("/") || domain.contains(":")) {
            throw new IllegalArgumentException("the S3 domain is a host name such as s3.example.com, not '"
                    + domain + "'");
        }
        region = region == null || region.isBlank() ? DEFAULT_REGION : region.trim();
    }

    /** No S3 port. */
    public static S3Settings off() {
        return new S3Settings(OFF, "", DEFAULT_REGION);
    }

    /** An S3 port, path style only, in the default region. */
    public static S3Settings onPort(int port) {
        return new S3Settings(port, "", DEFAULT_REGION);
    }

    public boolean enabled() {
        return port != OFF;
    }
}
