package io.granary.gateway.s3.sigv4;

/**
 * The rolling signatures of an {@code aws-chunked} body: each chunk's signature signs its data's
 * SHA-256 and the signature before it, starting from the request's own (the seed), and the trailer
 * signature signs the trailing headers after the final chunk.
 */
final class SignatureChain {
    private final byte[] signingKey;
    private final String amzDate;
    private final String scope;
    private String previous;

    SignatureChain(byte[] signingKey, String amzDate, String scope, String seedSignature) {
        this.signingKey = signingKey;
        this.amzDate = amzDate;
        this.scope = scope;
        this.previous = seedSignature;
    }

    /** Whether {@code claimed} signs the chunk whose data hashes to {@code dataSha256Hex}; moves on if so. */
    boolean acceptChunk(String dataSha256Hex, String claimed) {
        return accept(String.join("\n", "AWS4-HMAC-SHA256-PAYLOAD", amzDate, scope, previous,
                SigV4Crypto.EMPTY_SHA256, dataSha256Hex), claimed);
    }

    /** Whether {@code claimed} signs trailing headers whose canonical form hashes to {@code trailerSha256Hex}. */
    boolean acceptTrailer(String trailerSha256Hex, String claimed) {
        return accept(String.join("\n", "AWS4-HMAC-SHA256-TRAILER", amzDate, scope, previous,
                trailerSha256Hex), claimed);
    }

    private boolean accept(String stringToSign, String claimed) {
        String expected = SigV4Crypto.sign(signingKey, stringToSign);
        if (!SigV4Crypto.sameSignature(expected, claimed)) {
            return false;
        }
        previous = expected;
        return true;
    }
}
