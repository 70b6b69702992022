package io.granary.gateway.s3.sigv4;

import static io.granary.gateway.s3.sigv4.SdkSigning.CLOCK;
import static io.granary.gateway.s3.sigv4.SdkSigning.LOOKUP;
import static io.granary.gateway.s3.sigv4.SdkSigning.SIGNED_AT;
import static io.granary.gateway.s3.sigv4.SdkSigning.http;
import static io.granary.gateway.s3.sigv4.SdkSigning.sign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.granary.gateway.s3.protocol.S3ErrorCode;
import io.granary.gateway.s3.protocol.S3Exception;
import io.granary.gateway.s3.sigv4.SdkSigning.Signed;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;

class SigV4VerifierTest {
    private final SigV4Verifier verifier = new SigV4Verifier(CLOCK);

    private static Signed signedGet(String uri) {
        return sign(http(SdkHttpMethod.GET, uri), null,
                r -> r.putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, true));
    }

    @Test
    void aGetSignedByTheSdkIsVerifiedAsItsAccessKey() {
        Signed signed = signedGet("https://localhost:9000/bucket/photos/2026/cat.jpg");

        VerifiedRequest verified = verifier.verify(signed.request(), LOOKUP);

        assertThat(verified.accessKeyId()).isEqualTo(SdkSigning.ACCESS_KEY);
        assertThat(verified.payloadMode()).isEqualTo(PayloadMode.SIGNED_HEX);
        assertThat(verified.expectedSha256Hex()).contains(SigV4Crypto.EMPTY_SHA256);
        assertThat(verified.scope()).isEqualTo(new CredentialScope(LocalDate.of(2026, 3, 14), "us-east-1", "s3"));
        assertThat(verified.timestamp()).isEqualTo(SIGNED_AT);
        assertThat(verified.presigned()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "https://localhost:9000/bucket?list-type=2&prefix=a%20b%2Bc&delimiter=%2F&max-keys=10",
        "https://localhost:9000/bucket?uploads",
        "https://localhost:9000/bucket?acl=",
        "https://localhost:9000/bucket/k?tagging&versionId=3HL4kqtJlcpXroDTDmJ%2BrmSpXd3dIbrHY%2BMTRCxf3vjVBH40N",
        "https://localhost:9000/bucket?prefix=%E2%82%AC%F0%9F%98%80*~!'()&b=2&a=3&a=1",
        "https://localhost:9000/bucket/a%20key/%E2%82%AC/~tilde%2Astar%21",
        "https://localhost:9000/bucket/trailing/",
        "https://localhost:9000/bucket/dot/../segments/./kept",
    })
    void pathsAndQueriesAreCanonicalisedAsTheSdkSignsThem(String uri) {
        Signed signed = signedGet(uri);

        assertThat(verifier.verify(signed.request(), LOOKUP).accessKeyId()).isEqualTo(SdkSigning.ACCESS_KEY);
    }

    @Test
    void aPathSentWithAnEncodedSlashOrRawReservedCharactersIsCheckedAsS3Canonicalises() {
        // the SDK signs "a//b" and its Apache client sends "a/%2Fb", so that nothing merges the slashes;
        // other clients send "!" raw and sign "%21"
        Signed doubled = signedGet("https://localhost:9000/bucket/a//b");
        SignedRequest sent = new SignedRequest("GET", "/bucket/a/%2Fb", doubled.request().rawQuery(),
                doubled.request().headers());
        assertThat(verifier.verify(sent, LOOKUP).accessKeyId()).isEqualTo(SdkSigning.ACCESS_KEY);

        Signed bang = signedGet("https://localhost:9000/bucket/wow%21");
        SignedRequest raw = new SignedRequest("GET", "/bucket/wow!", bang.request().rawQuery(), bang.request().headers());
        assertThat(verifier.verify(raw, LOOKUP).accessKeyId()).isEqualTo(SdkSigning.ACCESS_KEY);
    }

    @Test
    void headerValuesAreTrimmedCollapsedAndMultipleValuesJoined() {
        Signed signed = sign(http(SdkHttpMethod.PUT, "https://localhost:9000/bucket/object")
                        .putHeader("x-amz-meta-note", "  several   inner\tspaces  ")
                        .appendHeader("x-amz-meta-list", "one")
                        .appendHeader("x-amz-meta-list", " two ")
                        .putHeader("Content-Type", "text/plain; charset=utf-8"),
                "hello".getBytes(StandardCharsets.UTF_8),
                r -> r.putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, true));

        assertThat(verifier.verify(signed.request(), LOOKUP).payloadMode()).isEqualTo(PayloadMode.SIGNED_HEX);
    }

    @Test
    void anUnsignedPayloadIsVerifiedAsUnsigned() {
        Signed signed = SdkSigning.signBody(PayloadMode.UNSIGNED, new byte[10], null);

        VerifiedRequest verified = verifier.verify(signed.request(), LOOKUP);

        assertThat(verified.payloadMode()).isEqualTo(PayloadMode.UNSIGNED);
        assertThat(verified.expectedSha256Hex()).isEmpty();
    }

    @Test
    void aClientSigningForAnotherRegionIsAcceptedInItsRegion() {
        Signed signed = sign(http(SdkHttpMethod.GET, "https://localhost:9000/bucket/k"), null,
                r -> r.putProperty(AwsV4HttpSigner.REGION_NAME, "eu-central-2"));

        assertThat(verifier.verify(signed.request(), LOOKUP).scope().region()).isEqualTo("eu-central-2");
    }

    @Test
    void aTamperedSignatureDoesNotMatch() {
        Signed signed = signedGet("https://localhost:9000/bucket/k");
        String authorization = signed.request().header("authorization").orElseThrow();
        char last = authorization.charAt(authorization.length() - 1);
        SignedRequest tampered = withHeader(signed.request(), "Authorization",
                authorization.substring(0, authorization.length() - 1) + (last == '0' ? '1' : '0'));

        assertRefused(tampered, S3ErrorCode.SIGNATURE_DOES_NOT_MATCH)
                .hasMessageNotContaining(SdkSigning.SECRET_KEY);
    }

    @Test
    void aRequestForAnotherPathDoesNotMatch() {
        Signed signed = signedGet("https://localhost:9000/bucket/k");
        SignedRequest moved = new SignedRequest("GET", "/bucket/other", null, signed.request().headers());

        assertRefused(moved, S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);
    }

    @Test
    void aChangedSignedHeaderDoesNotMatch() {
        Signed signed = sign(http(SdkHttpMethod.GET, "https://localhost:9000/bucket/k").putHeader("Range", "bytes=0-9"),
                null, r -> { });

        assertRefused(withHeader(signed.request(), "Range", "bytes=0-99"), S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);
    }

    @Test
    void anUnknownAccessKeyIsRefused() {
        Signed signed = signedGet("https://localhost:9000/bucket/k");

        assertThatThrownBy(() -> verifier.verify(signed.request(), id -> Optional.empty()))
                .isInstanceOfSatisfying(S3Exception.class,
                        e -> assertThat(e.code()).isEqualTo(S3ErrorCode.INVALID_ACCESS_KEY_ID));
    }

    @Test
    void anotherServiceIsAMalformedAuthorization() {
        Signed signed = sign(http(SdkHttpMethod.GET, "https://localhost:9000/bucket/k"), null,
                r -> r.putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "ec2"));

        assertRefused(signed.request(), S3ErrorCode.AUTHORIZATION_HEADER_MALFORMED).hasMessageContaining("ec2");
    }

    @Test
    void signedHeadersWithoutHostAreAMalformedAuthorization() {
        Signed signed = signedGet("https://localhost:9000/bucket/k");
        String authorization = signed.request().header("authorization").orElseThrow();

        assertThat(authorization).contains("SignedHeaders=host;");
        assertRefused(withHeader(signed.request(), "Authorization", authorization.replace("SignedHeaders=host;",
                "SignedHeaders=")), S3ErrorCode.AUTHORIZATION_HEADER_MALFORMED).hasMessageContaining("host");
    }

    @Test
    void aClockMoreThanFifteenMinutesAwayIsTooSkewed() {
        Signed signed = signedGet("https://localhost:9000/bucket/k");

        for (Duration offset : List.of(Duration.ofMinutes(16), Duration.ofMinutes(-16))) {
            assertThatThrownBy(() -> verifierAhead(offset).verify(signed.request(), LOOKUP))
                    .isInstanceOfSatisfying(S3Exception.class,
                            e -> assertThat(e.code()).isEqualTo(S3ErrorCode.REQUEST_TIME_TOO_SKEWED));
        }
        assertThat(verifierAhead(Duration.ofMinutes(14)).verify(signed.request(), LOOKUP).accessKeyId())
                .isEqualTo(SdkSigning.ACCESS_KEY);
        assertThat(verifierAhead(Duration.ofMinutes(-14)).verify(signed.request(), LOOKUP).accessKeyId())
                .isEqualTo(SdkSigning.ACCESS_KEY);
    }

    @Test
    void aScopeDayOtherThanTheRequestDayIsMalformed() {
        Signed signed = signedGet("https://localhost:9000/bucket/k");
        String authorization = signed.request().header("authorization").orElseThrow();

        assertRefused(withHeader(signed.request(), "Authorization", authorization.replace("/20260314/", "/20260313/")),
                S3ErrorCode.AUTHORIZATION_HEADER_MALFORMED).hasMessageContaining("20260313");
    }

    @Test
    void aRequestWithoutContentSha256IsInvalid() {
        Signed signed = signedGet("https://localhost:9000/bucket/k");

        assertRefused(without(signed.request(), "x-amz-content-sha256"), S3ErrorCode.INVALID_REQUEST)
                .hasMessageContaining("x-amz-content-sha256");
    }

    @Test
    void aRequestWithoutADateIsDenied() {
        Signed signed = signedGet("https://localhost:9000/bucket/k");

        assertRefused(without(signed.request(), "x-amz-date"), S3ErrorCode.ACCESS_DENIED);
    }

    @Test
    void theS3DocumentationsGetObjectExampleVerifies() {
        SignedRequest example = new SignedRequest("GET", "/test.txt", null, Map.of(
                "Host", List.of("examplebucket.s3.amazonaws.com"),
                "Range", List.of("bytes=0-9"),
                "x-amz-content-sha256", List.of(SigV4Crypto.EMPTY_SHA256),
                "x-amz-date", List.of("20130524T000000Z"),
                "Authorization", List.of("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/"
                        + "aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
                        + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")));
        Clock thatDay = Clock.fixed(Instant.parse("2013-05-24T00:05:00Z"), ZoneOffset.UTC);

        assertThat(new SigV4Verifier(thatDay).verify(example, DocumentationExample.LOOKUP).accessKeyId())
                .isEqualTo(DocumentationExample.ACCESS_KEY);
    }

    @Test
    void theDateHeaderIsTakenWhenAmzDateIsMissing() {
        Signed signed = signedGet("https://localhost:9000/bucket/k");
        SignedRequest dated =
                withHeader(without(signed.request(), "x-amz-date"), "Date", "Sat, 14 Mar 2026 15:09:26 GMT");

        // Past the date check: the SDK signed the x-amz-date header, now gone, so the signature differs.
        assertRefused(dated, S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);
    }

    @Test
    void aSignatureVersionTwoRequestIsNotSupported() {
        SignedRequest v2 = new SignedRequest("GET", "/bucket/k", null,
                Map.of("Host", List.of("localhost"), "Authorization", List.of("AWS AKID:c2lnbmF0dXJl")));

        assertRefused(v2, S3ErrorCode.INVALID_REQUEST).hasMessageContaining("AWS4-HMAC-SHA256");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "AWS4-HMAC-SHA256 Credential=AKID/20260314/us-east-1/s3/aws4_request, SignedHeaders=host",
        "AWS4-HMAC-SHA256 Credential=AKID/20260314/us-east-1/s3, SignedHeaders=host, Signature=00",
        "AWS4-HMAC-SHA256 Credential=AKID/2026-03-14/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00",
        "AWS4-HMAC-SHA256 Credential=AKID/20260314/us-east-1/s3/aws5_request, SignedHeaders=host, Signature=00",
        "AWS4-HMAC-SHA256 Credential=AKID/20260314/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00, X=1",
        "AWS4-HMAC-SHA256 Credential=AKID/20260314/us-east-1/s3/aws4_request, Credential=B, SignedHeaders=host",
        "AWS4-HMAC-SHA256 garbage",
    })
    void aMalformedAuthorizationHeaderIsRefusedAsMalformed(String authorization) {
        SignedRequest request = new SignedRequest("GET", "/bucket/k", null, Map.of("Host", List.of("localhost"),
                "Authorization", List.of(authorization), "x-amz-date", List.of("20260314T150926Z"),
                "x-amz-content-sha256", List.of("UNSIGNED-PAYLOAD")));

        assertRefused(request, S3ErrorCode.AUTHORIZATION_HEADER_MALFORMED);
    }

    @Test
    void anUnknownContentSha256IsAnInvalidArgument() {
        SignedRequest request = withHeader(signedGet("https://localhost:9000/bucket/k").request(),
                "x-amz-content-sha256", "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD");

        assertRefused(request, S3ErrorCode.INVALID_ARGUMENT);
    }

    @Test
    void aRequestWithoutSignatureIsAnonymous() {
        SignedRequest anonymous =
                new SignedRequest("GET", "/bucket/k", "prefix=a", Map.of("Host", List.of("localhost")));

        assertThat(SigV4Verifier.isSigned(anonymous)).isFalse();
        assertThat(SigV4Verifier.isSigned(signedGet("https://localhost:9000/bucket/k").request())).isTrue();
        assertThat(SigV4Verifier.isSigned(new SignedRequest("GET", "/bucket/k", "X-Amz-Credential=a",
                Map.of("Host", List.of("localhost"))))).isTrue();
        assertRefused(anonymous, S3ErrorCode.ACCESS_DENIED);
    }

    @Test
    void verifiedRequestsKeepTheSigningKeyOutOfTheirText() {
        VerifiedRequest verified = verifier.verify(signedGet("https://localhost:9000/bucket/k").request(), LOOKUP);

        assertThat(verified.toString()).contains(SdkSigning.ACCESS_KEY).doesNotContain(SdkSigning.SECRET_KEY);
    }

    /** A verifier whose clock is {@code offset} ahead of the signer's. */
    private static SigV4Verifier verifierAhead(Duration offset) {
        return new SigV4Verifier(Clock.offset(CLOCK, offset));
    }

    private AbstractThrowableAssert<?, ? extends Throwable> assertRefused(SignedRequest request, S3ErrorCode code) {
        return assertThatThrownBy(() -> verifier.verify(request, LOOKUP))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.code()).isEqualTo(code));
    }

    static SignedRequest withHeader(SignedRequest request, String name, String value) {
        Map<String, List<String>> headers = new HashMap<>(request.headers());
        headers.put(name.toLowerCase(Locale.ROOT), List.of(value));
        return new SignedRequest(request.method(), request.rawPath(), request.rawQuery(), headers);
    }

    static SignedRequest without(SignedRequest request, String name) {
        Map<String, List<String>> headers = new HashMap<>(request.headers());
        headers.remove(name);
        return new SignedRequest(request.method(), request.rawPath(), request.rawQuery(), headers);
    }
}
