package io.granary.gateway.routes;

import static io.granary.gateway.testing.GatewayFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.granary.client.fake.FakeAuth;
import io.granary.gateway.GatewayConfig;
import io.granary.gateway.GatewayServer;
import io.granary.gateway.HttpLimits;
import io.granary.gateway.auth.AccessConfig;
import io.granary.gateway.auth.PresignKey;
import io.granary.gateway.auth.PresignKeys;
import io.granary.gateway.testing.GatewayFixture;
import io.granary.gateway.testing.RawHttp;
import io.javalin.Javalin;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The presign and grant routes over the fake cluster; the attacker's view is in the launcher's AccessIT. */
class PresignAndGrantRoutesTest {
    private static final MediaType JSON = MediaType.get("application/json");
    @RegisterExtension
    final GatewayFixture gateway = new GatewayFixture();
    private final Javalin app = GatewayServer.createApp(gateway.client,
            AccessConfig.defaults().withPresignKeys(PresignKeys.of(PresignKey.generate("k1"))), HttpLimits.defaults(),
            GatewayConfig.DEFAULT_MAX_UPLOADS);

    @Test
    void aPresignedGetReadsWithoutATokenAndRefusesOtherMethods() {
        gateway.test(app, (server, http) -> {
            GatewayFixture.put(http, "/api/v1/files/a.bin", "hello".getBytes(), null);
            Response presigned = http.request("/api/v1/presign", b -> b.post(RequestBody.create(
                    "{\"path\":\"a.bin\",\"method\":\"GET\",\"expiresIn\":60}", JSON)));
            assertThat(presigned.code()).isEqualTo(200);
            URI url = URI.create(json(presigned).get("url").asText());
            String target = url.getRawPath() + "?" + url.getRawQuery();

            RawHttp.Response got = RawHttp.send(server.port(), "GET", target, "");
            assertThat(got.status()).isEqualTo(200);
            assertThat(got.text()).isEqualTo("hello");
            RawHttp.Response put = RawHttp.send(server.port(), "PUT", target, "Content-Length: 0\r\n");
            assertThat(put.status()).as(put.text()).isEqualTo(403);
            assertThat(put.text()).contains("presigned URL is for GET, not PUT");
        });
    }

    @Test
    void withoutAKeyPresigningIs503() {
        gateway.test((server, http) -> {
            Response answer = http.request("/api/v1/presign", b -> b.post(RequestBody.create(
                    "{\"path\":\"a.bin\",\"method\":\"GET\",\"expiresIn\":60}", JSON)));
            assertThat(answer.code()).isEqualTo(503);
            assertThat(answer.body().string()).contains("--presign-key");
        });
    }

    @Test
    void anIpGrantOpensAReadWithoutAToken() {
        gateway.test(app, (server, http) -> {
            GatewayFixture.put(http, "/api/v1/files/g/a.bin", "granted".getBytes(), null);
            assertThat(RawHttp.send(server.port(), "GET", "/api/v1/files/g/a.bin", "").status()).isEqualTo(401);
            Response made = http.request("/api/v1/grants", b -> b.post(RequestBody.create(
                    "{\"path\":\"g\",\"cidr\":\"127.0.0.0/8\",\"expiresIn\":60}", JSON)));
            assertThat(made.code()).isEqualTo(201);
            RawHttp.Response got = RawHttp.send(server.port(), "GET", "/api/v1/files/g/a.bin", "");
            assertThat(got.status()).isEqualTo(200);
            assertThat(new String(got.body(), StandardCharsets.UTF_8)).isEqualTo("granted");
            assertThat(http.get("/api/v1/grants").body().string()).contains("127.0.0.0/8");
            assertThat(RawHttp.send(server.port(), "GET", "/api/v1/grants",
                    "Authorization: Bearer " + FakeAuth.ADMIN_TOKEN + "\r\n").status()).isEqualTo(200);
        });
    }

    @Test
    void aGrantNamesItsPathWithALeadingSlashAsFilesDo() {
        gateway.test(app, (server, http) -> {
            Response made = http.request("/api/v1/grants", b -> b.post(RequestBody.create(
                    "{\"path\":\"videos/\",\"cidr\":\"203.0.113.0/24\",\"expiresIn\":60}", JSON)));
            assertThat(made.code()).isEqualTo(201);
            assertThat(GatewayFixture.json(made).path("path").asText()).isEqualTo("/videos");
            assertThat(GatewayFixture.json(http.get("/api/v1/grants")).at("/grants/0/path").asText())
                    .isEqualTo("/videos");
        });
    }

    @Test
    void aPresignedUrlWithAMethodOverrideIs400AndChangesNothing() {
        gateway.test(app, (server, http) -> {
            GatewayFixture.put(http, "/api/v1/files/a.bin", "hello".getBytes(), null);
            String putUrl = presign(http, "{\"path\":\"a.bin\",\"method\":\"PUT\",\"expiresIn\":60}");

            RawHttp.Response read = RawHttp.send(server.port(), "PUT", putUrl, "X-HTTP-Method-Override: GET\r\n"
                    + "Content-Length: 0\r\n");
            RawHttp.Response delete = RawHttp.send(server.port(), "PUT", putUrl, "X-HTTP-Method-Override: DELETE\r\n"
                    + "Content-Length: 0\r\n");

            assertThat(read.status()).as(read.text()).isEqualTo(400);
            assertThat(read.text()).doesNotContain("hello");
            assertThat(delete.status()).as(delete.text()).isEqualTo(400);
            assertThat(http.get("/api/v1/files/a.bin").body().string()).isEqualTo("hello");
        });
    }

