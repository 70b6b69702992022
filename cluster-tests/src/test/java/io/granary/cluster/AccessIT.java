package io.granary.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.granary.common.net.Cidr;
import io.granary.gateway.GatewayConfig;
import io.granary.gateway.GatewayServer;
import io.granary.gateway.auth.AccessConfig;
import io.granary.gateway.auth.PresignKey;
import io.granary.gateway.auth.PresignKeys;
import io.granary.gateway.auth.UrlSigner;
import io.granary.gateway.testing.RawHttp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Presigned URLs, IP grants, trusted proxies and request limits, tried the way an attacker would, on a
 * real cluster. Different client addresses come from binding the client socket to 127.0.0.x on
 * Linux loopback. Every refusal asserts the precise status and that nothing changed.
 */
class AccessIT {
    static final String HOST = "127.0.0.1";
    static final String PROXY = "127.0.0.3";
    static final PresignKey K1 = PresignKey.generate("k1");
    static final PresignKey K2 = PresignKey.generate("k2");
    static final ObjectMapper JSON = new ObjectMapper();
    static final byte[] VICTIM = "the victim's bytes, which must never change".getBytes(StandardCharsets.UTF_8);

    @RegisterExtension
    static final MiniGranary cluster = MiniGranary.builder()
            .replication(1)
            .chunkservers(1)
            .access(AccessConfig.defaults().withPresignKeys(PresignKeys.of(K1))
                    .withTrustedProxies(List.of(Cidr.parse(PROXY)))
                    // the limit has its own test, on its own gateway
                    .withAuthFailureLimit(10_000, Duration.ofMinutes(1)))
            .build();
    static int port;
    static String admin;
    static String writer;
    static String reader;

    @BeforeAll
    static void createTokensAndTheVictim() {
        port = URI.create(cluster.gatewayUrl()).getPort();
        admin = cluster.adminToken();
        writer = token("writer");
        reader = token("reader");
        assertThat(put(port, "victim/v.bin", VICTIM, admin).status()).isEqualTo(201);
    }

    // ---- presigned URLs ----

    @Test
    void aPresignedGetServesTheFileRangesAndHeadWithoutAToken() {
        String url = presign("victim/v.bin", "GET", 600, null, reader);
        RawHttp.Response whole = send(HOST, port, "GET", url, "", new byte[0]);
        assertThat(whole.status()).isEqualTo(200);
        assertThat(whole.body()).isEqualTo(VICTIM);
        RawHttp.Response range = send(HOST, port, "GET", url, "Range: bytes=4-9\r\n", new byte[0]);
        assertThat(range.status()).isEqualTo(206);
        assertThat(range.body()).isEqualTo(Arrays.copyOfRange(VICTIM, 4, 10));
        assertThat(range.header("Content-Range")).isEqualTo("bytes 4-9/" + VICTIM.length);
        assertThat(send(HOST, port, "HEAD", url, "", new byte[0]).status()).isEqualTo(200);
    }

    @Test
    void eachTamperedPartOfAPresignedUrlIs403AndServesNothing() {
        String url = presign("victim/v.bin", "GET", 600, HOST, reader);
        String expires = param(url, UrlSigner.EXPIRES);
        assertRefused(url.replace("victim/v.bin", "victim/w.bin"), "GET", "signature does not match");
        assertRefused(url.replace(expires, Long.toString(Long.parseLong(expires) + 3600)), "GET",
                "signature does not match");
        assertRefused(url.replace("KeyId=k1", "KeyId=k2"), "GET", "signature does not match");
        assertRefused(url.replace("Ip=" + HOST, "Ip=127.0.0.9"), "GET", "signature does not match");
        String signature = param(url, UrlSigner.SIGNATURE);
        String flipped = (signature.charAt(0) == 'A' ? "B" : "A") + signature.substring(1);
        assertRefused(url.replace(signature, flipped), "GET", "signature does not match");
        assertRefused(url.replace("&" + UrlSigner.SIGNATURE + "=" + signature, "&" + UrlSigner.SIGNATURE + "="),
                "GET", "signature does not match");
    }

