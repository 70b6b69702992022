package io.granary.client;

/**
 * A live S3 key as a signature check needs it: the secret key to compute the signature with, and the
 * token whose principal (id, role) the signed request acts as.
 */
public record S3Credential(String accessKeyId, String secretKey, TokenMeta token) {
    @Override
    public String toString() {
        return "S3Credential[accessKeyId=" + accessKeyId + ", secretKey=***, token=" + token + "]";
    }
}
