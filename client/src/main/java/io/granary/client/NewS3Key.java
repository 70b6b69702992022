package io.granary.client;

/** An S3 key just created, with its secret key, which no listing shows again. */
public record NewS3Key(S3KeyMeta meta, String secretKey) {
    @Override
    public String toString() {
        return "NewS3Key[" + meta + ", secretKey=***]";
    }
}
