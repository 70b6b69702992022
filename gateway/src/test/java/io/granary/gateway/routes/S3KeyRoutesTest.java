package io.granary.gateway.routes;

import static io.granary.gateway.testing.GatewayFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.granary.client.S3Credential;
import io.granary.gateway.testing.GatewayFixture;
import io.javalin.testtools.HttpClient;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code /api/v1/s3-keys} over the fake cluster: everyone manages their own keys, an admin everyone's. */
class S3KeyRoutesTest {
    private static final MediaType JSON = MediaType.get("application/json");
    private static final String READER = "gr_reader-token-0123456789abcdef";
    private static final String WRITER = "gr_writer-token-0123456789abcdef";
    private static final String KEYS = "/api/v1/s3-keys";

    @RegisterExtension
    final GatewayFixture gateway = new GatewayFixture();

    @Test
    void aReaderCreatesAKeyForItselfWithoutABodyAndOnlyThatAnswerShowsTheSecret() {
        String readerId = gateway.cluster.auth.add(READER, "viewer", "reader");
        gateway.test((server, http) -> {
            Response created = http.request(KEYS, b -> b.header("Authorization", "Bearer " + READER)
                    .post(RequestBody.create(new byte[0], null)));

            assertThat(created.code()).isEqualTo(201);
            JsonNode key = json(created);
            String accessKeyId = key.get("accessKeyId").asText();
            String secret = key.get("secretKey").asText();
            assertThat(accessKeyId).matches("GK[A-Z0-9]{18}");
            assertThat(secret).hasSize(40);
            assertThat(key.get("token").asText()).isEqualTo(readerId);
            assertThat(key.has("created")).isTrue();

            S3Credential resolved = gateway.client.s3Keys().resolve(accessKeyId).orElseThrow();
            assertThat(resolved.secretKey()).isEqualTo(secret);
            assertThat(resolved.token().id()).isEqualTo(readerId);
            JsonNode listed = json(http.request(KEYS, b -> b.header("Authorization", "Bearer " + READER).get()));
            assertThat(listed.get("keys")).singleElement()
                    .satisfies(k -> assertThat(k.get("accessKeyId").asText()).isEqualTo(accessKeyId));
            assertThat(listed.toString()).doesNotContain(secret);
        });
    }

    @Test
    void anAdminCreatesAKeyForAnyTokenAndListsEveryKeyOrOneTokens() {
        String readerId = gateway.cluster.auth.add(READER, "viewer", "reader");
        String writerId = gateway.cluster.auth.add(WRITER, "ci", "writer");
        gateway.test((server, http) -> {
            JsonNode forReader = json(create(http, "{\"token\": \"" + readerId + "\"}", null));
            JsonNode forWriter = json(create(http, "{\"token\": \"" + writerId + "\"}", null));
            JsonNode forAdmin = json(create(http, "", null));

            assertThat(forReader.get("token").asText()).isEqualTo(readerId);
            assertThat(forAdmin.get("token").asText()).as("the admin's own principal")
                    .isEqualTo(json(http.get("/api/v1/whoami")).get("id").asText());
            assertThat(json(http.get(KEYS)).get("keys")).extracting(k -> k.get("accessKeyId").asText())
                    .containsExactlyInAnyOrder(forReader.get("accessKeyId").asText(),
                            forWriter.get("accessKeyId").asText(), forAdmin.get("accessKeyId").asText());
            assertThat(json(http.get(KEYS + "?token=" + writerId)).get("keys"))
                    .extracting(k -> k.get("accessKeyId").asText())
                    .containsExactly(forWriter.get("accessKeyId").asText());
            assertThat(json(http.get(KEYS + "?token=" + writerId)).toString())
                    .doesNotContain(forWriter.get("secretKey").asText());
        });
    }

