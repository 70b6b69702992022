package io.granary.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.granary.common.ByteSize;
import io.granary.common.meta.FileMeta;
import io.granary.gateway.auth.AccessConfig;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tokens, roles, ownership and visibility tried the way an attacker would, on a real cluster (Redis,
 * master, chunkservers, gateway on loopback). Every refusal is checked for its exact status and
 * problem type, and for having changed nothing: the victim file keeps its bytes, owner, replication
 * and visibility, and nothing appears where the attempt aimed.
 */
class SecurityIT {
    static final long CHUNK = 64 * ByteSize.KIB;
    static final long SIZE = 3 * CHUNK + 17;

    // this suite sends many bad tokens on purpose; the failure limit (429) has its own test in AccessIT
    @RegisterExtension
    static final MiniGranary cluster = MiniGranary.builder()
            .replication(2)
            .chunkSize(CHUNK)
            .access(AccessConfig.defaults().withAuthFailureLimit(100_000, Duration.ofMinutes(1)))
            .build();
    static Http admin;
    static Http alice;
    static Http bob;
    static Http reader;
    static Http anonymous;
    static String aliceId;

    /** A route to try: method, URL path, body (null: none), content type of the body. */
    record Route(String method, String path, String body, String contentType) {
        static Route of(String method, String path) {
            return new Route(method, path, null, null);
        }

        static Route json(String method, String path, String body) {
            return new Route(method, path, body, "application/json");
        }

