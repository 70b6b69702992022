package io.granary.master.auth;

/** An S3 key just created (or found again, for an idempotent create) and its secret key. */
public record IssuedS3Key(S3KeyRecord record, String secretKey) {
    @Override
    public String toString() {
        return "IssuedS3Key[" + record + ", secretKey=***]";
    }
}
