package io.granary.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The audit log through the HTTP API on a real cluster: every kind of change made through the gateway
 * is recorded once, with its action, path, actor, client address and request id; a refused change is
 * not; admins page and filter it, others may not read it (docs/architecture.md, invariants: a change
 * is in the audit log if and only if it happened).
 */
class AuditLogIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String LOOPBACK = "127.0.0.1";
    static final AtomicInteger ids = new AtomicInteger();

    @RegisterExtension
    static final MiniGranary cluster = MiniGranary.builder().replication(1).chunkservers(1).build();
    static Http admin;
    static String adminId;
    static Http writer;
    static String writerId;
    static Http reader;
    static String readerToken;

    @BeforeAll
    static void tokens() {
        admin = new Http(cluster);
        adminId = Http.okJson(admin.getText("/api/v1/whoami")).get("id").asText();
        JsonNode w = Http.okJson(admin.call("POST", "/api/v1/admin/tokens", "{\"name\":\"w\",\"role\":\"writer\"}"));
        writer = admin.as(w.get("token").asText());
        writerId = w.get("id").asText();
        readerToken = Http.okJson(admin.call("POST", "/api/v1/admin/tokens", "{\"name\":\"r\",\"role\":\"reader\"}"))
                .get("token").asText();
        reader = admin.as(readerToken);
    }

    @Test
    void everyKindOfChangeIsLoggedOnceWithItsActionPathActorAddressAndRequestId() {
        List<Expected> expected = new ArrayList<>();
        String id = requestId();
        assertThat(admin.putWithHeaders("kinds/a.txt", 1, 100, "X-Request-Id", id).statusCode()).isEqualTo(201);
        expected.add(new Expected(id, "upload", "/kinds/a.txt"));
        id = requestId();
        assertThat(admin.putWithHeaders("kinds/a.txt", 2, 200, "X-Request-Id", id).statusCode()).isEqualTo(201);
        expected.add(new Expected(id, "overwrite", "/kinds/a.txt"));
        id = requestId();
        assertThat(send(admin, "PUT", "/api/v1/dirs/kinds/d", null, id).statusCode()).isEqualTo(201);
        expected.add(new Expected(id, "mkdir", "/kinds/d"));
        id = requestId();
        assertThat(send(admin, "POST", "/api/v1/rename", "{\"from\":\"/kinds/a.txt\",\"to\":\"/kinds/d/b.txt\"}", id)
                .statusCode()).isEqualTo(200);
        expected.add(new Expected(id, "rename", "/kinds/a.txt"));
        id = requestId();
        assertThat(send(admin, "PATCH", "/api/v1/stat/kinds/d/b.txt", "{\"visibility\":\"public\"}", id).statusCode())
                .isEqualTo(200);
        expected.add(new Expected(id, "visibility", "/kinds/d/b.txt"));
        id = requestId();
        assertThat(send(admin, "PATCH", "/api/v1/stat/kinds/d/b.txt", "{\"replication\":1}", id).statusCode())
                .isEqualTo(200);
        expected.add(new Expected(id, "replication", "/kinds/d/b.txt"));
        id = requestId();
        assertThat(send(admin, "DELETE", "/api/v1/files/kinds/d/b.txt", null, id).statusCode()).isEqualTo(204);
        expected.add(new Expected(id, "delete", "/kinds/d/b.txt"));
        id = requestId();
        assertThat(send(admin, "DELETE", "/api/v1/dirs/kinds/d", null, id).statusCode()).isEqualTo(204);
        expected.add(new Expected(id, "rmdir", "/kinds/d"));
        id = requestId();
        HttpResponse<String> token = send(admin, "POST", "/api/v1/admin/tokens", "{\"name\":\"ci\",\"role\":\"writer\"}", id);
        assertThat(token.statusCode()).isEqualTo(201);
        String tokenId = Http.okJson(token).get("id").asText();
        expected.add(new Expected(id, "token.create", ""));
        id = requestId();
        assertThat(send(admin, "DELETE", "/api/v1/admin/tokens/" + tokenId, null, id).statusCode()).isEqualTo(204);
        expected.add(new Expected(id, "token.revoke", ""));
        id = requestId();
        HttpResponse<String> grant = send(admin, "POST", "/api/v1/grants",
                "{\"path\":\"/kinds\",\"cidr\":\"203.0.113.0/24\",\"expiresIn\":3600}", id);
        assertThat(grant.statusCode()).isEqualTo(201);
        String grantId = Http.okJson(grant).get("id").asText();
        expected.add(new Expected(id, "grant.create", "/kinds"));
        id = requestId();
        assertThat(send(admin, "DELETE", "/api/v1/grants/" + grantId, null, id).statusCode()).isEqualTo(204);
        expected.add(new Expected(id, "grant.revoke", "/kinds"));
        id = requestId();
        HttpResponse<String> s3Key = send(admin, "POST", "/api/v1/s3-keys", "{\"token\":\"" + writerId + "\"}", id);
        assertThat(s3Key.statusCode()).isEqualTo(201);
        String accessKeyId = Http.okJson(s3Key).get("accessKeyId").asText();
        expected.add(new Expected(id, "s3key.create", ""));
        id = requestId();
        assertThat(send(admin, "DELETE", "/api/v1/s3-keys/" + accessKeyId, null, id).statusCode()).isEqualTo(204);
        expected.add(new Expected(id, "s3key.revoke", ""));

        List<JsonNode> log = everyEntry("");
        for (Expected e : expected) {
            assertThat(log.stream().filter(entry -> entry.get("requestId").asText().equals(e.requestId())))
                    .as(e.action() + " under request " + e.requestId())
                    .singleElement().satisfies(entry -> {
                        assertThat(entry.get("action").asText()).isEqualTo(e.action());
                        assertThat(entry.get("path").asText()).isEqualTo(e.path());
                        assertThat(entry.get("actor").asText()).isEqualTo(adminId);
                        assertThat(entry.get("address").asText()).isEqualTo(LOOPBACK);
                    });
        }
        assertThat(entryOf(log, expected.get(3).requestId()).get("detail").asText()).contains("to=/kinds/d/b.txt");
        assertThat(entryOf(log, expected.get(8).requestId()).get("detail").asText()).contains("id=" + tokenId);
        assertThat(entryOf(log, expected.get(10).requestId()).get("detail").asText()).contains("id=" + grantId);
        assertThat(entryOf(log, expected.get(12).requestId()).get("detail").asText())
                .contains("key=" + accessKeyId, "token=" + writerId);
        assertThat(entryOf(log, expected.get(13).requestId()).get("detail").asText()).contains("key=" + accessKeyId);
    }

    @Test
    void aWritersChangeIsLoggedAsItsOwnAndRefusedChangesAreNotLogged() {
        String written = requestId();
        assertThat(writer.putWithHeaders("refused/mine.txt", 3, 10, "X-Request-Id", written).statusCode())
                .isEqualTo(201);
        assertThat(admin.put("refused/admins.txt", 4, 10).statusCode()).isEqualTo(201);
        String readerUpload = requestId();
        String missingDelete = requestId();
        String othersDelete = requestId();
        String fileInTheWay = requestId();
        String othersKeyRevoke = requestId();

        assertThat(reader.putWithHeaders("refused/r.txt", 5, 10, "X-Request-Id", readerUpload).statusCode())
                .isEqualTo(403);
        assertThat(send(admin, "DELETE", "/api/v1/files/refused/missing.txt", null, missingDelete).statusCode())
                .isEqualTo(404);
        assertThat(send(writer, "DELETE", "/api/v1/files/refused/admins.txt", null, othersDelete).statusCode())
                .isEqualTo(403);
        assertThat(send(admin, "PUT", "/api/v1/dirs/refused/mine.txt/sub", null, fileInTheWay).statusCode())
                .isEqualTo(409);
        String adminsKey = Http.okJson(admin.call("POST", "/api/v1/s3-keys", null)).get("accessKeyId").asText();
        assertThat(send(writer, "DELETE", "/api/v1/s3-keys/" + adminsKey, null, othersKeyRevoke).statusCode())
                .isEqualTo(403);

        List<JsonNode> log = everyEntry("");
        assertThat(entryOf(log, written).get("actor").asText()).isEqualTo(writerId);
        assertThat(entryOf(log, written).get("action").asText()).isEqualTo("upload");
        assertThat(log).noneMatch(entry -> List.of(readerUpload, missingDelete, othersDelete, fileInTheWay, othersKeyRevoke)
                .contains(entry.get("requestId").asText()));
        assertThat(log).noneMatch(entry -> entry.get("path").asText().equals("/refused/r.txt"));
    }

    @Test
    void filtersSelectEntriesAndPagesFollowTheCursorNewestFirst() {
        for (int i = 1; i <= 3; i++) {
            assertThat(send(admin, "PUT", "/api/v1/dirs/paged/" + i, null, requestId()).statusCode()).isEqualTo(201);
        }
        assertThat(send(writer, "PUT", "/api/v1/dirs/paged/w", null, requestId()).statusCode()).isEqualTo(201);

        JsonNode first = Http.okJson(admin.getText("/api/v1/admin/audit?path=/paged&action=mkdir&actor=" + adminId + "&limit=2"));
        JsonNode second = Http.okJson(admin.getText("/api/v1/admin/audit?path=/paged&action=mkdir&actor=" + adminId
                + "&limit=2&after=" + first.get("next").asText()));

        assertThat(paths(first)).containsExactly("/paged/3", "/paged/2");
        assertThat(paths(second)).containsExactly("/paged/1");
        assertThat(second.path("next").isMissingNode() || second.get("next").isNull()).isTrue();
        assertThat(paths(Http.okJson(admin.getText("/api/v1/admin/audit?path=/paged&actor=" + writerId))))
                .containsExactly("/paged/w");
        long firstTime = java.time.Instant.parse(second.get("entries").get(0).get("time").asText()).toEpochMilli();
        assertThat(paths(Http.okJson(admin.getText("/api/v1/admin/audit?path=/paged&until=" + (firstTime - 1))))).isEmpty();
        assertThat(paths(Http.okJson(admin.getText("/api/v1/admin/audit?path=/paged&since=" + firstTime))))
                .containsExactly("/paged/w", "/paged/3", "/paged/2", "/paged/1");
        assertThat(admin.getText("/api/v1/admin/audit?after=nonsense").statusCode()).isEqualTo(400);
    }

    @Test
    void onlyAnAdminMayReadTheAuditLog() {
        assertThat(reader.getText("/api/v1/admin/audit").statusCode()).isEqualTo(403);
        assertThat(writer.getText("/api/v1/admin/audit").statusCode()).isEqualTo(403);
        assertThat(admin.as(null).getText("/api/v1/admin/audit").statusCode()).isEqualTo(401);
        assertThat(admin.getText("/api/v1/admin/audit").statusCode()).isEqualTo(200);
    }

    @Test
    void theCliListsTheFilteredLogAsJsonForAnAdminAndRefusesOthers() throws IOException {
        assertThat(send(admin, "PUT", "/api/v1/dirs/cli/x", null, requestId()).statusCode()).isEqualTo(201);

        CliIT.Run run = CliIT.granaryAs(cluster.gatewayUrl(), cluster.adminToken(), "admin", "audit", "--json",
                "--path", "/cli", "--action", "mkdir");
        CliIT.Run table = CliIT.granaryAs(cluster.gatewayUrl(), cluster.adminToken(), "admin", "audit",
                "--path", "/cli");
        CliIT.Run refused = CliIT.granaryAs(cluster.gatewayUrl(), readerToken, "admin", "audit");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(paths(JSON.readTree(run.out()))).containsExactly("/cli/x");
        assertThat(table.exitCode()).as(table.stderr()).isZero();
        assertThat(table.out()).contains("mkdir", "/cli/x", adminId, LOOPBACK);
        assertThat(refused.exitCode()).isEqualTo(io.granary.launcher.cli.ExitCodes.AUTH);
    }

    record Expected(String requestId, String action, String path) {
    }

    private static String requestId() {
        return "audit-it-" + ids.incrementAndGet();
    }

    private static HttpResponse<String> send(Http http, String method, String urlPath, String jsonBody, String requestId) {
        return jsonBody == null ? http.send(method, urlPath, null, "X-Request-Id", requestId)
                : http.send(method, urlPath, jsonBody.getBytes(StandardCharsets.UTF_8), "X-Request-Id", requestId,
                        "Content-Type", "application/json");
    }

    /** Every entry under {@code path}, following the pages. */
    private static List<JsonNode> everyEntry(String path) {
        List<JsonNode> all = new ArrayList<>();
        String after = "";
        do {
            JsonNode page = Http.okJson(admin.getText("/api/v1/admin/audit?limit=1000&path="
                    + URLEncoder.encode(path, StandardCharsets.UTF_8) + "&after=" + after));
            page.get("entries").forEach(all::add);
            after = page.path("next").asText("");
        } while (!after.isEmpty() && !after.equals("null"));
        return all;
    }

    private static JsonNode entryOf(List<JsonNode> log, String requestId) {
        return log.stream().filter(e -> e.get("requestId").asText().equals(requestId)).findFirst().orElseThrow();
    }

    private static List<String> paths(JsonNode page) {
        List<String> paths = new ArrayList<>();
        page.get("entries").forEach(e -> paths.add(e.get("path").asText()));
        return paths;
    }

}
