package io.granary.gateway.routes;

import static io.granary.gateway.testing.GatewayFixture.json;
import static io.granary.gateway.testing.GatewayFixture.put;
import static io.granary.gateway.testing.GatewayFixture.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.granary.gateway.testing.GatewayFixture;
import io.javalin.testtools.HttpClient;
import java.util.List;
import java.util.stream.StreamSupport;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Directories, rename, replication changes and conditional PUTs over HTTP, on the fake cluster. */
class NamespaceRoutesTest {
    private static final MediaType JSON = MediaType.get("application/json");
    @RegisterExtension
    final GatewayFixture gateway = new GatewayFixture();
    private final byte[] content = randomBytes(1000);

    @Test
    void mkdirIsCreatedOnceThenOk() {
        gateway.test((server, http) -> {
            Response created = http.request("/api/v1/dirs/photos/2024%20trip", b -> b.put(empty()));
            assertThat(created.code()).isEqualTo(201);
            assertThat(created.header("Location")).isEqualTo("/api/v1/dirs/photos/2024%20trip");
            JsonNode dir = json(created);
            assertThat(dir.get("path").asText()).isEqualTo("/photos/2024 trip");
            assertThat(dir.get("type").asText()).isEqualTo("directory");
            assertThat(dir.has("chunks")).isFalse();

            assertThat(http.request("/api/v1/dirs/photos/2024%20trip/", b -> b.put(empty())).code()).isEqualTo(200);
            assertThat(http.request("/api/v1/dirs/photos", b -> b.put(empty())).code()).isEqualTo(200);
            assertThat(json(http.get("/api/v1/stat/photos")).get("type").asText()).isEqualTo("directory");

            put(http, "/api/v1/files/photos/f", content, null);
            assertProblem(http.request("/api/v1/dirs/photos/f/sub", b -> b.put(empty())), 409, "failed-precondition");
        });
    }

    @Test
    void listingPagesWithACursorAndPastTheLastPageIsEmpty() {
        gateway.test((server, http) -> {
            for (String name : List.of("c", "a", "b")) {
                put(http, "/api/v1/files/docs/" + name, content, null);
            }
            http.request("/api/v1/dirs/docs/sub", b -> b.put(empty()));

            JsonNode first = json(http.get("/api/v1/dirs/docs?limit=2"));
            assertThat(names(first)).containsExactly("a", "b");
            assertThat(first.get("next").asText()).isEqualTo("b");
            assertThat(first.get("path").asText()).isEqualTo("/docs");
            JsonNode entry = first.get("entries").get(0);
            assertThat(entry.get("type").asText()).isEqualTo("file");
            assertThat(entry.get("size").asLong()).isEqualTo(content.length);
            assertThat(entry.get("modified").asText()).endsWith("Z");
            assertThat(entry.get("sha256").asText()).isEqualTo(gateway.client.stat("/docs/a").sha256()).isNotEmpty();

            JsonNode second = json(http.get("/api/v1/dirs/docs?limit=2&after=b"));
            assertThat(names(second)).containsExactly("c", "sub");
            assertThat(second.has("next")).isFalse();
            assertThat(second.get("entries").get(1).get("type").asText()).isEqualTo("directory");
            assertThat(second.get("entries").get(1).has("sha256")).isFalse();

            JsonNode past = json(http.get("/api/v1/dirs/docs?after=sub"));
            assertThat(past.get("entries")).isEmpty();
            assertThat(past.has("next")).isFalse();

            assertThat(names(json(http.get("/api/v1/dirs")))).containsExactly("docs");
            assertThat(names(json(http.get("/api/v1/dirs/")))).containsExactly("docs");
            assertProblem(http.get("/api/v1/dirs/docs?limit=0"), 400, "invalid-argument");
            assertProblem(http.get("/api/v1/dirs/docs?limit=1001"), 400, "invalid-argument");
            assertProblem(http.get("/api/v1/dirs/nothing"), 404, "not-found");
            assertProblem(http.get("/api/v1/dirs/docs/a"), 409, "failed-precondition");
        });
    }

    @Test
    void deletingANonEmptyDirectoryNeedsRecursive() {
        gateway.test((server, http) -> {
            put(http, "/api/v1/files/tmp/x/f", content, null);

            assertProblem(http.request("/api/v1/dirs/tmp", b -> b.delete()), 409, "failed-precondition");
            assertProblem(http.request("/api/v1/dirs/tmp?recursive=maybe", b -> b.delete()), 400, "invalid-argument");
            assertThat(http.request("/api/v1/dirs/tmp?recursive=true", b -> b.delete()).code()).isEqualTo(204);
            assertThat(http.get("/api/v1/files/tmp/x/f").code()).isEqualTo(404);
            assertProblem(http.request("/api/v1/dirs/tmp", b -> b.delete()), 404, "not-found");
        });
    }

