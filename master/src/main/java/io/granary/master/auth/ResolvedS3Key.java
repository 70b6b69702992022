package io.granary.master.auth;

/**
 * A live S3 key with what a signature check needs: its secret key, and the token whose principal a
 * request signed with it acts as.
 */
public record ResolvedS3Key(S3KeyRecord key, String secretKey, TokenRecord token) {
    @Override
    public String toString() {
        return "ResolvedS3Key[" + key + ", secretKey=***, " + token + "]";
    }
}
