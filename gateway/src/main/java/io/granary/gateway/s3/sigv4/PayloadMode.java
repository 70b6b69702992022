package io.granary.gateway.s3.sigv4;

/**
 * How a signed request's body is protected, as its {@code x-amz-content-sha256} header (or a presigned
 * URL, always {@link #UNSIGNED}) says. The streaming modes carry an {@code aws-chunked} body.
 */
public enum PayloadMode {
    /** The header holds the body's hex SHA-256, checked once the whole body has been read. */
    SIGNED_HEX(false, false, false),
    /** {@code UNSIGNED-PAYLOAD}: the body is not covered by the signature. */
    UNSIGNED(false, false, false),
    /** {@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD}: every chunk is signed. */
    STREAMING_SIGNED(true, true, false),
    /** {@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER}: signed chunks and signed trailers. */
    STREAMING_SIGNED_TRAILER(true, true, true),
    /** {@code STREAMING-UNSIGNED-PAYLOAD-TRAILER}: plain chunks, trailers (a checksum) unsigned. */
    STREAMING_UNSIGNED_TRAILER(true, false, true);

    private final boolean streaming;
    private final boolean chunkSigned;
    private final boolean trailer;

    PayloadMode(boolean streaming, boolean chunkSigned, boolean trailer) {
        this.streaming = streaming;
        this.chunkSigned = chunkSigned;
        this.trailer = trailer;
    }

    /** Whether the body is {@code aws-chunked} encoded and must be decoded. */
    public boolean streaming() {
        return streaming;
    }

    /** Whether each chunk carries a {@code chunk-signature} to check. */
    public boolean chunkSigned() {
        return chunkSigned;
    }

    /** Whether trailing headers may follow the final chunk. */
    public boolean trailer() {
        return trailer;
    }
}
