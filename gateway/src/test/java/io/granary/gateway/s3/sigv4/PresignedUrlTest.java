package io.granary.gateway.s3.sigv4;

import static io.granary.gateway.s3.sigv4.SdkSigning.ACCESS_KEY;
import static io.granary.gateway.s3.sigv4.SdkSigning.CLOCK;
import static io.granary.gateway.s3.sigv4.SdkSigning.LOOKUP;
import static io.granary.gateway.s3.sigv4.SdkSigning.SECRET_KEY;
import static io.granary.gateway.s3.sigv4.SdkSigning.http;
import static io.granary.gateway.s3.sigv4.SdkSigning.sign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.granary.gateway.s3.protocol.S3ErrorCode;
import io.granary.gateway.s3.protocol.S3Exception;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.presigner.PresignedRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner.AuthLocation;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

class PresignedUrlTest {
    private static final S3Presigner PRESIGNER = S3Presigner.builder()
            .region(Region.US_WEST_2)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
            .endpointOverride(URI.create("http://localhost:9000"))
            .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
            .build();

    @AfterAll
    static void closePresigner() {
        PRESIGNER.close();
    }

    /** What the server sees of a presigned URL: its method, path, query and the headers it signed. */
    private static SignedRequest received(PresignedRequest presigned) throws URISyntaxException {
        URI uri = presigned.url().toURI();
        return new SignedRequest(presigned.httpRequest().method().name(), uri.getRawPath(), uri.getRawQuery(),
                presigned.signedHeaders());
    }

    private static SignedRequest presignedGet(Duration lifetime) throws URISyntaxException {
        return received(PRESIGNER.presignGetObject(r -> r.signatureDuration(lifetime)
                .getObjectRequest(get -> get.bucket("bucket").key("photos/cat 1+€.jpg").range("bytes=0-99"))));
    }

    @Test
    void aPresignedGetIsVerifiedAsUnsignedPayload() throws Exception {
        SignedRequest get = presignedGet(Duration.ofMinutes(10));

        VerifiedRequest verified = new SigV4Verifier(Clock.systemUTC()).verify(get, LOOKUP);

        assertThat(verified.accessKeyId()).isEqualTo(ACCESS_KEY);
        assertThat(verified.payloadMode()).isEqualTo(PayloadMode.UNSIGNED);
        assertThat(verified.presigned()).isTrue();
        assertThat(verified.scope().region()).isEqualTo("us-west-2");
    }

    @Test
    void aPresignedPutWithSignedHeadersIsVerified() throws Exception {
        SignedRequest put = received(PRESIGNER.presignPutObject(r -> r.signatureDuration(Duration.ofHours(1))
                .putObjectRequest(object -> object.bucket("bucket").key("docs/a b.txt").contentType("text/plain")
                        .metadata(Map.of("owner", "granary")))));

        assertThat(put.headers()).containsKey("content-type");
        assertThat(new SigV4Verifier(Clock.systemUTC()).verify(put, LOOKUP).presigned()).isTrue();
    }

