package io.granary.gateway.routes;

import static io.granary.gateway.testing.GatewayFixture.CHUNK;
import static io.granary.gateway.testing.GatewayFixture.bytes;
import static io.granary.gateway.testing.GatewayFixture.json;
import static io.granary.gateway.testing.GatewayFixture.put;
import static io.granary.gateway.testing.GatewayFixture.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.granary.gateway.testing.GatewayFixture;
import io.granary.gateway.testing.RawHttp;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** POST forms, the upload digest headers, guessed content types and attachment downloads. */
class FormAndHeadersTest {
    private static final int SIZE = 2 * CHUNK + 123;
    @RegisterExtension
    final GatewayFixture gateway = new GatewayFixture();
    private final byte[] content = randomBytes(SIZE);

    @Test
    void aFormsFileFieldIsStoredWithItsTypeWhateverFieldsComeFirst() {
        gateway.test((server, http) -> {
            MultipartBody form = new MultipartBody.Builder().setType(MultipartBody.FORM)
                    .addFormDataPart("note", "holiday")
                    .addFormDataPart("file", "clip.webm", RequestBody.create(content, MediaType.get("video/webm")))
                    .build();

            Response created = http.request("/api/v1/files/clips/a.webm", b -> b.post(form));

            assertThat(created.code()).isEqualTo(201);
            assertThat(json(created).get("contentType").asText()).isEqualTo("video/webm");
            Response got = http.get("/api/v1/files/clips/a.webm");
            assertThat(got.header("Content-Type")).isEqualTo("video/webm");
            assertThat(bytes(got)).isEqualTo(content);
        });
    }

    @Test
    void formsThatAreNotFormsOrHaveNoFileAreRefusedAndStoreNothing() {
        gateway.test((server, http) -> {
            Response raw = http.request("/api/v1/files/x.bin", b -> b.post(RequestBody.create(content,
                    MediaType.get("application/octet-stream"))));
            assertThat(raw.code()).isEqualTo(400);
            assertThat(raw.body().string()).contains("multipart/form-data").contains("PUT");

            MultipartBody noFile = new MultipartBody.Builder().setType(MultipartBody.FORM)
                    .addFormDataPart("other", "x").build();
            Response missing = http.request("/api/v1/files/x.bin", b -> b.post(noFile));
            assertThat(missing.code()).isEqualTo(400);
            assertThat(missing.body().string()).contains("the form has no 'file' field");

            assertThat(gateway.cluster.master.commits).isEmpty();
        });
    }

    @Test
    void aTruncatedFormIsA400AndLeavesNoFile() {
        gateway.test((server, http) -> {
            String boundary = "granary-boundary";
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; "
                    + "filename=\"a.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            body.writeBytes(content); // ...and the closing boundary never comes

            RawHttp.Response response = RawHttp.sendHalfClosed(server.port(), "POST", "/api/v1/files/cut.bin",
                    GatewayFixture.AUTH + "Content-Type: multipart/form-data; boundary=" + boundary + "\r\nContent-Length: "
                            + (body.size() + 1000) + "\r\n", new ByteArrayInputStream(body.toByteArray()));

            assertThat(response.status()).isEqualTo(400);
            assertThat(response.header("Content-Type")).startsWith("application/problem+json");
            assertThat(gateway.cluster.master.commits).isEmpty();
            assertThat(gateway.cluster.master.abandoned).containsExactlyElementsOf(gateway.cluster.master.started);
            assertThat(http.get("/api/v1/stat/cut.bin").code()).isEqualTo(404);
        });
    }

    @Test
    void uploadDigestHeadersAreCheckedBeforeTheCommit() throws Exception {
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        String md5 = Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(content));
        String otherSha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(new byte[1]));
        gateway.test((server, http) -> {
            Response wrong = http.request("/api/v1/files/d.bin", b -> b.header(FileRoutes.SHA256_HEADER, otherSha256)
                    .put(RequestBody.create(content, null)));
            assertThat(wrong.code()).isEqualTo(400);
            assertThat(wrong.body().string()).contains("not the expected " + otherSha256);
            Response badMd5 = http.request("/api/v1/files/d.bin", b -> b.header(FileRoutes.MD5_HEADER, "bm9wZQ==")
                    .put(RequestBody.create(content, null)));
            assertThat(badMd5.code()).isEqualTo(400);
            assertThat(badMd5.body().string()).contains(FileRoutes.MD5_HEADER);
            assertThat(gateway.cluster.master.commits).isEmpty();
            assertThat(http.get("/api/v1/stat/d.bin").code()).isEqualTo(404);

            Response right = http.request("/api/v1/files/d.bin", b -> b.header(FileRoutes.SHA256_HEADER, sha256)
                    .header(FileRoutes.MD5_HEADER, md5).put(RequestBody.create(content, null)));
            assertThat(right.code()).isEqualTo(201);
            assertThat(json(right).get("sha256").asText()).isEqualTo(sha256);
        });
    }

    @Test
    void aTypeIsGuessedFromTheNameAndDownloadsCanBeAttachments() {
        gateway.test((server, http) -> {
            assertThat(json(put(http, "/api/v1/files/films/r%C3%A9sum%C3%A9%201.mp4", content, null))
                    .get("contentType").asText()).isEqualTo("video/mp4");

            Response inline = http.get("/api/v1/files/films/r%C3%A9sum%C3%A9%201.mp4");
            assertThat(inline.header("Content-Type")).isEqualTo("video/mp4");
            assertThat(inline.header("Content-Disposition")).isNull();
            Response attachment = http.get("/api/v1/files/films/r%C3%A9sum%C3%A9%201.mp4?download=1");
            assertThat(attachment.header("Content-Disposition"))
                    .isEqualTo("attachment; filename=\"r_sum_ 1.mp4\"; filename*=UTF-8''r%C3%A9sum%C3%A9%201.mp4");
            assertThat(bytes(attachment)).isEqualTo(content);
        });
    }
}
