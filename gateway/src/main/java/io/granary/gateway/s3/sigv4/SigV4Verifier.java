package io.granary.gateway.s3.sigv4;

import io.granary.gateway.s3.protocol.S3ErrorCode;
import io.granary.gateway.s3.protocol.S3Exception;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks the AWS Signature Version 4 of an S3 request, signed either in the {@code Authorization}
 * header or in the query string of a presigned URL, and says who signed it and how its body is
 * protected. Any region is accepted (the one in the credential scope is used); the service must be
 * {@code s3}. Every refusal is an {@link S3Exception} with S3's code, and no message holds a secret.
 * Thread-safe.
 */
public final class SigV4Verifier {
    /** How far a header-signed request's time may be from the server's, as S3 allows. */
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofMinutes(15);
    /** The longest a presigned URL may live: S3's limit of seven days. */
    public static final Duration MAX_PRESIGN_LIFETIME = Duration.ofDays(7);

    static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
    private static final String ALGORITHM_PARAMETER = "X-Amz-Algorithm";
    private static final String CREDENTIAL_PARAMETER = "X-Amz-Credential";
    private static final String SIGNATURE_PARAMETER = "X-Amz-Signature";
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");

    private final Clock clock;
    private final Duration allowedSkew;
    private final Duration maxPresignLifetime;

    /** A verifier allowing {@link #DEFAULT_CLOCK_SKEW} and presigned URLs of up to seven days. */
    public SigV4Verifier(Clock clock) {
        this(clock, DEFAULT_CLOCK_SKEW, MAX_PRESIGN_LIFETIME);
    }

