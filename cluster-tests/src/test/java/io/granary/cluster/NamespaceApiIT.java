package io.granary.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.granary.common.ByteSize;
import io.granary.common.meta.ChunkMeta;
import io.granary.launcher.local.LocalCluster;
import io.granary.launcher.local.LocalSettings;
import io.granary.master.MasterConfig;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The namespace API end to end on a real cluster (Redis, master, chunkservers, gateway on loopback):
 * directories, rename, du, replication changes and conditional PUTs, driven over HTTP. Content is
 * checked by SHA-256 against what was sent.
 */
class NamespaceApiIT {
    static final long CHUNK = 256 * ByteSize.KIB;
    static final int CHUNKSERVERS = 3;

    @RegisterExtension
    static final MiniGranary cluster = MiniGranary.builder()
            .chunkservers(CHUNKSERVERS)
            .replication(2)
            .chunkSize(CHUNK)
            .build();
    static Http http;
    static RedisClient redisClient;
    static StatefulRedisConnection<String, String> redisConnection;
    static final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void connect() {
        http = new Http(cluster);
        redisClient = RedisClient.create(cluster.redis().uri());
        redisConnection = redisClient.connect();
    }

    @AfterAll
    static void disconnect() {
        if (redisConnection != null) {
            redisConnection.close();
            redisClient.shutdown();
        }
    }

    @Test
    void mkdirListsAndPagesPastTheEnd() {
        assertThat(http.call("PUT", "/api/v1/dirs/mk/a/b", null).statusCode()).isEqualTo(201);
        assertThat(http.call("PUT", "/api/v1/dirs/mk/a/b", null).statusCode()).isEqualTo(200);
        for (int i = 0; i < 5; i++) {
            assertThat(http.put("mk/f" + i, i, 10).statusCode()).isEqualTo(201);
        }

        List<String> seen = new ArrayList<>();
        String after = "";
        int pages = 0;
        JsonNode page;
        do {
            page = read(http.call("GET", "/api/v1/dirs/mk?limit=2" + (after.isEmpty() ? "" : "&after=" + after), null));
            page.get("entries").forEach(e -> seen.add(e.get("name").asText()));
            after = page.has("next") ? page.get("next").asText() : "";
            pages++;
        } while (!after.isEmpty());

        assertThat(seen).containsExactly("a", "f0", "f1", "f2", "f3", "f4");
        assertThat(pages).isEqualTo(3);
        assertThat(read(http.call("GET", "/api/v1/dirs/mk?after=f4", null)).get("entries")).isEmpty();
        assertThat(names(read(http.call("GET", "/api/v1/dirs", null)))).contains("mk");
    }

    @Test
    void renamedFilesAndDirectoriesKeepTheirBytes() {
        long size = 3 * CHUNK + 17;
        assertThat(http.put("ren/src/big.bin", 42, size).statusCode()).isEqualTo(201);
        for (int i = 0; i < 40; i++) {
            assertThat(http.put("ren/src/many/f" + i, 1000 + i, 100 + i).statusCode()).isEqualTo(201);
        }

        HttpResponse<String> file = rename("{\"from\": \"/ren/src/big.bin\", \"to\": \"/ren/dst/moved.bin\"}");
        assertThat(file.statusCode()).as(file.body()).isEqualTo(200);
        assertThat(http.get("ren/dst/moved.bin").sha256()).isEqualTo(TestBytes.sha256(42, size));
        assertThat(http.get("ren/src/big.bin").status()).isEqualTo(404);

        HttpResponse<String> directory = rename("{\"from\": \"/ren/src/many\", \"to\": \"/ren/dst/many\"}");
        assertThat(directory.statusCode()).as(directory.body()).isEqualTo(200);
        for (int i = 0; i < 40; i += 13) {
            assertThat(http.get("ren/dst/many/f" + i).sha256()).isEqualTo(TestBytes.sha256(1000 + i, 100 + i));
        }
        assertThat(read(http.getText("/api/v1/stat/ren/dst/many")).get("files").asLong()).isEqualTo(40);
        assertThat(http.call("GET", "/api/v1/dirs/ren/src/many", null).statusCode()).isEqualTo(404);

        assertThat(http.put("ren/other", 7, 7).statusCode()).isEqualTo(201);
        assertProblem(rename("{\"from\": \"/ren/other\", \"to\": \"/ren/dst/moved.bin\"}"), 409);
        assertProblem(rename("{\"from\": \"/ren/dst\", \"to\": \"/ren/dst/many/inside\"}"), 400);
        assertProblem(rename("{\"from\": \"/ren/nothing\", \"to\": \"/ren/x\"}"), 404);
        assertProblem(rename("{\"from\": \"/ren/other\", \"to\": \"/ren/dst/many\", \"overwrite\": true}"), 409);
        assertThat(http.get("ren/other").sha256()).isEqualTo(TestBytes.sha256(7, 7));
    }