    @Test
    void aNonAdminNamingAnotherTokenIs403AndGetsNothing() {
        gateway.cluster.auth.add(READER, "viewer", "reader");
        String writerId = gateway.cluster.auth.add(WRITER, "ci", "writer");
        gateway.test((server, http) -> {
            create(http, "{\"token\": \"" + writerId + "\"}", null);

            Response created = create(http, "{\"token\": \"" + writerId + "\"}", READER);
            Response listed = http.request(KEYS + "?token=" + writerId,
                    b -> b.header("Authorization", "Bearer " + READER).get());

            assertThat(created.code()).isEqualTo(403);
            assertThat(json(created).get("type").asText()).isEqualTo("urn:granary:problem:forbidden");
            assertThat(listed.code()).isEqualTo(403);
            assertThat(gateway.client.s3Keys().list(writerId)).hasSize(1);
            assertThat(json(http.request(KEYS, b -> b.header("Authorization", "Bearer " + READER).get()))
                    .get("keys")).as("the reader's own keys: none").isEmpty();
        });
    }

    @Test
    void aNonAdminRevokesItsOwnKeyButNotAnothersAndAnAdminRevokesAny() {
        gateway.cluster.auth.add(READER, "viewer", "reader");
        gateway.cluster.auth.add(WRITER, "ci", "writer");
        gateway.test((server, http) -> {
            String readers = json(create(http, "", READER)).get("accessKeyId").asText();
            String writers = json(create(http, "", WRITER)).get("accessKeyId").asText();

            assertThat(revoke(http, writers, READER).code()).isEqualTo(403);
            assertThat(gateway.client.s3Keys().resolve(writers)).as("still valid").isPresent();
            assertThat(revoke(http, readers, READER).code()).isEqualTo(204);
            assertThat(gateway.client.s3Keys().resolve(readers)).isEmpty();
            assertThat(revoke(http, readers, READER).code()).isEqualTo(404);
            assertThat(revoke(http, writers, null).code()).as("an admin").isEqualTo(204);
            assertThat(gateway.client.s3Keys().resolve(writers)).isEmpty();
        });
    }

    @Test
    void revokingTheTokenRevokesItsKeys() {
        String writerId = gateway.cluster.auth.add(WRITER, "ci", "writer");
        gateway.test((server, http) -> {
            String key = json(create(http, "", WRITER)).get("accessKeyId").asText();

            assertThat(http.request("/api/v1/admin/tokens/" + writerId, b -> b.delete()).code()).isEqualTo(204);

            assertThat(gateway.client.s3Keys().resolve(key)).isEmpty();
            assertThat(json(http.get(KEYS)).get("keys")).isEmpty();
        });
    }

    @Test
    void aKeyForAnUnknownTokenIs404() {
        gateway.test((server, http) -> {
            Response created = create(http, "{\"token\": \"tok_ffffffffffffffff\"}", null);

            assertThat(created.code()).isEqualTo(404);
            assertThat(json(created).get("detail").asText()).contains("tok_ffffffffffffffff");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"token\": 1, ", "{\"nope\": \"x\"}", "[]"})
    void aBadBodyIs400AndCreatesNothing(String body) {
        gateway.test((server, http) -> {
            Response created = create(http, body, null);

            assertThat(created.code()).isEqualTo(400);
            assertThat(created.header("Content-Type")).startsWith("application/problem+json");
            assertThat(gateway.client.s3Keys().list("")).isEmpty();
        });
    }

    @Test
    void withoutATokenEveryRouteIs401() {
        gateway.test((server, http) -> {
            assertThat(http.request(KEYS, b -> b.header("Authorization", "").get()).code()).isEqualTo(401);
            assertThat(http.request(KEYS, b -> b.header("Authorization", "")
                    .post(RequestBody.create(new byte[0], null))).code()).isEqualTo(401);
            assertThat(http.request(KEYS + "/GK0123456789ABCDEFGH", b -> b.header("Authorization", "").delete())
                    .code()).isEqualTo(401);
        });
    }

    /** POSTs {@code body} (none when empty) as {@code token} (the fixture's admin when null). */
    private static Response create(HttpClient http, String body, String token) {
        RequestBody content = body.isEmpty() ? RequestBody.create(new byte[0], null) : RequestBody.create(body, JSON);
        return http.request(KEYS, b -> (token == null ? b : b.header("Authorization", "Bearer " + token)).post(content));
    }

    private static Response revoke(HttpClient http, String accessKeyId, String token) {
        return http.request(KEYS + "/" + accessKeyId,
                b -> (token == null ? b : b.header("Authorization", "Bearer " + token)).delete());
    }
}
