package io.granary.gateway.routes;

import static io.granary.gateway.testing.GatewayFixture.CHUNK;
import static io.granary.gateway.testing.GatewayFixture.bytes;
import static io.granary.gateway.testing.GatewayFixture.json;
import static io.granary.gateway.testing.GatewayFixture.put;
import static io.granary.gateway.testing.GatewayFixture.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.granary.common.meta.FileMeta;
import io.granary.gateway.http.UserContent;
import io.granary.gateway.testing.GatewayFixture;
import io.granary.gateway.testing.RawHttp;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FileRoutesTest {
    private static final int SIZE = 2 * CHUNK + 1000;
    @RegisterExtension
    final GatewayFixture gateway = new GatewayFixture();
    private final byte[] content = randomBytes(SIZE);

    @Test
    void uploadedFileDownloadsByteExactWithItsValidators() {
        gateway.test((server, http) -> {
            Response created = put(http, "/api/v1/files/photos/2024/cat%20one.jpg?replication=3", content, "image/jpeg");
            assertThat(created.code()).isEqualTo(201);
            assertThat(created.header("Location")).isEqualTo("/api/v1/files/photos/2024/cat%20one.jpg");
            JsonNode file = json(created);
            assertThat(file.get("path").asText()).isEqualTo("/photos/2024/cat one.jpg");
            assertThat(file.get("size").asLong()).isEqualTo(SIZE);
            assertThat(file.get("replication").asInt()).isEqualTo(3);
            assertThat(file.get("contentType").asText()).isEqualTo("image/jpeg");
            assertThat(file.get("chunks")).hasSize(3);
            String sha256 = file.get("sha256").asText();

            Response got = http.get("/api/v1/files/photos/2024/cat%20one.jpg");
            assertThat(got.code()).isEqualTo(200);
            assertThat(got.header("Content-Length")).isEqualTo(String.valueOf(SIZE));
            assertThat(got.header("Content-Type")).isEqualTo("image/jpeg");
            assertThat(got.header("ETag")).isEqualTo("\"" + sha256 + "\"");
            assertThat(got.header("Accept-Ranges")).isEqualTo("bytes");
            assertThat(got.header("Last-Modified")).endsWith(" GMT");
            assertThat(bytes(got)).isEqualTo(content);

            // Javalin 6 gzips by default; file bytes must go out as stored.
            RawHttp.Response raw = RawHttp.send(server.port(), "GET", "/api/v1/files/photos/2024/cat%20one.jpg",
                    GatewayFixture.AUTH + "Accept-Encoding: gzip, br\r\n");
            assertThat(raw.header("Content-Encoding")).isNull();
            assertThat(raw.body()).isEqualTo(content);

            long readsBefore = readsByChunkservers();
            Response head = http.request("/api/v1/files/photos/2024/cat%20one.jpg", b -> b.head());
            assertThat(head.code()).isEqualTo(200);
            assertThat(head.header("Content-Length")).isEqualTo(String.valueOf(SIZE));
            assertThat(head.header("ETag")).isEqualTo(got.header("ETag"));
            assertThat(bytes(head)).isEmpty();
            assertThat(readsByChunkservers()).isEqualTo(readsBefore);
        });
    }

    @Test
    void uploadWithoutContentTypeIsStoredAsOctetStream() {
        gateway.test((server, http) -> {
            assertThat(json(put(http, "/api/v1/files/raw", content, null)).get("contentType").asText())
                    .isEqualTo("application/octet-stream");
            assertThat(http.get("/api/v1/files/raw").header("Content-Type")).isEqualTo("application/octet-stream");
        });
    }

    @Test
    void formEncodedUploadIsStoredAsSentNotParsedAsAForm() {
        // curl --data-binary sends this content type; the body must still be streamed untouched.
        gateway.test((server, http) -> {
            Response created = put(http, "/api/v1/files/form?replication=2", content,
                    "application/x-www-form-urlencoded");

            assertThat(created.code()).isEqualTo(201);
            assertThat(json(created).get("replication").asInt()).isEqualTo(2);
            assertThat(bytes(http.get("/api/v1/files/form"))).isEqualTo(content);
        });
    }

    @Test
    void rangeRequestReadsOnlyTheRequestedBytes() {
        storeFile("/f");
        gateway.test((server, http) -> {
            long sentBefore = gateway.cluster.bytesSentByChunkservers();
            Response part = http.get("/api/v1/files/f", b -> b.header("Range", "bytes=" + (CHUNK - 10) + "-" + (CHUNK + 9)));

            assertThat(part.code()).isEqualTo(206);
            assertThat(part.header("Content-Range")).isEqualTo("bytes " + (CHUNK - 10) + "-" + (CHUNK + 9) + "/" + SIZE);
            assertThat(part.header("Content-Length")).isEqualTo("20");
            assertThat(bytes(part)).isEqualTo(Arrays.copyOfRange(content, CHUNK - 10, CHUNK + 10));
            assertThat(gateway.cluster.bytesSentByChunkservers() - sentBefore).isEqualTo(20);

            Response suffix = http.get("/api/v1/files/f", b -> b.header("Range", "bytes=-100"));
            assertThat(suffix.code()).isEqualTo(206);
            assertThat(bytes(suffix)).isEqualTo(Arrays.copyOfRange(content, SIZE - 100, SIZE));
        });
    }

    @Test
    void rangesAtTheVeryEndReadExactlyWhatIsAsked() {
        storeFile("/f");
        gateway.test((server, http) -> {
            long sentBefore = gateway.cluster.bytesSentByChunkservers();
            Response last = http.get("/api/v1/files/f", b -> b.header("Range", "bytes=" + (SIZE - 1) + "-" + (SIZE - 1)));
            assertThat(last.code()).isEqualTo(206);
            assertThat(last.header("Content-Range")).isEqualTo("bytes " + (SIZE - 1) + "-" + (SIZE - 1) + "/" + SIZE);
            assertThat(bytes(last)).containsExactly(content[SIZE - 1]);

            Response openEnded = http.get("/api/v1/files/f", b -> b.header("Range", "bytes=" + (SIZE - 5) + "-"));
            assertThat(openEnded.code()).isEqualTo(206);
            assertThat(openEnded.header("Content-Range")).isEqualTo("bytes " + (SIZE - 5) + "-" + (SIZE - 1) + "/" + SIZE);
            assertThat(bytes(openEnded)).isEqualTo(Arrays.copyOfRange(content, SIZE - 5, SIZE));

            Response pastTheEnd = http.get("/api/v1/files/f", b -> b.header("Range", "bytes=" + (SIZE - 3) + "-" + (SIZE + 100)));
            assertThat(pastTheEnd.code()).isEqualTo(206);
            assertThat(bytes(pastTheEnd)).isEqualTo(Arrays.copyOfRange(content, SIZE - 3, SIZE));
            assertThat(gateway.cluster.bytesSentByChunkservers() - sentBefore).isEqualTo(1 + 5 + 3);
        });
    }

    @Test
    void anyRangeOfAnEmptyFileIs416() {
        gateway.cluster.master.putFile("/empty", new byte[0], CHUNK, List.of());
        gateway.test((server, http) -> {
            for (String range : List.of("bytes=0-", "bytes=0-0", "bytes=-1")) {
                Response refused = http.get("/api/v1/files/empty", b -> b.header("Range", range));
                assertThat(refused.code()).as(range).isEqualTo(416);
                assertThat(refused.header("Content-Range")).isEqualTo("bytes */0");
            }
            Response whole = http.get("/api/v1/files/empty");
            assertThat(whole.code()).isEqualTo(200);
            assertThat(bytes(whole)).isEmpty();
        });
    }

    @Test
    void ifRangeHonoursTheRangeOnlyForTheCurrentVersion() {
        FileMeta file = storeFile("/f");
        String etag = "\"" + file.sha256() + "\"";
        gateway.test((server, http) -> {
            Response current = http.get("/api/v1/files/f", b -> b.header("Range", "bytes=0-9").header("If-Range", etag));
            assertThat(current.code()).isEqualTo(206);
            assertThat(bytes(current)).isEqualTo(Arrays.copyOf(content, 10));

            Response stale = http.get("/api/v1/files/f", b -> b.header("Range", "bytes=0-9").header("If-Range", "\"old\""));
            assertThat(stale.code()).isEqualTo(200);
            assertThat(bytes(stale)).isEqualTo(content);
        });
    }

    @Test
    void unsatisfiableRangeIs416WithTheSize() {
        storeFile("/f");
        gateway.test((server, http) -> {
            Response refused = http.get("/api/v1/files/f", b -> b.header("Range", "bytes=" + SIZE + "-"));

            assertThat(refused.code()).isEqualTo(416);
            assertThat(refused.header("Content-Range")).isEqualTo("bytes */" + SIZE);
            assertThat(refused.header("Content-Type")).isEqualTo("application/problem+json");
            assertThat(json(refused).get("type").asText()).isEqualTo("urn:granary:problem:range-not-satisfiable");
        });
    }

    @Test
    void severalRangesGetTheWholeBody() {
        storeFile("/f");
        gateway.test((server, http) -> {
            Response whole = http.get("/api/v1/files/f", b -> b.header("Range", "bytes=0-9,20-29"));

            assertThat(whole.code()).isEqualTo(200);
            assertThat(bytes(whole)).isEqualTo(content);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"CURRENT", "*", "\"0000\", W/CURRENT"})
    void ifNoneMatchNamingTheCurrentVersionIs304(String ifNoneMatch) {
        FileMeta file = storeFile("/f");
        String etag = "\"" + file.sha256() + "\"";
        gateway.test((server, http) -> {
            Response notModified = http.get("/api/v1/files/f", b -> b.header("If-None-Match",
                    ifNoneMatch.replace("CURRENT", etag)));

            assertThat(notModified.code()).isEqualTo(304);
            assertThat(notModified.header("ETag")).isEqualTo(etag);
            assertThat(bytes(notModified)).isEmpty();
            assertThat(http.get("/api/v1/files/f", b -> b.header("If-None-Match", "\"0000\"")).code()).isEqualTo(200);
        });
    }

    @Test
    void deletedFileIsGone() {
        storeFile("/f");
        gateway.test((server, http) -> {
            assertThat(http.delete("/api/v1/files/f").code()).isEqualTo(204);
            assertThat(http.get("/api/v1/files/f").code()).isEqualTo(404);
        });
    }

    @Test
    void downloadFailingBeforeAnyByteIsAProblem() {
        FileMeta file = storeFile("/f");
        dropChunk(file, 0);
        gateway.test((server, http) -> {
            Response failed = http.get("/api/v1/files/f");

            assertThat(failed.code()).isEqualTo(503);
            assertThat(failed.header("Content-Type")).isEqualTo("application/problem+json");
            assertThat(json(failed).get("detail").asText())
                    .startsWith("no replica of chunk " + file.chunks().get(0).handle().hex());
        });
    }

    @Test
    void downloadFailingAfterTheHeadersAbortsTheConnection() {
        FileMeta file = storeFile("/f");
        dropChunk(file, 1);
        gateway.test((server, http) -> {
            RawHttp.Response cut = RawHttp.send(server.port(), "GET", "/api/v1/files/f", GatewayFixture.AUTH);

            assertThat(cut.status()).isEqualTo(200);
            assertThat(cut.header("Content-Length")).isEqualTo(String.valueOf(SIZE));
            assertThat(cut.body().length).isLessThan(SIZE);
            assertThat(cut.body()).isEqualTo(Arrays.copyOf(content, cut.body().length));
        });
    }

    @Test
    void uploadCutShortByItsSenderIsAbandoned() {
        gateway.test((server, http) -> {
            try (Socket socket = new Socket("localhost", server.port())) {
                OutputStream out = socket.getOutputStream();
                out.write(("PUT /api/v1/files/cut HTTP/1.1\r\nHost: localhost\r\n" + GatewayFixture.AUTH + "Content-Length: " + SIZE
                        + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(content, 0, CHUNK + 100);
                out.flush();
                await().until(() -> gateway.cluster.chunkserver(1).chunks.size() == 1); // the first chunk is written
            }

            await().until(() -> gateway.cluster.master.abandoned.size() == 1);
            assertThat(gateway.cluster.master.commits).isEmpty();
            assertThat(http.get("/api/v1/files/cut").code()).isEqualTo(404);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "two", "1.5", ""})
    void badReplicationIs400BeforeAnyUpload(String replication) {
        gateway.test((server, http) -> {
            Response refused = put(http, "/api/v1/files/f?replication=" + replication, content, null);

            assertThat(refused.code()).isEqualTo(400);
            assertThat(json(refused).get("detail").asText()).contains("replication");
            assertThat(gateway.cluster.master.started).isEmpty();
        });
    }

    private FileMeta storeFile(String path) {
        gateway.cluster.master.putFile(path, content, CHUNK, List.of(gateway.cluster.chunkserver(1), gateway.cluster.chunkserver(2)));
        return gateway.client.stat(path);
    }

    @ParameterizedTest
    @ValueSource(strings = {"PUT", "POST"})
    void aPartialUploadWithContentRangeIs400AndStoresNothing(String method) {
        gateway.test((server, http) -> {
            RawHttp.Response answer = RawHttp.sendFrom("127.0.0.1", "localhost", server.port(), method,
                    "/api/v1/files/part.bin", GatewayFixture.AUTH + "Content-Range: bytes 0-3/100\r\n"
                            + "Content-Type: application/octet-stream\r\nContent-Length: 4\r\n", new byte[] {1, 2, 3, 4});

            assertThat(answer.status()).as(answer.text()).isEqualTo(400);
            assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
            assertThat(answer.text()).contains("Content-Range");
            assertThat(http.get("/api/v1/stat/part.bin").code()).isEqualTo(404);
            assertThat(gateway.cluster.master.started).isEmpty();
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/html", "image/svg+xml", "application/xhtml+xml", "text/html; charset=utf-8",
        "application/javascript", "TEXT/HTML", "application/x-unknown"})
    void activeUserContentIsServedAsASandboxedAttachment(String type) {
        gateway.test((server, http) -> {
            byte[] page = "<script>fetch('/api/v1/admin/tokens')</script>".getBytes(StandardCharsets.UTF_8);
            assertThat(put(http, "/api/v1/files/evil.html", page, type).code()).isEqualTo(201);

            for (String method : List.of("GET", "HEAD")) {
                RawHttp.Response got = RawHttp.send(server.port(), method, "/api/v1/files/evil.html", GatewayFixture.AUTH);
                assertThat(got.status()).isEqualTo(200);
                assertThat(got.header("Content-Disposition")).as(method).startsWith("attachment; filename=\"evil.html\"");
                assertThat(got.header("Content-Security-Policy")).as(method).isEqualTo(UserContent.CONTENT_SECURITY_POLICY)
                        .startsWith("sandbox");
                assertThat(got.header("X-Content-Type-Options")).as(method).isEqualTo("nosniff");
            }
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"image/jpeg", "image/png", "video/mp4", "audio/mpeg", "text/plain; charset=utf-8"})
    void inertUserContentIsShownInlineButStillSandboxed(String type) {
        gateway.test((server, http) -> {
            assertThat(put(http, "/api/v1/files/media.bin", new byte[] {1, 2, 3}, type).code()).isEqualTo(201);

            Response got = http.get("/api/v1/files/media.bin");
            assertThat(got.code()).isEqualTo(200);
            assertThat(got.header("Content-Disposition")).isNull();
            assertThat(got.header("Content-Security-Policy")).isEqualTo(UserContent.CONTENT_SECURITY_POLICY);
            assertThat(got.header("X-Content-Type-Options")).isEqualTo("nosniff");
        });
    }

    private void dropChunk(FileMeta file, int index) {
        long handle = file.chunks().get(index).handle().value();
        gateway.cluster.chunkservers.forEach(cs -> cs.chunks.remove(handle));
    }

    private long readsByChunkservers() {
        return gateway.cluster.chunkservers.stream().mapToLong(cs -> cs.reads.size()).sum();
    }

}