    @Test
    void aPresignedPutCannotChooseUnsignedVisibilityOrReplication() {
        gateway.test(app, (server, http) -> {
            String putUrl = presign(http, "{\"path\":\"up.bin\",\"method\":\"PUT\",\"expiresIn\":60}");

            for (String extra : List.of("&visibility=public", "&replication=1", "&X-Granary-Content-Type=text%2Fhtml")) {
                RawHttp.Response answer = RawHttp.sendFrom("127.0.0.1", "localhost", server.port(), "PUT",
                        putUrl + extra, "Content-Length: 2\r\n", new byte[] {1, 2});
                assertThat(answer.status()).as(extra + ": " + answer.text()).isEqualTo(403);
            }
            assertThat(http.get("/api/v1/stat/up.bin").code()).isEqualTo(404);
            assertThat(gateway.cluster.master.started).isEmpty();
        });
    }

    @Test
    void aPresignedPutCannotStoreAnUnsignedActiveContentType() {
        gateway.test(app, (server, http) -> {
            String putUrl = presign(http, "{\"path\":\"up.bin\",\"method\":\"PUT\",\"expiresIn\":60}");

            RawHttp.Response html = RawHttp.sendFrom("127.0.0.1", "localhost", server.port(), "PUT", putUrl,
                    "Content-Type: text/html\r\nContent-Length: 2\r\n", new byte[] {1, 2});
            assertThat(html.status()).as(html.text()).isEqualTo(403);
            assertThat(html.text()).contains("text/html");
            assertThat(gateway.cluster.master.started).isEmpty();

            RawHttp.Response png = RawHttp.sendFrom("127.0.0.1", "localhost", server.port(), "PUT", putUrl,
                    "Content-Type: image/png\r\nContent-Length: 2\r\n", new byte[] {1, 2});
            assertThat(png.status()).as(png.text()).isEqualTo(201);
            assertThat(json(png.text()).get("contentType").asText()).isEqualTo("image/png");
        });
    }

    @Test
    void whatTheSignerSignedIsWhatAPresignedPutStores() {
        gateway.test(app, (server, http) -> {
            String putUrl = presign(http, "{\"path\":\"page.html\",\"method\":\"PUT\",\"expiresIn\":60,"
                    + "\"contentType\":\"text/html\",\"replication\":1,\"visibility\":\"private\"}");

            RawHttp.Response stored = RawHttp.sendFrom("127.0.0.1", "localhost", server.port(), "PUT", putUrl,
                    "Content-Type: image/png\r\nContent-Length: 2\r\n", new byte[] {1, 2});
            assertThat(stored.status()).as(stored.text()).isEqualTo(201);
            assertThat(json(stored.text()).get("contentType").asText()).isEqualTo("text/html");
            assertThat(json(stored.text()).get("replication").asInt()).isEqualTo(1);

            RawHttp.Response changed = RawHttp.sendFrom("127.0.0.1", "localhost", server.port(), "PUT",
                    putUrl.replace("replication=1", "replication=3"), "Content-Length: 2\r\n", new byte[] {1, 2});
            assertThat(changed.status()).as(changed.text()).isEqualTo(403);
        });
    }

    @Test
    void aScopeOnAPresignedGetIs400() {
        gateway.test(app, (server, http) -> {
            Response answer = http.request("/api/v1/presign", b -> b.post(RequestBody.create(
                    "{\"path\":\"a.bin\",\"method\":\"GET\",\"expiresIn\":60,\"visibility\":\"public\"}", JSON)));
            assertThat(answer.code()).isEqualTo(400);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"&X-Granary-Ip=", "&X-Granary-Ip=not-an-ip", "&X-Granary-Ip=%0A"})
    void aMalformedBoundAddressIs403AndCountsAsAFailure(String extra) {
        gateway.test(app, (server, http) -> {
            GatewayFixture.put(http, "/api/v1/files/a.bin", "hello".getBytes(), null);
            String getUrl = presign(http, "{\"path\":\"a.bin\",\"method\":\"GET\",\"expiresIn\":60}");

            RawHttp.Response answer = RawHttp.send(server.port(), "GET", getUrl + extra, "");
            assertThat(answer.status()).as(answer.text()).isEqualTo(403);
            assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
        });
    }

    /** The target (path and query) of a presigned URL made with the admin token. */
    private static String presign(io.javalin.testtools.HttpClient http, String request) {
        Response presigned = http.request("/api/v1/presign", b -> b.post(RequestBody.create(request, JSON)));
        assertThat(presigned.code()).isEqualTo(200);
        URI url = URI.create(json(presigned).get("url").asText());
        return url.getRawPath() + "?" + url.getRawQuery();
    }
}