    /**
     * @param allowedSkew how far a header-signed request's time (and a presigned URL's start) may be
     *     from {@code clock}
     * @param maxPresignLifetime the longest {@code X-Amz-Expires} accepted, at most seven days
     */
    public SigV4Verifier(Clock clock, Duration allowedSkew, Duration maxPresignLifetime) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.allowedSkew = Objects.requireNonNull(allowedSkew, "allowedSkew");
        this.maxPresignLifetime = Objects.requireNonNull(maxPresignLifetime, "maxPresignLifetime");
        if (allowedSkew.isNegative() || maxPresignLifetime.isNegative()
                || maxPresignLifetime.compareTo(MAX_PRESIGN_LIFETIME) > 0) {
            throw new IllegalArgumentException("the skew must not be negative, the presign lifetime within seven days");
        }
    }

    /**
     * Whether {@code request} claims a signature at all: an {@code Authorization} header or one of the
     * presigned-URL parameters. A request that does not is anonymous, and {@link #verify} refuses it.
     *
     * @throws S3Exception {@code InvalidArgument} when the query string's percent-encoding is malformed
     */
    public static boolean isSigned(SignedRequest request) {
        return request.header("authorization").isPresent()
                || hasPresignParameters(QueryParameter.parse(request.rawQuery()));
    }

    /**
     * Verifies {@code request}'s signature with the secret {@code lookup} gives for its access key id.
     *
     * @throws S3Exception with S3's code when the request is not signed, is signed badly or out of time
     */
    public VerifiedRequest verify(SignedRequest request, CredentialLookup lookup) {
        List<QueryParameter> query = QueryParameter.parse(request.rawQuery());
        Optional<String> authorization = request.header("authorization");
        boolean presigned = hasPresignParameters(query);
        if (authorization.isPresent() && presigned) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Only one auth mechanism allowed; only the "
                    + "X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization "
                    + "header should be specified");
        }
        if (authorization.isPresent()) {
            return verifyHeader(request, query, AuthorizationHeader.parse(authorization.get()), lookup);
        }
        if (presigned) {
            return verifyPresigned(request, query, PresignedQuery.parse(query), lookup);
        }
        throw new S3Exception(S3ErrorCode.ACCESS_DENIED, "The request is not signed.");
    }

    private VerifiedRequest verifyHeader(SignedRequest request, List<QueryParameter> query,
            AuthorizationHeader authorization, CredentialLookup lookup) {
        String amzDate = amzDate(request);
        Instant timestamp = AmzDate.parse(amzDate).orElseThrow();
        requireScopeDay(authorization.credential().scope(), amzDate, S3ErrorCode.AUTHORIZATION_HEADER_MALFORMED);
        if (Duration.between(timestamp, clock.instant()).abs().compareTo(allowedSkew) > 0) {
            throw new S3Exception(S3ErrorCode.REQUEST_TIME_TOO_SKEWED,
                    "The difference between the request time and the current time is too large.");
        }
        String payloadHash = request.header("x-amz-content-sha256").orElseThrow(() -> new S3Exception(
                S3ErrorCode.INVALID_REQUEST, "Missing required header for this request: x-amz-content-sha256"));
        PayloadMode mode = payloadMode(payloadHash);
        byte[] signingKey = signingKey(authorization.credential(), lookup);
        String canonicalQuery = QueryParameter.canonical(query, name -> false);
        requireSignature(request, canonicalQuery, authorization.signedHeaders(), payloadHash,
                authorization.credential().scope(), amzDate, signingKey, authorization.signature());
        return new VerifiedRequest(authorization.credential().accessKeyId(), mode,
                mode == PayloadMode.SIGNED_HEX ? payloadHash : null, authorization.credential().scope(),
                amzDate, timestamp, false, authorization.signature(), signingKey);
    }

    private VerifiedRequest verifyPresigned(SignedRequest request, List<QueryParameter> query,
            PresignedQuery presign, CredentialLookup lookup) {
        requireScopeDay(presign.credential().scope(), presign.amzDate(),
                S3ErrorCode.AUTHORIZATION_QUERY_PARAMETERS_ERROR);
        if (presign.expires().compareTo(maxPresignLifetime) > 0) {
            throw new S3Exception(S3ErrorCode.AUTHORIZATION_QUERY_PARAMETERS_ERROR,
                    "X-Amz-Expires must be less than a week (in seconds) that is "
                            + maxPresignLifetime.toSeconds());
        }
        Instant now = clock.instant();
        if (presign.timestamp().isAfter(now.plus(allowedSkew))) {
            throw new S3Exception(S3ErrorCode.ACCESS_DENIED, "Request is not valid yet");
        }
        if (now.isAfter(presign.timestamp().plus(presign.expires()))) {
            throw new S3Exception(S3ErrorCode.ACCESS_DENIED, "Request has expired");
        }
        byte[] signingKey = signingKey(presign.credential(), lookup);
        String canonicalQuery = QueryParameter.canonical(query, SIGNATURE_PARAMETER::equals);
        requireSignature(request, canonicalQuery, presign.signedHeaders(), UNSIGNED_PAYLOAD,
                presign.credential().scope(), presign.amzDate(), signingKey, presign.signature());
        return new VerifiedRequest(presign.credential().accessKeyId(), PayloadMode.UNSIGNED, null,
                presign.credential().scope(), presign.amzDate(), presign.timestamp(), true, presign.signature(),
                signingKey);
    }

    private static boolean hasPresignParameters(List<QueryParameter> query) {
        return query.stream().map(QueryParameter::name).anyMatch(name -> name.equals(ALGORITHM_PARAMETER)
                || name.equals(CREDENTIAL_PARAMETER) || name.equals(SIGNATURE_PARAMETER));
    }

    /** The signing time as signed: {@code x-amz-date}, else the {@code Date} header in SigV4's form. */
    private static String amzDate(SignedRequest request) {
        S3Exception missing = new S3Exception(S3ErrorCode.ACCESS_DENIED,
                "AWS authentication requires a valid Date or x-amz-date header");
        Optional<String> amzDate = request.header("x-amz-date");
        if (amzDate.isPresent()) {
            return AmzDate.parse(amzDate.get()).map(instant -> amzDate.get()).orElseThrow(() -> missing);
        }
        String date = request.header("date").orElseThrow(() -> missing);
        try {
            return AmzDate.format(ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            throw missing;
        }
    }

    private static void requireScopeDay(CredentialScope scope, String amzDate, S3ErrorCode code) {
        String scopeDay = scope.value().substring(0, 8);
        if (!amzDate.startsWith(scopeDay)) {
            throw new S3Exception(code, "Invalid credential date \"" + scopeDay
                    + "\". This date is not the same as X-Amz-Date: \"" + amzDate.substring(0, 8) + "\".");
        }
    }

    private static PayloadMode payloadMode(String payloadHash) {
        switch (payloadHash) {
            case UNSIGNED_PAYLOAD:
                return PayloadMode.UNSIGNED;
            case "STREAMING-AWS4-HMAC-SHA256-PAYLOAD":
                return PayloadMode.STREAMING_SIGNED;
            case "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER":
                return PayloadMode.STREAMING_SIGNED_TRAILER;
            case "STREAMING-UNSIGNED-PAYLOAD-TRAILER":
                return PayloadMode.STREAMING_UNSIGNED_TRAILER;
            default:
                if (SHA256_HEX.matcher(payloadHash).matches()) {
                    return PayloadMode.SIGNED_HEX;
                }
                throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "x-amz-content-sha256 must be "
                        + "UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, "
                        + "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER or a valid sha256 value.");
        }
    }

    private static byte[] signingKey(Credential credential, CredentialLookup lookup) {
        String secret = lookup.secretKey(credential.accessKeyId()).orElseThrow(() -> new S3Exception(
                S3ErrorCode.INVALID_ACCESS_KEY_ID,
                "The AWS access key Id you provided does not exist in our records."));
        return SigV4Crypto.signingKey(secret, credential.scope());
    }

    private static void requireSignature(SignedRequest request, String canonicalQuery, List<String> signedHeaders,
            String payloadHash, CredentialScope scope, String amzDate, byte[] signingKey, String claimed) {
        String canonicalRequest = CanonicalRequest.of(request, canonicalQuery, signedHeaders, payloadHash);
        String stringToSign = String.join("\n", SigV4Crypto.ALGORITHM, amzDate, scope.value(),
                SigV4Crypto.sha256Hex(canonicalRequest));
        if (!SigV4Crypto.sameSignature(SigV4Crypto.sign(signingKey, stringToSign), claimed)) {
            throw new S3Exception(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH, "The request signature we calculated does "
                    + "not match the signature you provided. Check your key and signing method.");
        }
    }
}