        HttpResponse<String> send(Http http) {
            byte[] bytes = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
            return contentType == null ? http.send(method, path, bytes) : http.send(method, path, bytes,
                    "Content-Type", contentType);
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    /** Every protected route, each aimed at the victim file or at a path that must stay empty. */
    static final List<Route> PROTECTED = List.of(
            Route.of("GET", "/api/v1/files/victim/private.bin"),
            Route.of("HEAD", "/api/v1/files/victim/private.bin"),
            new Route("PUT", "/api/v1/files/victim/private.bin", "evil", "application/octet-stream"),
            new Route("PUT", "/api/v1/files/attack/new.bin", "evil", "application/octet-stream"),
            new Route("POST", "/api/v1/files/victim/private.bin", form("evil"), "multipart/form-data; boundary=XyZ"),
            Route.of("DELETE", "/api/v1/files/victim/private.bin"),
            Route.of("GET", "/api/v1/stat/victim/private.bin"),
            Route.json("PATCH", "/api/v1/stat/victim/private.bin", "{\"visibility\":\"public\"}"),
            Route.json("PATCH", "/api/v1/stat/victim/private.bin", "{\"replication\":1}"),
            Route.of("PUT", "/api/v1/dirs/attack/dir"),
            Route.of("GET", "/api/v1/dirs/victim"),
            Route.of("DELETE", "/api/v1/dirs/victim?recursive=true"),
            Route.json("POST", "/api/v1/rename", "{\"from\":\"victim/private.bin\",\"to\":\"attack/moved.bin\"}"),
            Route.of("GET", "/api/v1/cluster"),
            Route.of("GET", "/api/v1/admin/fsck"),
            Route.of("GET", "/api/v1/admin/tokens"),
            Route.json("POST", "/api/v1/admin/tokens", "{\"name\":\"evil\",\"role\":\"admin\"}"),
            Route.of("DELETE", "/api/v1/admin/tokens/tok_0000000000000000"),
            Route.of("GET", "/api/v1/whoami"));

    @BeforeAll
    static void createUsersAndTheirFiles() {
        admin = new Http(cluster);
        anonymous = admin.as(null);
        alice = admin.as(createToken("alice", "writer"));
        aliceId = Http.json(alice.getText("/api/v1/whoami")).get("id").asText();
        bob = admin.as(createToken("bob", "writer"));
        reader = admin.as(createToken("viewer", "reader"));
        assertThat(alice.put("victim/private.bin", 1, SIZE).statusCode()).isEqualTo(201);
        assertThat(alice.put("victim/public.bin", 2, SIZE, "?visibility=public").statusCode()).isEqualTo(201);
    }

    @Test
    void everyProtectedRouteRefusesAMissingAGarbledAndAnUnknownToken() {
        for (Route route : PROTECTED) {
            HttpResponse<String> none = route.send(anonymous);
            assertThat(none.statusCode()).as("no token: %s", route).isEqualTo(401);
            assertThat(none.headers().firstValue("WWW-Authenticate")).as("%s", route).hasValue("Bearer");
            if (!route.method().equals("HEAD")) {
                assertThat(problemType(none)).as("%s", route).isEqualTo("urn:granary:problem:unauthenticated");
            }

            HttpResponse<String> garbled = route.send(anonymous.as("not a token!"));
            assertThat(garbled.statusCode()).as("garbled: %s", route).isEqualTo(401);

            HttpResponse<String> unknown = route.send(anonymous.as("gr_" + "A".repeat(43)));
            assertThat(unknown.statusCode()).as("unknown: %s", route).isEqualTo(401);
            assertThat(unknown.headers().firstValue("WWW-Authenticate")).hasValue("Bearer error=\"invalid_token\"");
            if (!route.method().equals("HEAD")) {
                assertThat(problemType(unknown)).as("%s", route).isEqualTo("urn:granary:problem:invalid-token");
            }
        }
        assertVictimUnchanged();
    }

    @Test
    void aTokenRevokedWhileTheGatewayRunsFailsOnItsNextRequest() {
        HttpResponse<String> created = admin.call("POST", "/api/v1/admin/tokens", "{\"name\":\"soon-gone\",\"role\":\"writer\"}");
        JsonNode token = Http.json(created);
        Http doomed = admin.as(token.get("token").asText());
        assertThat(doomed.getText("/api/v1/whoami").statusCode()).isEqualTo(200);

        assertThat(admin.call("DELETE", "/api/v1/admin/tokens/" + token.get("id").asText(), null).statusCode())
                .isEqualTo(204);

        HttpResponse<String> after = doomed.getText("/api/v1/whoami");
        assertThat(after.statusCode()).isEqualTo(401);
        assertThat(problemType(after)).isEqualTo("urn:granary:problem:invalid-token");
        assertThat(doomed.put("attack/after-revoke.bin", 3, 10).statusCode()).isEqualTo(401);
        assertThat(admin.getText("/api/v1/stat/attack/after-revoke.bin").statusCode()).isEqualTo(404);
    }

    @Test
    void aTokenOfTooLowARoleIs403NamingTheRoleItNeeds() {
        List<Route> writes = PROTECTED.stream().filter(r -> !r.method().equals("GET") && !r.method().equals("HEAD")
                && !r.path().startsWith("/api/v1/admin")).toList();
        for (Route route : writes) {
            HttpResponse<String> refused = route.send(reader);
            assertThat(refused.statusCode()).as("reader: %s", route).isEqualTo(403);
            assertThat(problemType(refused)).isEqualTo("urn:granary:problem:forbidden");
            assertThat(Http.json(refused).get("detail").asText()).contains("needs the role writer");
        }
        for (Route route : PROTECTED.stream().filter(r -> r.path().startsWith("/api/v1/admin")).toList()) {
            HttpResponse<String> refused = route.send(alice);
            assertThat(refused.statusCode()).as("writer: %s", route).isEqualTo(403);
            assertThat(Http.json(refused).get("detail").asText()).contains("needs the role admin");
        }
        assertThat(reader.get("victim/private.bin").sha256()).isEqualTo(TestBytes.sha256(1, SIZE));
        assertThat(Http.json(admin.getText("/api/v1/admin/tokens")).get("tokens").toString()).doesNotContain("evil");
        assertVictimUnchanged();
    }

    @Test
    void aWriterCannotChangeAnotherWritersFile() {
        List<Route> attacks = List.of(
                new Route("PUT", "/api/v1/files/victim/private.bin", "evil", "application/octet-stream"),
                new Route("POST", "/api/v1/files/victim/private.bin", form("evil"), "multipart/form-data; boundary=XyZ"),
                Route.of("DELETE", "/api/v1/files/victim/private.bin"),
                Route.json("POST", "/api/v1/rename", "{\"from\":\"victim/private.bin\",\"to\":\"attack/moved.bin\"}"),
                Route.json("PATCH", "/api/v1/stat/victim/private.bin", "{\"visibility\":\"public\"}"),
                Route.json("PATCH", "/api/v1/stat/victim/private.bin", "{\"replication\":1}"),
                Route.of("DELETE", "/api/v1/dirs/victim?recursive=true"));
        for (Route route : attacks) {
            HttpResponse<String> refused = route.send(bob);
            assertThat(refused.statusCode()).as("bob: %s", route).isEqualTo(403);
            assertThat(problemType(refused)).as("%s", route).isEqualTo("urn:granary:problem:forbidden");
        }
        // Bob's own file cannot replace Alice's by a rename either
        assertThat(bob.put("attack/bobs.bin", 4, 10).statusCode()).isEqualTo(201);
        HttpResponse<String> onto = Route.json("POST", "/api/v1/rename",
                "{\"from\":\"attack/bobs.bin\",\"to\":\"victim/private.bin\",\"overwrite\":true}").send(bob);
        assertThat(onto.statusCode()).isEqualTo(403);
        assertThat(Http.json(onto).get("detail").asText()).contains("not the owner");

        assertVictimUnchanged();
        assertThat(admin.getText("/api/v1/stat/attack/moved.bin").statusCode()).isEqualTo(404);
    }

    @Test
    void theOwnerMayChangeItsFileAndAnAdminAnyFile() {
        assertThat(alice.put("own/a.bin", 5, 10).statusCode()).isEqualTo(201);
        assertThat(alice.call("PATCH", "/api/v1/stat/own/a.bin", "{\"visibility\":\"public\"}").statusCode()).isEqualTo(200);
        assertThat(admin.call("PATCH", "/api/v1/stat/own/a.bin", "{\"replication\":1}").statusCode()).isEqualTo(200);
        JsonNode stat = Http.json(admin.getText("/api/v1/stat/own/a.bin"));
        assertThat(stat.get("owner").asText()).isEqualTo(aliceId);
        assertThat(stat.get("visibility").asText()).isEqualTo("public");
        assertThat(stat.get("replication").asInt()).isEqualTo(1);
        assertThat(admin.delete("own/a.bin").statusCode()).isEqualTo(204);
    }

    @Test
    void aPublicFileIsReadAndRangedWithoutATokenAndAPrivateOneIsNot() {
        Http.Download whole = anonymous.get("victim/public.bin");
        assertThat(whole.status()).isEqualTo(200);
        assertThat(whole.sha256()).isEqualTo(TestBytes.sha256(2, SIZE));
        HttpResponse<byte[]> range = anonymous.getBytes("victim/public.bin", "Range", "bytes=" + CHUNK + "-" + (CHUNK + 99));
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.body()).isEqualTo(TestBytes.slice(2, CHUNK, 100));
        assertThat(anonymous.send("HEAD", "/api/v1/files/victim/public.bin", null).statusCode()).isEqualTo(200);

        assertThat(anonymous.get("victim/private.bin").status()).isEqualTo(401);
        assertThat(anonymous.getBytes("victim/private.bin", "Range", "bytes=0-99").statusCode()).isEqualTo(401);
        HttpResponse<String> missing = anonymous.getText("/api/v1/files/victim/nothing.bin");
        assertThat(missing.statusCode()).as("no hint that a file does not exist").isEqualTo(401);
        assertThat(anonymous.getText("/api/v1/stat/victim/public.bin").statusCode())
                .as("metadata is not public").isEqualTo(401);

        assertThat(alice.put("pub/flip.bin", 6, 10, "?visibility=public").statusCode()).isEqualTo(201);
        assertThat(anonymous.get("pub/flip.bin").status()).isEqualTo(200);
        assertThat(alice.call("PATCH", "/api/v1/stat/pub/flip.bin", "{\"visibility\":\"private\"}").statusCode())
                .isEqualTo(200);
        assertThat(anonymous.get("pub/flip.bin").status()).isEqualTo(401);
        assertThat(reader.get("pub/flip.bin").status()).isEqualTo(200);
        assertVictimUnchanged();
    }

