package io.granary.gateway.s3.sigv4;

import io.granary.gateway.s3.protocol.S3ErrorCode;
import io.granary.gateway.s3.protocol.S3Exception;
import java.util.List;

/**
 * The canonical request SigV4 signs, as S3 builds it: the path exactly as sent (S3 neither normalises
 * nor double-encodes it), the canonical query, each signed header with its values trimmed, inner
 * whitespace collapsed and several values joined by {@code ,}, the signed-header list and the payload
 * hash.
 */
final class CanonicalRequest {
    private CanonicalRequest() {
    }

    static String of(SignedRequest request, String canonicalQuery, List<String> signedHeaders, String payloadHash) {
        StringBuilder canonical = new StringBuilder(512)
                .append(request.method()).append('\n')
                .append(request.rawPath().isEmpty() ? "/" : request.rawPath()).append('\n')
                .append(canonicalQuery).append('\n');
        for (String name : signedHeaders) {
            List<String> values = request.headerValues(name);
            if (values.isEmpty()) {
                throw new S3Exception(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH,
                        "The signed header \"" + name + "\" is not in the request.");
            }
            canonical.append(name).append(':');
            for (int i = 0; i < values.size(); i++) {
                canonical.append(i == 0 ? "" : ",").append(canonicalValue(values.get(i)));
            }
            canonical.append('\n');
        }
        return canonical.append('\n')
                .append(String.join(";", signedHeaders)).append('\n')
                .append(payloadHash)
                .toString();
    }

    /** {@code value} trimmed, each inner run of whitespace made one space. */
    static String canonicalValue(String value) {
        StringBuilder canonical = new StringBuilder(value.length());
        boolean pendingSpace = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\u000b') {
                pendingSpace = canonical.length() > 0;
            } else {
                if (pendingSpace) {
                    canonical.append(' ');
                    pendingSpace = false;
                }
                canonical.append(c);
            }
        }
        return canonical.toString();
    }
}