    @Test
    void renameMovesFilesAndDirectoriesAndRefusesConflicts() {
        gateway.test((server, http) -> {
            put(http, "/api/v1/files/a/one", content, null);
            put(http, "/api/v1/files/a/two", content, null);

            Response moved = rename(http, "{\"from\": \"/a/one\", \"to\": \"/b/uno\"}");
            assertThat(moved.code()).isEqualTo(200);
            assertThat(json(moved).get("path").asText()).isEqualTo("/b/uno");
            assertThat(GatewayFixture.bytes(http.get("/api/v1/files/b/uno"))).isEqualTo(content);
            assertThat(http.get("/api/v1/files/a/one").code()).isEqualTo(404);

            assertProblem(rename(http, "{\"from\": \"/b/uno\", \"to\": \"/a/two\"}"), 409, "already-exists");
            assertThat(rename(http, "{\"from\": \"/b/uno\", \"to\": \"/a/two\", \"overwrite\": true}").code())
                    .isEqualTo(200);
            assertProblem(rename(http, "{\"from\": \"/a\", \"to\": \"/a/inside\"}"), 400, "invalid-argument");
            assertProblem(rename(http, "{\"from\": \"/missing\", \"to\": \"/x\"}"), 404, "not-found");
            assertProblem(rename(http, "{\"from\": \"/a\"}"), 400, "invalid-argument");
            assertProblem(rename(http, "not json"), 400, "invalid-argument");
            assertProblem(rename(http, "{\"from\": \"/a\", \"to\": \"/c\", \"force\": true}"), 400, "invalid-argument");

            JsonNode dir = json(rename(http, "{\"from\": \"a\", \"to\": \"c/d\"}"));
            assertThat(dir.get("type").asText()).isEqualTo("directory");
            assertThat(GatewayFixture.bytes(http.get("/api/v1/files/c/d/two"))).isEqualTo(content);
        });
    }

    @Test
    void aDirectoryStatCarriesItsRecursiveUsage() {
        gateway.test((server, http) -> {
            put(http, "/api/v1/files/du/a", content, null);
            put(http, "/api/v1/files/du/x/b", randomBytes(10), null);

            JsonNode stat = json(http.get("/api/v1/stat/du"));
            assertThat(stat.get("size").asLong()).isEqualTo(content.length + 10);
            assertThat(stat.get("files").asLong()).isEqualTo(2);
            assertThat(json(http.get("/api/v1/stat/du/a")).has("files")).isFalse();
        });
    }

    @Test
    void patchingStatChangesTheReplication() {
        gateway.test((server, http) -> {
            put(http, "/api/v1/files/f", content, null);

            Response patched = patch(http, "/api/v1/stat/f", "{\"replication\": 3}");
            assertThat(patched.code()).isEqualTo(200);
            assertThat(json(patched).get("replication").asInt()).isEqualTo(3);
            assertThat(json(http.get("/api/v1/stat/f")).get("replication").asInt()).isEqualTo(3);

            assertProblem(patch(http, "/api/v1/stat/f", "{\"replication\": 0}"), 400, "invalid-argument");
            assertProblem(patch(http, "/api/v1/stat/f", "{}"), 400, "invalid-argument");
            assertProblem(patch(http, "/api/v1/stat/missing", "{\"replication\": 2}"), 404, "not-found");
        });
    }

    @Test
    void conditionalPutsAre412WhenTheFileIsNotAsExpected() {
        gateway.test((server, http) -> {
            assertThat(conditionalPut(http, "If-None-Match", "*", content).code()).isEqualTo(201);
            String etag = "\"" + gateway.client.stat("/c").sha256() + "\"";
            int commits = gateway.cluster.master.commits.size();

            assertProblem(conditionalPut(http, "If-None-Match", "*", randomBytes(5)), 412, "precondition-failed");
            assertProblem(conditionalPut(http, "If-Match", "\"" + "0".repeat(64) + "\"", randomBytes(5)), 412,
                    "precondition-failed");
            assertProblem(conditionalPut(http, "If-Match", "W/" + etag, randomBytes(5)), 412, "precondition-failed");
            assertProblem(conditionalPut(http, "If-Match", "not-quoted", randomBytes(5)), 400, "invalid-argument");
            assertProblem(conditionalPut(http, "If-None-Match", etag, randomBytes(5)), 400, "invalid-argument");
            assertThat(gateway.cluster.master.commits).hasSize(commits);
            assertThat(GatewayFixture.bytes(http.get("/api/v1/files/c"))).isEqualTo(content);

            byte[] next = randomBytes(7);
            assertThat(conditionalPut(http, "If-Match", etag, next).code()).isEqualTo(201);
            assertThat(GatewayFixture.bytes(http.get("/api/v1/files/c"))).isEqualTo(next);
            assertThat(conditionalPut(http, "If-Match", "*", content).code()).isEqualTo(201);
        });
    }

    private static Response conditionalPut(HttpClient http, String header, String value, byte[] body) {
        return http.request("/api/v1/files/c", b -> b.header(header, value).put(RequestBody.create(body, null)));
    }

    private static Response rename(HttpClient http, String body) {
        return http.request("/api/v1/rename", b -> b.post(RequestBody.create(body, JSON)));
    }

    private static Response patch(HttpClient http, String path, String body) {
        return http.request(path, b -> b.patch(RequestBody.create(body, JSON)));
    }

    private static RequestBody empty() {
        return RequestBody.create(new byte[0], null);
    }

    private static List<String> names(JsonNode page) {
        return StreamSupport.stream(page.get("entries").spliterator(), false).map(e -> e.get("name").asText()).toList();
    }

    private static void assertProblem(Response response, int status, String kind) {
        assertThat(response.code()).isEqualTo(status);
        assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(json(response).get("type").asText()).isEqualTo("urn:granary:problem:" + kind);
    }
}
