package io.granary.gateway.s3.sigv4;

import io.granary.gateway.s3.protocol.S3ErrorCode;
import io.granary.gateway.s3.protocol.S3Exception;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code Authorization} header of a header-signed request:
 * {@code AWS4-HMAC-SHA256 Credential=..., SignedHeaders=a;b;c, Signature=hex}.
 */
record AuthorizationHeader(Credential credential, List<String> signedHeaders, String signature) {
    private static final String MALFORMED = "The authorization header is malformed; ";

    static AuthorizationHeader parse(String value) {
        String trimmed = value.strip();
        if (!trimmed.startsWith(SigV4Crypto.ALGORITHM + " ")) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "The authorization mechanism you have provided is "
                    + "not supported. Please use " + SigV4Crypto.ALGORITHM + ".");
        }
        Map<String, String> components = new HashMap<>();
        for (String component : trimmed.substring(SigV4Crypto.ALGORITHM.length()).split(",", -1)) {
            String part = component.strip();
            int equals = part.indexOf('=');
            if (equals <= 0 || components.put(part.substring(0, equals), part.substring(equals + 1)) != null) {
                throw malformed("the component \"" + part + "\" is not a single Name=Value.");
            }
        }
        String credential = required(components, "Credential");
        String signedHeaders = required(components, "SignedHeaders");
        String signature = required(components, "Signature");
        if (components.size() != 3) {
            throw malformed("it has components other than Credential, SignedHeaders and Signature.");
        }
        return new AuthorizationHeader(
                Credential.parse(credential, S3ErrorCode.AUTHORIZATION_HEADER_MALFORMED, MALFORMED),
                SignedHeaders.parse(signedHeaders, S3ErrorCode.AUTHORIZATION_HEADER_MALFORMED, MALFORMED),
                signature);
    }

    private static String required(Map<String, String> components, String name) {
        String value = components.get(name);
        if (value == null || value.isEmpty()) {
            throw malformed("it has no " + name + ".");
        }
        return value;
    }

    private static S3Exception malformed(String reason) {
        return new S3Exception(S3ErrorCode.AUTHORIZATION_HEADER_MALFORMED, MALFORMED + reason);
    }
}
