package io.granary.gateway.s3.sigv4;

import java.util.Optional;

/**
 * Where the verifier finds the secret of an access key id. The caller resolves who the key belongs to
 * separately, from {@link VerifiedRequest#accessKeyId()}, once the signature is known to be good.
 */
@FunctionalInterface
public interface CredentialLookup {

    /** The secret access key of {@code accessKeyId}, or empty when no such key exists. */
    Optional<String> secretKey(String accessKeyId);
}
