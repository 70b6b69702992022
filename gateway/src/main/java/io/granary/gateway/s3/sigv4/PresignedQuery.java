package io.granary.gateway.s3.sigv4;

import io.granary.gateway.s3.protocol.S3ErrorCode;
import io.granary.gateway.s3.protocol.S3Exception;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The SigV4 parameters of a presigned URL: {@code X-Amz-Algorithm}, {@code X-Amz-Credential},
 * {@code X-Amz-Date}, {@code X-Amz-Expires}, {@code X-Amz-SignedHeaders} and {@code X-Amz-Signature},
 * each exactly once.
 */
record PresignedQuery(Credential credential, String amzDate, Instant timestamp, Duration expires,
        List<String> signedHeaders, String signature) {
    private static final S3ErrorCode ERROR = S3ErrorCode.AUTHORIZATION_QUERY_PARAMETERS_ERROR;
    private static final List<String> REQUIRED = List.of("X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature",
            "X-Amz-Date", "X-Amz-SignedHeaders", "X-Amz-Expires");

    static PresignedQuery parse(List<QueryParameter> query) {
        Map<String, String> parameters = new HashMap<>();
        for (QueryParameter parameter : query) {
            if (REQUIRED.contains(parameter.name()) && parameters.put(parameter.name(), parameter.value()) != null) {
                throw new S3Exception(ERROR, parameter.name() + " must be given once.");
            }
        }
        if (!parameters.keySet().containsAll(REQUIRED) || parameters.containsValue("")) {
            throw new S3Exception(ERROR, "Query-string authentication version 4 requires the X-Amz-Algorithm, "
                    + "X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires "
                    + "parameters.");
        }
        if (!SigV4Crypto.ALGORITHM.equals(parameters.get("X-Amz-Algorithm"))) {
            throw new S3Exception(ERROR, "X-Amz-Algorithm only supports \"" + SigV4Crypto.ALGORITHM + "\"");
        }
        String amzDate = parameters.get("X-Amz-Date");
        Instant timestamp = AmzDate.parse(amzDate).orElseThrow(() -> new S3Exception(ERROR,
                "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\""));
        return new PresignedQuery(
                Credential.parse(parameters.get("X-Amz-Credential"), ERROR,
                        "Error parsing the X-Amz-Credential parameter; "),
                amzDate,
                timestamp,
                expires(parameters.get("X-Amz-Expires")),
                SignedHeaders.parse(parameters.get("X-Amz-SignedHeaders"), ERROR,
                        "Error parsing the X-Amz-SignedHeaders parameter; "),
                parameters.get("X-Amz-Signature"));
    }

    private static Duration expires(String text) {
        if (!text.matches("-?\\d{1,12}")) {
            throw new S3Exception(ERROR, "X-Amz-Expires should be a number");
        }
        long seconds = Long.parseLong(text);
        if (seconds < 0) {
            throw new S3Exception(ERROR, "X-Amz-Expires must be non-negative");
        }
        return Duration.ofSeconds(seconds);
    }
}
