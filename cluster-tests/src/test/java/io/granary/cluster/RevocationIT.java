package io.granary.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.granary.client.NewS3Key;
import io.granary.client.NewToken;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Revoked tokens and S3 keys on a real cluster, whose gateway keeps the master's answers about
 * credentials for up to a second: a revocation through the gateway is refused at the very next request,
 * one made on the master directly (as the CLI or another gateway would) within a second, even while the
 * credential was being answered from the gateway's cache.
 */
class RevocationIT {
    private static final Duration WITHIN_THE_TTL = Duration.ofSeconds(2);
    private static final Duration POLL = Duration.ofMillis(50);
    private static final String HITS = "granary_gateway_auth_cache_hits_total";

    @RegisterExtension
    static final MiniGranary cluster = MiniGranary.builder().chunkservers(1).replication(1).s3().build();
    private static final Http admin = new Http(cluster);

    @Test
    void aTokenRevokedThroughTheGatewayIsRefusedAtItsNextRequest() {
        JsonNode created = Http.json(admin.call("POST", "/api/v1/admin/tokens", "{\"name\":\"here\",\"role\":\"writer\"}"));
        Http holder = admin.as(created.get("token").asText());
        awaitAnsweredFromTheCache("token", () -> assertThat(whoami(holder)).isEqualTo(200));

        assertThat(admin.call("DELETE", "/api/v1/admin/tokens/" + created.get("id").asText(), null).statusCode())
                .isEqualTo(204);

        assertThat(whoami(holder)).isEqualTo(401);
        assertThat(holder.put("revoked/here.bin", 1, 10).statusCode()).isEqualTo(401);
        assertThat(admin.getText("/api/v1/stat/revoked/here.bin").statusCode()).isEqualTo(404);
    }

    @Test
    void aTokenRevokedOnTheMasterIsRefusedWithinASecondAndFromThenOn() {
        NewToken token = cluster.client().createToken("elsewhere", "writer", Duration.ZERO);
        Http holder = admin.as(token.secret());
        awaitAnsweredFromTheCache("token", () -> assertThat(whoami(holder)).isEqualTo(200));

        cluster.client().revokeToken(token.meta().id());

        await().atMost(WITHIN_THE_TTL).pollInterval(POLL).until(() -> whoami(holder) == 401);
        assertThat(whoami(holder)).isEqualTo(401);
        assertThat(holder.put("revoked/elsewhere.bin", 2, 10).statusCode()).isEqualTo(401);
    }

    @Test
    void anS3KeyRevokedThroughTheGatewayIsRefusedAtItsNextRequest() {
        NewS3Key key = cluster.client().s3Keys().create(writerId("s3-here"), null, null);
        try (S3Client s3 = S3Sdk.client(cluster, key.meta().accessKeyId(), key.secretKey())) {
            awaitAnsweredFromTheCache("s3_key", s3::listBuckets);

            assertThat(admin.call("DELETE", "/api/v1/s3-keys/" + key.meta().accessKeyId(), null).statusCode())
                    .isEqualTo(204);

            assertRefused(s3);
        }
    }

    @Test
    void theS3KeysOfATokenRevokedThroughTheGatewayAreRefusedAtTheirNextRequest() {
        String tokenId = writerId("s3-owner");
        NewS3Key key = cluster.client().s3Keys().create(tokenId, null, null);
        try (S3Client s3 = S3Sdk.client(cluster, key.meta().accessKeyId(), key.secretKey())) {
            awaitAnsweredFromTheCache("s3_key", s3::listBuckets);

            assertThat(admin.call("DELETE", "/api/v1/admin/tokens/" + tokenId, null).statusCode()).isEqualTo(204);

            assertRefused(s3);
        }
    }

    @Test
    void anS3KeyRevokedOnTheMasterIsRefusedWithinASecondAndFromThenOn() {
        NewS3Key key = cluster.client().s3Keys().create(writerId("s3-elsewhere"), null, null);
        try (S3Client s3 = S3Sdk.client(cluster, key.meta().accessKeyId(), key.secretKey())) {
            awaitAnsweredFromTheCache("s3_key", s3::listBuckets);

            cluster.client().s3Keys().revoke(key.meta().accessKeyId());

            await().atMost(WITHIN_THE_TTL).pollInterval(POLL).ignoreException(AssertionError.class)
                    .until(() -> refusedCode(s3).equals("InvalidAccessKeyId"));
            assertRefused(s3);
        }
    }

    /**
     * Repeats {@code use} until one of its requests was answered from the gateway's cache, so that what
     * follows revokes a credential the gateway holds.
     */
    private static void awaitAnsweredFromTheCache(String credential, Runnable use) {
        use.run();
        double before = hits(credential);
        await().atMost(Duration.ofSeconds(30)).pollInterval(POLL).until(() -> {
            use.run();
            return hits(credential) > before;
        });
    }

    private static double hits(String credential) {
        return PrometheusText.scrape(cluster.gatewayUrl() + "/metrics").value(HITS, Map.of("credential", credential));
    }

    private static void assertRefused(S3Client s3) {
        assertThat(refusedCode(s3)).isEqualTo("InvalidAccessKeyId");
        assertThatThrownBy(() -> s3.putObject(b -> b.bucket("revoked").key("k"), RequestBody.fromString("x")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
    }

    /** The S3 error code of a listing with {@code s3}; fails when the listing succeeds. */
    private static String refusedCode(S3Client s3) {
        try {
            s3.listBuckets();
        } catch (S3Exception e) {
            return e.awsErrorDetails().errorCode();
        }
        throw new AssertionError("the listing succeeded");
    }

    private static String writerId(String name) {
        return cluster.client().createToken(name, "writer", Duration.ZERO).meta().id();
    }

    private static int whoami(Http http) {
        return http.getText("/api/v1/whoami").statusCode();
    }

}