    @Test
    void aBadVisibilityIs400AndStoresNothing() {
        assertThat(alice.put("bad/vis.bin", 7, 10, "?visibility=everyone").statusCode()).isEqualTo(400);
        assertThat(alice.call("PATCH", "/api/v1/stat/victim/private.bin", "{\"visibility\":\"world\"}").statusCode())
                .isEqualTo(400);
        assertThat(admin.getText("/api/v1/stat/bad/vis.bin").statusCode()).isEqualTo(404);
        assertVictimUnchanged();
    }

    @Test
    void whoamiNamesEachRole() {
        assertThat(Http.json(admin.getText("/api/v1/whoami")).get("role").asText()).isEqualTo("admin");
        assertThat(Http.json(alice.getText("/api/v1/whoami")).get("role").asText()).isEqualTo("writer");
        assertThat(Http.json(reader.getText("/api/v1/whoami")).get("role").asText()).isEqualTo("reader");
        JsonNode list = Http.json(admin.getText("/api/v1/admin/tokens"));
        assertThat(list.toString()).doesNotContain("gr_");
    }

    @Test
    void aMethodOverrideNeverLetsAReaderWrite() {
        for (Route route : PROTECTED) {
            if (route.method().equals("GET") || route.method().equals("HEAD")) {
                continue;
            }
            byte[] body = route.body() == null ? null : route.body().getBytes(StandardCharsets.UTF_8);
            HttpResponse<String> answer = route.contentType() == null
                    ? reader.send("GET", route.path(), body, "X-HTTP-Method-Override", route.method())
                    : reader.send("GET", route.path(), body, "X-HTTP-Method-Override", route.method(),
                            "Content-Type", route.contentType());
            assertThat(answer.statusCode()).as("GET overridden to %s", route).isEqualTo(400);
        }
        assertVictimUnchanged();
    }

