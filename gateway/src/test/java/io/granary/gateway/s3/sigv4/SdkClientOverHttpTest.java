package io.granary.gateway.s3.sigv4;

import static io.granary.gateway.s3.sigv4.SdkSigning.ACCESS_KEY;
import static io.granary.gateway.s3.sigv4.SdkSigning.LOOKUP;
import static io.granary.gateway.s3.sigv4.SdkSigning.SECRET_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.granary.gateway.s3.protocol.S3Exception;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The SDK's own S3 client and presigner against a bare HTTP server (Javalin, as the gateway) whose one
 * route does what the S3 port will: take the raw request, verify it, decode its body. This proves the
 * wire as a real client sends it and Jetty hands it over, path encoding, {@code Host} port,
 * {@code Expect: 100-continue} and {@code aws-chunked} bodies included.
 */
class SdkClientOverHttpTest {
    private static final Map<String, byte[]> STORED = new ConcurrentHashMap<>();
    private static final List<PayloadMode> PAYLOAD_MODES = new CopyOnWriteArrayList<>();
    private static Javalin server;
    private static URI endpoint;

    @BeforeAll
    static void startServer() {
        server = Javalin.create()
                .put("/*", SdkClientOverHttpTest::put)
                .get("/*", SdkClientOverHttpTest::get)
                .start(0);
        endpoint = URI.create("http://localhost:" + server.port());
    }

    @AfterAll
    static void stopServer() {
        server.stop();
    }

    private static S3Client client(String secretKey, RequestChecksumCalculation checksums) {
        return S3Client.builder()
                .endpointOverride(endpoint)
                .region(Region.EU_WEST_3)
                .forcePathStyle(true)
                .requestChecksumCalculation(checksums)
                .credentialsProvider(credentials(secretKey))
                .build();
    }

    private static StaticCredentialsProvider credentials(String secretKey) {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, secretKey));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 200_000, 1_100_000})
    void anSdkPutWithItsDefaultChecksumArrivesWhole(int size) throws Exception {
        byte[] original = Bodies.random(size);
        try (S3Client s3 = client(SECRET_KEY, RequestChecksumCalculation.WHEN_SUPPORTED)) {
            PutObjectResponse response = s3.putObject(put -> put.bucket("bucket").key("dir/a key+€ " + size),
                    RequestBody.fromBytes(original));

            assertThat(STORED.get("/bucket/dir/a key+€ " + size)).isEqualTo(original);
            assertThat(response.eTag()).isEqualTo("\"" + md5Hex(original) + "\"");
        }
    }

    @Test
    void anSdkPutWithoutChecksumAndOneWithCrc64NvmeArriveWhole() {
        byte[] original = Bodies.random(300_000);
        try (S3Client s3 = client(SECRET_KEY, RequestChecksumCalculation.WHEN_REQUIRED)) {
            s3.putObject(put -> put.bucket("bucket").key("plain"), RequestBody.fromBytes(original));
            s3.putObject(put -> put.bucket("bucket").key("nvme").checksumAlgorithm(ChecksumAlgorithm.CRC64_NVME),
                    RequestBody.fromBytes(original));
        }

        assertThat(STORED.get("/bucket/plain")).isEqualTo(original);
        assertThat(STORED.get("/bucket/nvme")).isEqualTo(original);
        assertThat(PAYLOAD_MODES).contains(PayloadMode.STREAMING_SIGNED, PayloadMode.STREAMING_SIGNED_TRAILER);
    }

    @Test
    void anSdkPutSignedWithAnotherSecretIsRefusedWithS3sCode() {
        try (S3Client s3 = client("not-the-secret", RequestChecksumCalculation.WHEN_SUPPORTED)) {
            assertThatThrownBy(() -> s3.putObject(put -> put.bucket("bucket").key("refused"),
                    RequestBody.fromBytes(new byte[10])))
                    .isInstanceOfSatisfying(software.amazon.awssdk.services.s3.model.S3Exception.class,
                            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("SignatureDoesNotMatch"));
        }
        assertThat(STORED).doesNotContainKey("/bucket/refused");
    }

    @Test
    void aPresignedGetFetchedByAPlainHttpClientIsServed() throws Exception {
        byte[] original = Bodies.random(1000);
        STORED.put("/bucket/shared/photo 1.jpg", original);
        try (S3Presigner presigner = S3Presigner.builder().endpointOverride(endpoint).region(Region.EU_WEST_3)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .credentialsProvider(credentials(SECRET_KEY))
                .build()) {
            URI url = presigner.presignGetObject(r -> r.signatureDuration(Duration.ofMinutes(5))
                    .getObjectRequest(get -> get.bucket("bucket").key("shared/photo 1.jpg"))).url().toURI();

            HttpResponse<byte[]> response = HttpClient.newHttpClient()
                    .send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofByteArray());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(original);
        }
    }

    /** What the S3 port's adapter does with a request: its raw parts, as Jetty received them. */
    private static SignedRequest signedRequest(Context ctx) {
        Map<String, List<String>> headers = new HashMap<>();
        for (String name : Collections.list(ctx.req().getHeaderNames())) {
            headers.put(name, Collections.list(ctx.req().getHeaders(name)));
        }
        return new SignedRequest(ctx.method().name(), ctx.req().getRequestURI(), ctx.req().getQueryString(),
                headers);
    }

    private static void put(Context ctx) throws IOException {
        SignedRequest request = signedRequest(ctx);
        try {
            VerifiedRequest verified = new SigV4Verifier(Clock.systemUTC()).verify(request, LOOKUP);
            PAYLOAD_MODES.add(verified.payloadMode());
            try (DecodedBody body = DecodedBody.decodedBody(ctx.req().getInputStream(), request, verified, true)) {
                byte[] bytes = body.readAllBytes();
                STORED.put(decodedPath(request), bytes);
                ctx.header("ETag", "\"" + body.md5Hex() + "\"");
            }
        } catch (S3BodyException e) {
            error(ctx, e.failure());
        } catch (S3Exception e) {
            error(ctx, e);
        }
    }

    private static void get(Context ctx) {
        SignedRequest request = signedRequest(ctx);
        try {
            new SigV4Verifier(Clock.systemUTC()).verify(request, LOOKUP);
            ctx.result(STORED.get(decodedPath(request)));
        } catch (S3Exception e) {
            error(ctx, e);
        }
    }

    private static String decodedPath(SignedRequest request) {
        return URI.create(request.rawPath()).getPath();
    }

    private static void error(Context ctx, S3Exception e) {
        ctx.status(e.code().status()).contentType("application/xml")
                .result("<Error><Code>" + e.code().code() + "</Code><Message>" + e.getMessage()
                        + "</Message></Error>");
    }

    private static String md5Hex(byte[] data) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
    }
}