    @Test
    void deletingADirectoryNeedsRecursiveAndFeedsTheTrash() {
        assertThat(http.put("del/a/one", 1, CHUNK + 1).statusCode()).isEqualTo(201);
        assertThat(http.put("del/b/two", 2, 10).statusCode()).isEqualTo(201);
        List<String> handles = new ArrayList<>();
        for (String path : List.of("del/a/one", "del/b/two")) {
            cluster.client().stat(path).chunks().stream().map(ChunkMeta::handle).forEach(h -> handles.add(h.hex()));
        }

        assertProblem(http.call("DELETE", "/api/v1/dirs/del", null), 409);
        assertThat(http.call("DELETE", "/api/v1/dirs/del?recursive=true", null).statusCode()).isEqualTo(204);

        assertThat(http.get("del/a/one").status()).isEqualTo(404);
        assertThat(http.call("GET", "/api/v1/dirs/del", null).statusCode()).isEqualTo(404);
        String trash = MasterConfig.DEFAULT_KEY_PREFIX + ":trash";
        for (String handle : handles) {
            assertThat(redisConnection.sync().zscore(trash, handle)).as("chunk %s in the trash", handle).isNotNull();
        }
    }

    @Test
    void aDirectoryStatIsItsRecursiveUsage() {
        assertThat(http.put("du/a", 1, 1000).statusCode()).isEqualTo(201);
        assertThat(http.put("du/x/b", 2, CHUNK + 5).statusCode()).isEqualTo(201);
        assertThat(http.put("du/x/y/c", 3, 5).statusCode()).isEqualTo(201);

        JsonNode du = read(http.getText("/api/v1/stat/du"));
        assertThat(du.get("type").asText()).isEqualTo("directory");
        assertThat(du.get("size").asLong()).isEqualTo(1000 + CHUNK + 5 + 5);
        assertThat(du.get("files").asLong()).isEqualTo(3);
        assertThat(read(http.getText("/api/v1/stat/du/x")).get("size").asLong()).isEqualTo(CHUNK + 10);
    }

    @Test
    void aReplicationChangeShowsInStatAndInTheClusterHealth() {
        assertThat(http.put("rep/file", 9, 2 * CHUNK).statusCode()).isEqualTo(201);
        long before = read(http.getText("/api/v1/cluster")).get("underReplicatedChunks").asLong();

        // more replicas than there are chunkservers: stays under-replicated whatever repair does
        HttpResponse<String> patched = http.call("PATCH", "/api/v1/stat/rep/file", "{\"replication\": 5}");

        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        assertThat(read(http.getText("/api/v1/stat/rep/file")).get("replication").asInt()).isEqualTo(5);
        assertThat(read(http.getText("/api/v1/cluster")).get("underReplicatedChunks").asLong())
                .isGreaterThanOrEqualTo(before + 2);
        assertThat(http.get("rep/file").sha256()).isEqualTo(TestBytes.sha256(9, 2 * CHUNK));
    }

    @Test
    void conditionalPutsAre412WithoutChangeAndSucceedWhenTheyHold() {
        assertThat(http.putWithHeaders("cond/f", 1, 100, "If-None-Match", "*").statusCode()).isEqualTo(201);
        String etag = http.get("cond/f").header("ETag");
        assertThat(etag).isEqualTo("\"" + TestBytes.sha256(1, 100) + "\"");

        assertProblem(http.putWithHeaders("cond/f", 2, 200, "If-None-Match", "*"), 412);
        assertProblem(http.putWithHeaders("cond/f", 2, 200, "If-Match", "\"" + TestBytes.sha256(2, 200) + "\""), 412);
        assertProblem(http.putWithHeaders("cond/absent", 2, 200, "If-Match", "*"), 412);
        Http.Download unchanged = http.get("cond/f");
        assertThat(unchanged.sha256()).isEqualTo(TestBytes.sha256(1, 100));
        assertThat(http.get("cond/absent").status()).isEqualTo(404);

        HttpResponse<String> overwrite = http.putWithHeaders("cond/f", 3, CHUNK + 3, "If-Match", etag);
        assertThat(overwrite.statusCode()).as(overwrite.body()).isEqualTo(201);
        assertThat(http.get("cond/f").sha256()).isEqualTo(TestBytes.sha256(3, CHUNK + 3));
        assertProblem(http.putWithHeaders("cond/f", 4, 10, "If-Match", etag), 412);
    }

    private static HttpResponse<String> rename(String body) {
        return http.call("POST", "/api/v1/rename", body);
    }

    private static void assertProblem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    private static JsonNode read(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        try {
            return json.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> names(JsonNode page) {
        return StreamSupport.stream(page.get("entries").spliterator(), false).map(e -> e.get("name").asText()).toList();
    }
}