    @Test
    void aPresignedUrlBoundToAnAddressRefusesAnyOther() {
        String url = presign("victim/v.bin", "GET", 600, "127.0.0.2", reader);
        assertThat(send("127.0.0.2", port, "GET", url, "", new byte[0]).status()).isEqualTo(200);
        RawHttp.Response other = send(HOST, port, "GET", url, "", new byte[0]);
        assertThat(other.status()).isEqualTo(403);
        assertThat(other.text()).contains("bound to another client address");
    }

    @Test
    void aPresignedGetReplayedWithAnotherMethodIs403AndChangesNothing() {
        String url = presign("victim/v.bin", "GET", 600, null, admin);
        RawHttp.Response put = send(HOST, port, "PUT", url, "Content-Length: 3\r\n", "bad".getBytes());
        assertThat(put.status()).as(put.text()).isEqualTo(403);
        assertThat(put.text()).contains("presigned URL is for GET, not PUT");
        // a signature never stands in for a token on other routes: DELETE still needs one
        assertThat(send(HOST, port, "DELETE", url, "", new byte[0]).status()).isEqualTo(401);
        assertVictimIntact();
    }

    @Test
    void anExpiredPresignedUrlIs403SayingWhen() {
        String url = presign("victim/v.bin", "GET", 1, null, reader);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            RawHttp.Response late = send(HOST, port, "GET", url, "", new byte[0]);
            assertThat(late.status()).isEqualTo(403);
            assertThat(late.text()).contains("presigned URL expired at");
        });
    }

    @Test
    void expiriesOverSevenDaysAreRefusedAtCreation() {
        RawHttp.Response answer = post("/api/v1/presign", "{\"path\":\"victim/v.bin\",\"method\":\"GET\",\"expiresIn\":"
                + (Duration.ofDays(7).toSeconds() + 1) + "}", reader);
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.text()).contains("7 days");
    }

    @Test
    void aPresignedPutUploadsWithoutATokenAndTheSignerOwnsTheFile() throws IOException {
        String url = presign("drop/new.bin", "PUT", 600, null, writer);
        byte[] content = "uploaded by a browser".getBytes(StandardCharsets.UTF_8);
        RawHttp.Response created = send(HOST, port, "PUT", url, "Content-Length: " + content.length + "\r\n", content);
        assertThat(created.status()).isEqualTo(201);
        JsonNode stat = JSON.readTree(get("/api/v1/stat/drop/new.bin", admin).text());
        assertThat(stat.get("owner").asText()).isEqualTo(whoami(writer).get("id").asText());
        assertThat(get("/api/v1/files/drop/new.bin", admin).body()).isEqualTo(content);
    }

    @Test
    void nobodyPresignsWhatTheyCouldNotDo() {
        RawHttp.Response readerPut = post("/api/v1/presign", "{\"path\":\"drop/x.bin\",\"method\":\"PUT\",\"expiresIn\":60}",
                reader);
        assertThat(readerPut.status()).isEqualTo(403);
        RawHttp.Response othersFile = post("/api/v1/presign",
                "{\"path\":\"victim/v.bin\",\"method\":\"PUT\",\"expiresIn\":60}", writer);
        assertThat(othersFile.status()).isEqualTo(403);
        assertThat(post("/api/v1/presign", "{\"path\":\"victim/v.bin\",\"method\":\"GET\",\"expiresIn\":60}", "nope")
                .status()).isEqualTo(401);
    }

    @Test
    void aRotatedKeyIsAcceptedDuringItsGraceAndRefusedAfter() {
        String url = presign("victim/v.bin", "GET", 600, null, reader);
        try (GatewayServer rotated = gateway(new PresignKeys(K2, K1, Instant.now().plusSeconds(3600)));
             GatewayServer retired = gateway(new PresignKeys(K2, K1, Instant.now().minusSeconds(1)))) {
            RawHttp.Response during = send(HOST, rotated.port(), "GET", url, "", new byte[0]);
            assertThat(during.status()).isEqualTo(200);
            assertThat(during.body()).isEqualTo(VICTIM);
            RawHttp.Response after = send(HOST, retired.port(), "GET", url, "", new byte[0]);
            assertThat(after.status()).isEqualTo(403);
            assertThat(after.text()).contains("signature key 'k1' was retired at");
        }
    }

    // ---- IP grants and trusted proxies ----

    @Test
    void anIpGrantOpensReadsFromItsAddressOnlyAndTrustsForwardedForOnlyFromAProxy() throws IOException {
        put(port, "granted/a.bin", VICTIM, admin);
        RawHttp.Response made = post("/api/v1/grants", "{\"path\":\"granted\",\"cidr\":\"127.0.0.2/32\",\"expiresIn\":600}",
                admin);
        assertThat(made.status()).isEqualTo(201);
        String target = "/api/v1/files/granted/a.bin";

        RawHttp.Response right = send("127.0.0.2", port, "GET", target, "", new byte[0]);
        assertThat(right.status()).isEqualTo(200);
        assertThat(right.body()).isEqualTo(VICTIM);
        assertThat(send(HOST, port, "GET", target, "", new byte[0]).status()).isEqualTo(401);
        // a client spoofing the header itself is not a trusted proxy: its own address counts
        assertThat(send(HOST, port, "GET", target, "X-Forwarded-For: 127.0.0.2\r\n", new byte[0]).status())
                .isEqualTo(401);
        // the configured proxy vouches for its client
        assertThat(send(PROXY, port, "GET", target, "X-Forwarded-For: 127.0.0.2\r\n", new byte[0]).status())
                .isEqualTo(200);
        // ... and only for the right-most address it appended, not for what its client wrote
        assertThat(send(PROXY, port, "GET", target, "X-Forwarded-For: 127.0.0.2, 10.9.9.9\r\n", new byte[0]).status())
                .isEqualTo(401);
        // a grant is for reading only
        assertThat(send("127.0.0.2", port, "DELETE", target, "", new byte[0]).status()).isEqualTo(401);
        assertThat(send("127.0.0.2", port, "PUT", target, "Content-Length: 1\r\n", new byte[] {1}).status())
                .isEqualTo(401);
        assertThat(get(target, admin).body()).isEqualTo(VICTIM);

        String id = JSON.readTree(made.text()).get("id").asText();
        assertThat(get("/api/v1/grants", admin).text()).contains(id);
        assertThat(send(HOST, port, "DELETE", "/api/v1/grants/" + id, auth(admin), new byte[0]).status()).isEqualTo(204);
        assertThat(send("127.0.0.2", port, "GET", target, "", new byte[0]).status()).isEqualTo(401);
    }

    @Test
    void anExpiredGrantStopsWorking() {
        put(port, "brief/a.bin", VICTIM, admin);
        assertThat(post("/api/v1/grants", "{\"path\":\"brief/a.bin\",\"ip\":\"127.0.0.6\",\"expiresIn\":1}", admin)
                .status()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(send("127.0.0.6", port, "GET", "/api/v1/files/brief/a.bin", "", new byte[0]).status())
                        .isEqualTo(401));
    }

    @Test
    void grantsAreForAdminsOnly() {
        RawHttp.Response byWriter = post("/api/v1/grants", "{\"path\":\"victim\",\"cidr\":\"0.0.0.0/0\",\"expiresIn\":600}",
                writer);
        assertThat(byWriter.status()).isEqualTo(403);
        assertThat(send(HOST, port, "GET", "/api/v1/files/victim/v.bin", "", new byte[0]).status()).isEqualTo(401);
    }

    // ---- limits ----

    @Test
    void oversizedHeadersAre431() {
        RawHttp.Response big = send(HOST, port, "GET", "/api/v1/files/victim/v.bin",
                auth(admin) + "X-Padding: " + "a".repeat(20 * 1024) + "\r\n", new byte[0]);
        assertThat(big.status()).isEqualTo(431);
        assertVictimIntact();
    }

    @Test
    void aBurstOfBadTokensIs429ForEveryCredentialOfThatAddressOnly() {
        try (GatewayServer limited = new GatewayServer(GatewayConfig.builder(cluster.masterAddress()).port(0)
                .access(AccessConfig.defaults().withAuthFailureLimit(5, Duration.ofMinutes(10))).build(), cluster.client())
                .start()) {
            for (int i = 0; i < 5; i++) {
                assertThat(send("127.0.0.4", limited.port(), "DELETE", "/api/v1/files/victim/v.bin",
                        auth("gr_guess" + i + "aaaaaaaaaaaaaaaaaaaa"), new byte[0]).status()).isEqualTo(401);
            }
            RawHttp.Response limitedAnswer = send("127.0.0.4", limited.port(), "DELETE", "/api/v1/files/victim/v.bin",
                    auth("gr_guess6aaaaaaaaaaaaaaaaaaaa"), new byte[0]);
            assertThat(limitedAnswer.status()).isEqualTo(429);
            assertThat(limitedAnswer.text()).contains("urn:granary:problem:too-many-auth-failures");
            assertThat(Long.parseLong(limitedAnswer.header("Retry-After"))).isPositive();
            // another address is not limited; the limited one waits even with a valid token, which is not
            // resolved at all: a guess that happens to be right learns nothing either
            RawHttp.Response good = send(HOST, limited.port(), "GET", "/api/v1/files/victim/v.bin", auth(admin),
                    new byte[0]);
            assertThat(good.status()).isEqualTo(200);
            assertThat(good.body()).isEqualTo(VICTIM);
            assertThat(send("127.0.0.4", limited.port(), "GET", "/api/v1/files/victim/v.bin", auth(admin),
                    new byte[0]).status()).isEqualTo(429);
            // and the same address's next failure is 429 again; public reads are not counted at all
            assertThat(send("127.0.0.4", limited.port(), "GET", "/api/v1/files/victim/v.bin",
                    auth("gr_guess7aaaaaaaaaaaaaaaaaaaa"), new byte[0]).status()).isEqualTo(429);
            assertThat(send("127.0.0.4", limited.port(), "GET", "/health/live", "", new byte[0]).status()).isEqualTo(200);
        }
        assertVictimIntact();
    }

    // ---- path traversal ----

    @ParameterizedTest
    @ValueSource(strings = {"..", "%2e%2e", "%2E%2e", "victim/..", "victim/%2e%2e/victim", "..%2fvictim",
        "victim%2f..%2fvictim", ".%2e/x", "victim/./v.bin", "victim//v.bin"})
    void traversalInEveryPathParameterIs400AndChangesNothing(String evil) {
        Map<String, List<String>> routes = Map.of("/api/v1/files/", List.of("GET", "HEAD", "PUT", "POST", "DELETE"),
                "/api/v1/stat/", List.of("GET", "PATCH"), "/api/v1/dirs/", List.of("GET", "PUT", "DELETE"));
        for (String route : routes.keySet()) {
            for (String method : routes.get(route)) {
                RawHttp.Response answer = send(HOST, port, method, route + evil,
                        auth(admin) + "Content-Length: 1\r\n", new byte[] {7});
                assertThat(answer.status()).as("%s %s%s", method, route, evil).isEqualTo(400);
            }
        }
        String body = "{\"path\":\"" + evil.replace("%2f", "/").replace("%2e", ".").replace("%2E", ".")
                + "\",\"method\":\"GET\",\"expiresIn\":60}";
        assertThat(post("/api/v1/presign", body, admin).status()).isEqualTo(400);
        assertThat(post("/api/v1/grants", body.replace("\"method\":\"GET\"", "\"cidr\":\"0.0.0.0/0\""), admin).status())
                .isEqualTo(400);
        assertVictimIntact();
    }

    @Test
    void backslashesAreJustCharactersOfOneName() throws IOException {
        RawHttp.Response answer = send(HOST, port, "PUT", "/api/v1/files/victim/..%5C..%5Cv.bin",
                auth(admin) + "Content-Length: 1\r\n", new byte[] {7});
        assertThat(answer.status()).isEqualTo(201);
        assertThat(JSON.readTree(answer.text()).get("path").asText()).isEqualTo("/victim/..\\..\\v.bin");
        assertVictimIntact();
    }

    @Test
    void aMultipartFilenameNeverChoosesWhereTheFileGoes() throws IOException {
        String boundary = "xyzBOUNDARYxyz";
        byte[] form = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"../../victim/v.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\nevil\r\n--" + boundary + "--\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        RawHttp.Response answer = send(HOST, port, "POST", "/api/v1/files/uploads/form.bin",
                auth(admin) + "Content-Type: multipart/form-data; boundary=" + boundary + "\r\nContent-Length: "
                        + form.length + "\r\n", form);
        assertThat(answer.status()).isEqualTo(201);
        assertThat(JSON.readTree(answer.text()).get("path").asText()).isEqualTo("/uploads/form.bin");
        assertVictimIntact();
    }

    // ---- helpers ----

    static void assertVictimIntact() {
        RawHttp.Response victim = get("/api/v1/files/victim/v.bin", admin);
        assertThat(victim.status()).isEqualTo(200);
        assertThat(victim.body()).isEqualTo(VICTIM);
    }

    static void assertRefused(String url, String method, String reason) {
        RawHttp.Response answer = send(HOST, port, method, url, "", new byte[0]);
        assertThat(answer.status()).as(url).isEqualTo(403);
        assertThat(answer.text()).contains(reason);
        assertThat(answer.text()).doesNotContain(new String(VICTIM, StandardCharsets.UTF_8));
    }

    static GatewayServer gateway(PresignKeys keys) {
        return new GatewayServer(GatewayConfig.builder(cluster.masterAddress()).port(0)
                .access(AccessConfig.defaults().withPresignKeys(keys)).build(), cluster.client()).start();
    }

    static String presign(String path, String method, long expiresIn, String ip, String token) {
        RawHttp.Response answer = post("/api/v1/presign", "{\"path\":\"" + path + "\",\"method\":\"" + method
                + "\",\"expiresIn\":" + expiresIn + (ip == null ? "" : ",\"ip\":\"" + ip + "\"") + "}", token);
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        try {
            URI url = URI.create(JSON.readTree(answer.text()).get("url").asText());
            return url.getRawPath() + "?" + url.getRawQuery();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String param(String url, String name) {
        for (String pair : url.substring(url.indexOf('?') + 1).split("&")) {
            if (pair.startsWith(name + "=")) {
                return pair.substring(name.length() + 1);
            }
        }
        throw new AssertionError("no " + name + " in " + url);
    }

    static String token(String role) {
        RawHttp.Response answer = post("/api/v1/admin/tokens", "{\"name\":\"" + role + "\",\"role\":\"" + role + "\"}", admin);
        assertThat(answer.status()).isEqualTo(201);
        try {
            return JSON.readTree(answer.text()).get("token").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode whoami(String token) throws IOException {
        return JSON.readTree(get("/api/v1/whoami", token).text());
    }

    static String auth(String token) {
        return "Authorization: Bearer " + token + "\r\n";
    }

    static RawHttp.Response get(String target, String token) {
        return send(HOST, port, "GET", target, auth(token), new byte[0]);
    }

    static RawHttp.Response post(String target, String json, String token) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return send(HOST, port, "POST", target, auth(token) + "Content-Type: application/json\r\nContent-Length: "
                + body.length + "\r\n", body);
    }

    static RawHttp.Response put(int gatewayPort, String path, byte[] content, String token) {
        return send(HOST, gatewayPort, "PUT", "/api/v1/files/" + path, auth(token) + "Content-Length: "
                + content.length + "\r\n", content);
    }

    static RawHttp.Response send(String from, int gatewayPort, String method, String target, String headers, byte[] body) {
        return RawHttp.sendFrom(from, HOST, gatewayPort, method, target, headers, body);
    }

}
