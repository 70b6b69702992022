package io.granary.gateway.s3.sigv4;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Requests signed by the AWS SDK for Java v2's own SigV4 signer, configured as its S3 client does
 * (no path normalisation, no double encoding), turned into what the server adapter would hand the
 * verifier: a {@link SignedRequest} and the body bytes exactly as they would go on the wire.
 */
final class SdkSigning {
    static final String ACCESS_KEY = "AKIDGRANARYEXAMPLE";
    static final String SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYGRANARYKEY";
    static final CredentialLookup LOOKUP = id -> ACCESS_KEY.equals(id) ? Optional.of(SECRET_KEY) : Optional.empty();
    static final Instant SIGNED_AT = Instant.parse("2026-03-14T15:09:26Z");
    static final Clock CLOCK = Clock.fixed(SIGNED_AT, ZoneOffset.UTC);

    /** A signed request and its body as sent. */
    record Signed(SignedRequest request, byte[] body) {
        InputStream bodyStream() {
            return new ByteArrayInputStream(body);
        }
    }

    private SdkSigning() {
    }

    static SdkHttpRequest.Builder http(SdkHttpMethod method, String uri) {
        return SdkHttpRequest.builder().method(method).uri(URI.create(uri));
    }

    /** {@code http} and {@code payload} signed at {@link #SIGNED_AT} for s3 in us-east-1, then {@code options}. */
    static Signed sign(SdkHttpRequest.Builder http, byte[] payload,
            Consumer<SignRequest.Builder<AwsCredentialsIdentity>> options) {
        software.amazon.awssdk.http.auth.spi.signer.SignedRequest signed = AwsV4HttpSigner.create().sign(r -> {
            r.identity(AwsCredentialsIdentity.create(ACCESS_KEY, SECRET_KEY))
                    .request(http.build())
                    .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                    .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                    .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
                    .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, CLOCK);
            if (payload != null) {
                r.payload(ContentStreamProvider.fromByteArray(payload));
            }
            options.accept(r);
        });
        byte[] body = signed.payload().map(SdkSigning::bytes).orElse(new byte[0]);
        return new Signed(toSignedRequest(signed.request()), body);
    }

    static SignedRequest toSignedRequest(SdkHttpRequest request) {
        return new SignedRequest(request.method().name(), request.encodedPath(),
                request.encodedQueryParameters().orElse(null), request.headers());
    }

    /** A header-signed body in {@code mode}; the trailer modes carry a {@code checksum} trailer when given. */
    static Signed signBody(PayloadMode mode, byte[] payload,
            software.amazon.awssdk.checksums.spi.ChecksumAlgorithm checksum) {
        SdkHttpRequest.Builder http = http(SdkHttpMethod.PUT, "https://localhost:9000/bucket/object")
                .putHeader("Content-Length", Integer.toString(payload.length));
        return sign(http, payload, r -> {
            r.putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED,
                    mode == PayloadMode.SIGNED_HEX || mode.chunkSigned());
            r.putProperty(AwsV4HttpSigner.CHUNK_ENCODING_ENABLED, mode.streaming());
            if (checksum != null) {
                r.putProperty(AwsV4HttpSigner.CHECKSUM_ALGORITHM, checksum);
            }
        });
    }

    private static byte[] bytes(ContentStreamProvider provider) {
        try (InputStream in = provider.newStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
