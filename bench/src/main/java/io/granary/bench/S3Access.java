package io.granary.bench;

import io.granary.common.S3AccessKeys;

/**
 * Where and as whom the benchmark reaches a cluster's S3 port: its endpoint and one S3 key of the
 * admin. The secret key never appears in {@link #toString()}, which the report may print.
 *
 * @param endpoint    the S3 port's URL, e.g. {@code http://127.0.0.1:9000}, without a trailing slash
 * @param accessKeyId the access key id, sent in every signed request
 * @param secretKey   its secret key, the HMAC key of the signatures
 */
record S3Access(String endpoint, String accessKeyId, String secretKey) {
    /** The variables an external cluster's key is read from, as for {@code granary local} itself. */
    static final String ACCESS_KEY_VARIABLE = "GRANARY_S3_ACCESS_KEY";
    static final String SECRET_KEY_VARIABLE = "GRANARY_S3_SECRET_KEY";

    S3Access {
        if (endpoint == null || !(endpoint.startsWith("http://") || endpoint.startsWith("https://"))) {
            throw new IllegalArgumentException("an S3 endpoint is an http:// or https:// URL, not " + endpoint);
        }
        endpoint = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
        S3AccessKeys.checkAccessKeyId(accessKeyId);
        S3AccessKeys.checkSecretKey(secretKey);
    }

    /**
     * The S3 port of a running cluster, with the key in {@value #ACCESS_KEY_VARIABLE} and
     * {@value #SECRET_KEY_VARIABLE}.
     *
     * @throws IllegalArgumentException when either variable is missing, naming it
     */
    static S3Access fromEnvironment(String endpoint) {
        String id = System.getenv(ACCESS_KEY_VARIABLE);
        String secret = System.getenv(SECRET_KEY_VARIABLE);
        if (id == null || id.isBlank() || secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("--s3-endpoint needs an S3 key of that cluster in "
                    + ACCESS_KEY_VARIABLE + " and " + SECRET_KEY_VARIABLE);
        }
        return new S3Access(endpoint, id, secret);
    }

    @Override
    public String toString() {
        return "S3 at " + endpoint + " as " + accessKeyId;
    }
}