    @Test
    void uploadedHtmlAndSvgAreServedAsSandboxedAttachments() {
        byte[] page = "<script>fetch('/api/v1/admin/tokens',{method:'POST'})</script>".getBytes(StandardCharsets.UTF_8);
        for (String[] upload : new String[][] {{"content/page.html", "text/html"}, {"content/icon.svg", "image/svg+xml"}}) {
            assertThat(alice.send("PUT", "/api/v1/files/" + upload[0], page, "Content-Type", upload[1]).statusCode())
                    .isEqualTo(201);
            HttpResponse<String> got = admin.send("GET", "/api/v1/files/" + upload[0], null);
            assertThat(got.statusCode()).isEqualTo(200);
            assertThat(got.headers().firstValue("Content-Disposition")).as(upload[0]).hasValueSatisfying(
                    value -> assertThat(value).startsWith("attachment"));
            assertThat(got.headers().firstValue("Content-Security-Policy")).as(upload[0]).hasValue("sandbox");
            assertThat(got.headers().firstValue("X-Content-Type-Options")).as(upload[0]).hasValue("nosniff");
        }
    }

    private static void assertVictimUnchanged() {
        FileMeta file = cluster.client().stat("victim/private.bin");
        assertThat(file.owner()).isEqualTo(aliceId);
        assertThat(file.size()).isEqualTo(SIZE);
        assertThat(file.sha256()).isEqualTo(TestBytes.sha256(1, SIZE));
        assertThat(file.replication()).isEqualTo(2);
        assertThat(file.isPublic()).isFalse();
        assertThat(admin.get("victim/private.bin").sha256()).isEqualTo(TestBytes.sha256(1, SIZE));
        assertThat(admin.getText("/api/v1/stat/attack/new.bin").statusCode()).isEqualTo(404);
        assertThat(admin.getText("/api/v1/stat/attack/dir").statusCode()).isEqualTo(404);
    }

    private static String createToken(String name, String role) {
        HttpResponse<String> created = admin.call("POST", "/api/v1/admin/tokens",
                "{\"name\":\"" + name + "\",\"role\":\"" + role + "\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        return Http.json(created).get("token").asText();
    }

    private static String form(String content) {
        return "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n" + content + "\r\n--XyZ--\r\n";
    }

    private static String problemType(HttpResponse<String> response) {
        return Http.json(response).get("type").asText();
    }

}
