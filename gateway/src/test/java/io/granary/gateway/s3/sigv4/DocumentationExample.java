package io.granary.gateway.s3.sigv4;

import java.util.Optional;

/** The credentials of the worked examples in S3's SigV4 documentation, whose signatures it publishes. */
final class DocumentationExample {
    static final String ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE";
    static final String SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    static final CredentialLookup LOOKUP = id -> ACCESS_KEY.equals(id) ? Optional.of(SECRET_KEY) : Optional.empty();

    private DocumentationExample() {
    }
}
