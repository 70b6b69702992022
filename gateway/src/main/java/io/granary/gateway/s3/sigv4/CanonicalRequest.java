package io.granary.gateway.s3.sigv4;

import io.granary.gateway.s3.protocol.S3ErrorCode;
import io.granary.gateway.s3.protocol.S3Exception;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The canonical request SigV4 signs, as S3 builds it: the path decoded and encoded again once (S3
 * neither normalises nor double-encodes it; clients send {@code a//b} as {@code a/%2Fb} and sign
 * {@code a//b}, or send {@code !} raw and sign {@code %21}), the canonical query, each signed header with its values trimmed, inner
 * whitespace collapsed and several values joined by {@code ,}, the signed-header list and the payload
 * hash.
 */
final class CanonicalRequest {
    private CanonicalRequest() {
    }

    static String of(SignedRequest request, String canonicalQuery, List<String> signedHeaders, String payloadHash) {
        StringBuilder canonical = new StringBuilder(512)
                .append(request.method()).append('\n')
                .append(request.rawPath().isEmpty() ? "/" : canonicalPath(request.rawPath())).append('\n')
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

    /**
     * The path as SigV4 signs it: its bytes, percent-decoded, written again with every byte outside
     * {@code A-Z a-z 0-9 - _ . ~ /} as {@code %XX}.
     *
     * @throws S3Exception InvalidArgument for a malformed percent-encoding
     */
    static String canonicalPath(String rawPath) {
        StringBuilder canonical = new StringBuilder(rawPath.length() + 16);
        for (int i = 0; i < rawPath.length(); i++) {
            char c = rawPath.charAt(i);
            if (c == '%') {
                int high = i + 2 < rawPath.length() ? Character.digit(rawPath.charAt(i + 1), 16) : -1;
                int low = i + 2 < rawPath.length() ? Character.digit(rawPath.charAt(i + 2), 16) : -1;
                if (high < 0 || low < 0) {
                    throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "The path has a malformed percent-encoding");
                }
                appendByte(canonical, high << 4 | low);
                i += 2;
            } else if (c < 0x80) {
                appendByte(canonical, c);
            } else {
                int end = i + (Character.isHighSurrogate(c) && i + 1 < rawPath.length() ? 2 : 1);
                for (byte b : rawPath.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
                    appendByte(canonical, b & 0xff);
                }
                i = end - 1;
            }
        }
        return canonical.toString();
    }

    private static void appendByte(StringBuilder out, int b) {
        if (b >= 'A' && b <= 'Z' || b >= 'a' && b <= 'z' || b >= '0' && b <= '9'
                || b == '-' || b == '_' || b == '.' || b == '~' || b == '/') {
            out.append((char) b);
        } else {
            out.append('%').append(Character.toUpperCase(Character.forDigit(b >> 4, 16)))
                    .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
        }
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