    @Test
    void aPresignedUrlPastItsLifetimeHasExpired() throws Exception {
        SignedRequest get = presignedGet(Duration.ofMinutes(1));

        assertThatThrownBy(() -> verifierAhead(Duration.ofMinutes(2)).verify(get, LOOKUP))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.code()).isEqualTo(S3ErrorCode.ACCESS_DENIED);
                    assertThat(e.getMessage()).isEqualTo("Request has expired");
                });
    }

    @Test
    void aPresignedUrlDatedInTheFutureIsNotValidYet() throws Exception {
        SignedRequest get = presignedGet(Duration.ofHours(1));

        assertThatThrownBy(() -> verifierAhead(Duration.ofMinutes(-20)).verify(get, LOOKUP))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.code()).isEqualTo(S3ErrorCode.ACCESS_DENIED);
                    assertThat(e.getMessage()).isEqualTo("Request is not valid yet");
                });
    }

    @Test
    void aPresignedUrlOfSevenDaysIsAcceptedAndOneSecondMoreIsNot() {
        SignedRequest week = presignedBySigner(Duration.ofDays(7));
        SigV4Verifier verifier = new SigV4Verifier(CLOCK);

        assertThat(verifier.verify(week, LOOKUP).presigned()).isTrue();
        assertThat(week.rawQuery()).contains("X-Amz-Expires=604800");
        SignedRequest longer = withQuery(week, week.rawQuery().replace("X-Amz-Expires=604800", "X-Amz-Expires=604801"));
        assertRefused(longer, S3ErrorCode.AUTHORIZATION_QUERY_PARAMETERS_ERROR).hasMessageContaining("604800");
    }

    @Test
    void aTamperedPresignedQueryDoesNotMatch() {
        SignedRequest get = presignedBySigner(Duration.ofMinutes(5));

        assertRefused(withQuery(get, get.rawQuery() + "&versionId=2"), S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);
        assertRefused(new SignedRequest("GET", "/bucket/other", get.rawQuery(), get.headers()),
                S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);
    }

    @Test
    void aPresignedUrlMissingAParameterIsRefused() {
        SignedRequest get = presignedBySigner(Duration.ofMinutes(5));
        String withoutDate = get.rawQuery().replaceAll("X-Amz-Date=[^&]*&?", "");

        assertRefused(withQuery(get, withoutDate), S3ErrorCode.AUTHORIZATION_QUERY_PARAMETERS_ERROR);
    }

    @Test
    void aPresignedUrlForAnotherServiceIsRefused() {
        SignedRequest get = presignedBySigner(Duration.ofMinutes(5));

        assertRefused(withQuery(get, get.rawQuery().replace("%2Fs3%2F", "%2Fec2%2F")),
                S3ErrorCode.AUTHORIZATION_QUERY_PARAMETERS_ERROR).hasMessageContaining("ec2");
    }

    @Test
    void aPresignedUrlWithAnAuthorizationHeaderTooIsRefused() {
        SignedRequest get = presignedBySigner(Duration.ofMinutes(5));

        assertRefused(SigV4VerifierTest.withHeader(get, "Authorization", "AWS4-HMAC-SHA256 Credential=x"),
                S3ErrorCode.INVALID_ARGUMENT);
    }

    @Test
    void theS3DocumentationsPresignedExampleVerifies() {
        SignedRequest example = new SignedRequest("GET", "/test.txt", "X-Amz-Algorithm=AWS4-HMAC-SHA256"
                + "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
                + "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
                + "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404",
                Map.of("Host", List.of("examplebucket.s3.amazonaws.com")));
        Clock thatMorning = Clock.fixed(Instant.parse("2013-05-24T01:00:00Z"), ZoneOffset.UTC);

        assertThat(new SigV4Verifier(thatMorning).verify(example, DocumentationExample.LOOKUP).accessKeyId())
                .isEqualTo(DocumentationExample.ACCESS_KEY);
    }

    /** Presigned by the SDK's signer, as its presigner does, at {@link SdkSigning#SIGNED_AT}. */
    private static SignedRequest presignedBySigner(Duration lifetime) {
        return sign(http(SdkHttpMethod.GET, "https://localhost:9000/bucket/key"), null, r -> r
                .putProperty(AwsV4HttpSigner.AUTH_LOCATION, AuthLocation.QUERY_STRING)
                .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false)
                .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, lifetime)).request();
    }

    private static SignedRequest withQuery(SignedRequest request, String rawQuery) {
        return new SignedRequest(request.method(), request.rawPath(), rawQuery, request.headers());
    }

    /** A verifier whose clock is {@code offset} ahead of the presigner's, the system clock. */
    private static SigV4Verifier verifierAhead(Duration offset) {
        return new SigV4Verifier(Clock.offset(Clock.systemUTC(), offset));
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertRefused(SignedRequest request,
            S3ErrorCode code) {
        return assertThatThrownBy(() -> new SigV4Verifier(CLOCK).verify(request, LOOKUP))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.code()).isEqualTo(code));
    }
}
