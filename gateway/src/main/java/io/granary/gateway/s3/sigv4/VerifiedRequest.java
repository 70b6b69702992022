package io.granary.gateway.s3.sigv4;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A request whose SigV4 signature checked out: who signed it, how its body is protected, and what the
 * body decoder needs to go on checking {@code aws-chunked} chunk signatures. The signing key stays
 * inside this package and out of {@link #toString()}.
 */
public final class VerifiedRequest {
    private final String accessKeyId;
    private final PayloadMode payloadMode;
    private final String expectedSha256Hex;
    private final CredentialScope scope;
    private final String amzDate;
    private final Instant timestamp;
    private final boolean presigned;
    private final String seedSignature;
    private final byte[] signingKey;

    VerifiedRequest(String accessKeyId, PayloadMode payloadMode, String expectedSha256Hex, CredentialScope scope,
            String amzDate, Instant timestamp, boolean presigned, String seedSignature, byte[] signingKey) {
        this.accessKeyId = Objects.requireNonNull(accessKeyId, "accessKeyId");
        this.payloadMode = Objects.requireNonNull(payloadMode, "payloadMode");
        this.expectedSha256Hex = expectedSha256Hex;
        this.scope = Objects.requireNonNull(scope, "scope");
        this.amzDate = Objects.requireNonNull(amzDate, "amzDate");
        this.timestamp = Objects.requireNonNull(timestamp, "timestamp");
        this.presigned = presigned;
        this.seedSignature = Objects.requireNonNull(seedSignature, "seedSignature");
        this.signingKey = signingKey.clone();
    }

    /** The access key id that signed the request; the caller maps it to a principal. */
    public String accessKeyId() {
        return accessKeyId;
    }

    /** How the body is protected, and so how {@link DecodedBody} reads it. */
    public PayloadMode payloadMode() {
        return payloadMode;
    }

    /** The body's hex SHA-256 the client signed, present in {@link PayloadMode#SIGNED_HEX} only. */
    public Optional<String> expectedSha256Hex() {
        return Optional.ofNullable(expectedSha256Hex);
    }

    /** The credential scope signed: day, region (the client's, whatever it is) and service. */
    public CredentialScope scope() {
        return scope;
    }

    /** When the client signed the request. */
    public Instant timestamp() {
        return timestamp;
    }

    /** Whether the signature came in the query string (a presigned URL) rather than the header. */
    public boolean presigned() {
        return presigned;
    }

    /** A fresh chain of chunk signatures seeded with this request's signature. */
    SignatureChain signatureChain() {
        return new SignatureChain(signingKey, amzDate, scope.value(), seedSignature);
    }

    @Override
    public String toString() {
        return "VerifiedRequest[accessKeyId=" + accessKeyId + ", payloadMode=" + payloadMode
                + ", scope=" + scope.value() + ", timestamp=" + timestamp + ", presigned=" + presigned + "]";
    }
}
