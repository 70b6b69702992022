package io.granary.gateway.auth;

import static io.granary.gateway.testing.GatewayFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.granary.gateway.GatewayConfig;
import io.granary.gateway.GatewayServer;
import io.granary.gateway.HttpLimits;
import io.granary.gateway.testing.GatewayFixture;
import io.granary.gateway.testing.RawHttp;
import io.javalin.Javalin;
import java.time.Duration;
import java.util.List;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The access decision of the gateway: tokens, roles, public routes, the token routes. */
class AccessControlTest {
    private static final String READER = "gr_reader-token-0123456789abcdef";
    private static final String WRITER = "gr_writer-token-0123456789abcdef";
    @RegisterExtension
    final GatewayFixture gateway = new GatewayFixture();

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/stat/a", "/api/v1/dirs", "/api/v1/cluster", "/api/v1/whoami",
        "/api/v1/admin/fsck", "/api/v1/admin/tokens", "/api/v1/no-such-route"})
    void protectedRouteWithoutATokenIs401WithAChallenge(String target) {
        gateway.test((server, http) -> {
            Response response = http.request(target, b -> b.header("Authorization", "").get());

            assertThat(response.code()).isEqualTo(401);
            assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer");
            assertThat(response.header("Content-Type")).startsWith("application/problem+json");
            assertThat(json(response).get("type").asText()).isEqualTo("urn:granary:problem:unauthenticated");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"Basic dXNlcjpwYXNz", "Bearer", "Bearer short", "Bearer has spaces in it 0123456789",
        "Bearer gr_<script>alert(1)</script>0123456789"})
    void garbledAuthorizationIs401Unauthenticated(String header) {
        gateway.test((server, http) -> {
            Response response = http.request("/api/v1/whoami", b -> b.header("Authorization", header).get());

            assertThat(response.code()).isEqualTo(401);
            assertThat(json(response).get("type").asText()).isEqualTo("urn:granary:problem:unauthenticated");
        });
    }

    @Test
    void unknownTokenIs401InvalidToken() {
        gateway.test((server, http) -> {
            Response response = http.request("/api/v1/whoami",
                    b -> b.header("Authorization", "Bearer gr_unknown-0123456789abcdef0123").get());

            assertThat(response.code()).isEqualTo(401);
            assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer error=\"invalid_token\"");
            assertThat(json(response).get("type").asText()).isEqualTo("urn:granary:problem:invalid-token");
        });
    }

    @Test
    void whoamiNamesTheTokensPrincipal() {
        String id = gateway.cluster.auth.add(WRITER, "ci", "writer");
        gateway.test((server, http) -> {
            JsonNode me = json(http.request("/api/v1/whoami", b -> b.header("Authorization", "Bearer " + WRITER).get()));

            assertThat(me.get("id").asText()).isEqualTo(id);
            assertThat(me.get("name").asText()).isEqualTo("ci");
            assertThat(me.get("role").asText()).isEqualTo("writer");
        });
    }

    @Test
    void aRoleTooLowIs403NamingTheRoleNeeded() {
        gateway.cluster.auth.add(READER, "viewer", "reader");
        gateway.cluster.auth.add(WRITER, "ci", "writer");
        gateway.test((server, http) -> {
            Response upload = http.request("/api/v1/files/a.txt", b -> b.header("Authorization", "Bearer " + READER)
                    .put(RequestBody.create(new byte[] {1}, MediaType.get("text/plain"))));
            Response fsck = http.request("/api/v1/admin/fsck", b -> b.header("Authorization", "Bearer " + WRITER).get());

            assertThat(upload.code()).isEqualTo(403);
            JsonNode problem = json(upload);
            assertThat(problem.get("type").asText()).isEqualTo("urn:granary:problem:forbidden");
            assertThat(problem.get("detail").asText()).contains("needs the role writer").contains("has reader");
            assertThat(fsck.code()).isEqualTo(403);
            assertThat(gateway.cluster.master.started).isEmpty();
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"/health/live", "/openapi.json", "/docs", "/metrics"})
    void publicRoutesNeedNoToken(String target) {
        gateway.test((server, http) -> {
            assertThat(http.request(target, b -> b.header("Authorization", "").get()).code()).isEqualTo(200);
        });
    }

    @Test
    void anonymousReadOfAPrivateOrMissingFileIs401NotItsExistence() {
        gateway.cluster.master.putFile("/p.txt", new byte[] {1, 2, 3}, GatewayFixture.CHUNK,
                List.of(gateway.cluster.chunkserver(1)));
        gateway.test((server, http) -> {
            Response existing = http.request("/api/v1/files/p.txt", b -> b.header("Authorization", "").get());
            Response missing = http.request("/api/v1/files/nothing.txt", b -> b.header("Authorization", "").get());

            assertThat(existing.code()).isEqualTo(401);
            assertThat(missing.code()).isEqualTo(401);
            assertThat(json(existing).get("detail").asText()).isEqualTo(json(missing).get("detail").asText());
        });
    }

    @Test
    void anAdminCreatesListsAndRevokesTokens() {
        gateway.test((server, http) -> {
            Response created = http.request("/api/v1/admin/tokens", b -> b.post(RequestBody.create(
                    "{\"name\":\"ci\",\"role\":\"writer\"}", MediaType.get("application/json"))));
            assertThat(created.code()).isEqualTo(201);
            JsonNode token = json(created);
            assertThat(token.get("role").asText()).isEqualTo("writer");
            String secret = token.get("token").asText();
            assertThat(http.request("/api/v1/whoami", b -> b.header("Authorization", "Bearer " + secret).get())
                    .code()).isEqualTo(200);

            JsonNode list = json(http.get("/api/v1/admin/tokens"));
            assertThat(list.get("tokens")).extracting(t -> t.get("id").asText()).contains(token.get("id").asText());
            assertThat(list.toString()).doesNotContain(secret);

            assertThat(http.request("/api/v1/admin/tokens/" + token.get("id").asText(), b -> b.delete()).code())
                    .isEqualTo(204);
            assertThat(http.request("/api/v1/whoami", b -> b.header("Authorization", "Bearer " + secret).get())
                    .code()).isEqualTo(401);
            assertThat(http.request("/api/v1/admin/tokens/" + token.get("id").asText(), b -> b.delete()).code())
                    .isEqualTo(404);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"name\":\"x\",\"role\":\"root\"}", "{\"name\":\"x\",\"role\":\"reader\",\"expiresIn\":-1}",
        "{\"role\":\"reader\",\"nope\":1}"})
    void aBadTokenRequestIs400(String body) {
        gateway.test((server, http) -> {
            Response created = http.request("/api/v1/admin/tokens", b -> b.post(RequestBody.create(body,
                    MediaType.get("application/json"))));
            assertThat(created.code()).isEqualTo(400);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"X-HTTP-Method-Override: PUT\r\n", "X-HTTP-Method: PUT\r\n",
        "X-Method-Override: PUT\r\n", "x-http-method-override: put\r\n"})
    void aMethodOverrideHeaderIs400AndStoresNothing(String override) {
        gateway.cluster.auth.add(READER, "viewer", "reader");
        gateway.test((server, http) -> {
            RawHttp.Response answer = RawHttp.sendFrom("127.0.0.1", "localhost", server.port(), "GET",
                    "/api/v1/files/owned.txt", "Authorization: Bearer " + READER + "\r\n" + override
                            + "Content-Length: 1\r\n", new byte[] {'x'});

            assertThat(answer.status()).as(answer.text()).isEqualTo(400);
            assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
            assertThat(answer.text()).contains("method override");
            assertThat(http.get("/api/v1/stat/owned.txt").code()).isEqualTo(404);
            assertThat(gateway.cluster.master.started).isEmpty();
        });
    }

    @Test
    void aMethodOverrideCannotChangeVisibilityOrDirectories() {
        gateway.cluster.auth.add(READER, "viewer", "reader");
        gateway.cluster.master.putFile("/p.txt", new byte[] {1}, GatewayFixture.CHUNK,
                List.of(gateway.cluster.chunkserver(1)));
        gateway.test((server, http) -> {
            String reader = "Authorization: Bearer " + READER + "\r\n";
            RawHttp.Response patch = RawHttp.send(server.port(), "GET", "/api/v1/stat/p.txt?visibility=public",
                    reader + "X-HTTP-Method-Override: PATCH\r\n");
            RawHttp.Response mkdir = RawHttp.send(server.port(), "GET", "/api/v1/dirs/made",
                    reader + "X-HTTP-Method-Override: PUT\r\n");
            RawHttp.Response rmdir = RawHttp.send(server.port(), "GET", "/api/v1/dirs/made?_method=DELETE", reader);

            assertThat(List.of(patch.status(), mkdir.status(), rmdir.status())).containsOnly(400);
            assertThat(json(http.get("/api/v1/stat/p.txt")).get("visibility").asText()).isEqualTo("private");
            assertThat(http.get("/api/v1/stat/made").code()).isEqualTo(404);
        });
    }

    @Test
    void anAddressOutOfTriesIs429BeforeItsTokenIsResolvedEvenAValidOne() {
        Javalin limited = GatewayServer.createApp(gateway.client,
                AccessConfig.defaults().withAuthFailureLimit(3, Duration.ofMinutes(10)), HttpLimits.defaults(),
                GatewayConfig.DEFAULT_MAX_UPLOADS);
        gateway.test(limited, (server, http) -> {
            for (int i = 0; i < 3; i++) {
                assertThat(RawHttp.send(server.port(), "GET", "/api/v1/whoami",
                        "Authorization: Bearer gr_guess" + i + "-0123456789abcdef\r\n").status()).isEqualTo(401);
            }
            int resolvedBefore = gateway.cluster.auth.resolved.get();

            RawHttp.Response guess = RawHttp.send(server.port(), "GET", "/api/v1/whoami",
                    "Authorization: Bearer gr_guess9-0123456789abcdef\r\n");
            RawHttp.Response valid = RawHttp.send(server.port(), "GET", "/api/v1/whoami", GatewayFixture.AUTH);

            assertThat(guess.status()).isEqualTo(429);
            assertThat(valid.status()).isEqualTo(429);
            assertThat(valid.header("Retry-After")).isNotNull();
            assertThat(valid.text()).contains("urn:granary:problem:too-many-auth-failures");
            assertThat(gateway.cluster.auth.resolved.get()).isEqualTo(resolvedBefore);
            RawHttp.Response elsewhere = RawHttp.sendFrom("127.0.0.2", "127.0.0.1", server.port(), "GET",
                    "/api/v1/whoami", GatewayFixture.AUTH, new byte[0]);
            assertThat(elsewhere.status()).isEqualTo(200);
            assertThat(RawHttp.send(server.port(), "GET", "/health/live", "").status()).isEqualTo(200);
        });
    }
}
