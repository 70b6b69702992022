package io.granary.gateway;

import static io.granary.gateway.testing.GatewayFixture.bytes;
import static io.granary.gateway.testing.GatewayFixture.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.granary.gateway.auth.AccessConfig;
import io.granary.gateway.testing.GatewayFixture;
import io.granary.gateway.testing.RawHttp;
import io.javalin.Javalin;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Header size, form fields and idle connections: limits that must never stop a steady upload. */
class HttpLimitsTest {
    private static final Duration IDLE = Duration.ofMillis(700);
    @RegisterExtension
    final GatewayFixture gateway = new GatewayFixture();
    private final Javalin app = GatewayServer.createApp(gateway.client, AccessConfig.defaults(),
            HttpLimits.defaults().withIdleTimeout(IDLE).withFormLimits(4, 1024), GatewayConfig.DEFAULT_MAX_UPLOADS);

    @Test
    void oversizedHeadersAre431AsAProblem() {
        gateway.test(app, (server, http) -> {
            RawHttp.Response big = RawHttp.send(server.port(), "GET", "/api/v1/files/a.bin",
                    "X-Padding: " + "a".repeat(20 * 1024) + "\r\n");
            assertThat(big.status()).isEqualTo(431);
            assertThat(big.header("Content-Type")).startsWith("application/problem+json");
            assertThat(big.text()).contains("urn:granary:problem:request-header-fields-too-large");
        });
    }

    @Test
    void formsWithTooManyOrTooLargeFieldsAreRefusedAndStoreNothing() {
        gateway.test(app, (server, http) -> {
            MultipartBody.Builder many = new MultipartBody.Builder().setType(MultipartBody.FORM);
            for (int i = 0; i < 10; i++) {
                many.addFormDataPart("f" + i, "x");
            }
            many.addFormDataPart("file", "a.bin", RequestBody.create(new byte[10], MediaType.get("application/octet-stream")));
            Response tooMany = http.request("/api/v1/files/many.bin", b -> b.post(many.build()));
            assertThat(tooMany.code()).isEqualTo(400);
            assertThat(tooMany.body().string()).contains("more than 4 fields");

            MultipartBody large = new MultipartBody.Builder().setType(MultipartBody.FORM)
                    .addFormDataPart("note", "n".repeat(5000))
                    .addFormDataPart("file", "a.bin", RequestBody.create(new byte[10], MediaType.get("application/octet-stream")))
                    .build();
            Response tooLarge = http.request("/api/v1/files/large.bin", b -> b.post(large));
            assertThat(tooLarge.code()).isEqualTo(400);
            assertThat(tooLarge.body().string()).contains("larger than 1024 bytes");

            assertThat(http.get("/api/v1/files/many.bin").code()).isEqualTo(404);
            assertThat(http.get("/api/v1/files/large.bin").code()).isEqualTo(404);
        });
    }

    @Test
    void theFileFieldItselfIsNotCappedByTheFieldLimit() {
        gateway.test(app, (server, http) -> {
            byte[] content = randomBytes(200 * 1024);
            MultipartBody form = new MultipartBody.Builder().setType(MultipartBody.FORM)
                    .addFormDataPart("file", "a.bin", RequestBody.create(content, MediaType.get("application/octet-stream")))
                    .build();
            assertThat(http.request("/api/v1/files/big.bin", b -> b.post(form)).code()).isEqualTo(201);
            assertThat(bytes(http.get("/api/v1/files/big.bin"))).isEqualTo(content);
        });
    }

    @Test
    void aSlowButSteadyUploadOutlastsTheIdleTimeoutManyTimesOver() {
        gateway.test(app, (server, http) -> {
            byte[] content = randomBytes(16 * 1024);
            int pieces = 16;
            int piece = content.length / pieces;
            try (Socket socket = new Socket("localhost", server.port())) {
                OutputStream out = socket.getOutputStream();
                out.write(("PUT /api/v1/files/slow.bin HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                        + "Content-Length: " + content.length + "\r\n" + GatewayFixture.AUTH + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                // The pauses are the slow client itself, not a wait for a condition: each is a third of
                // the idle timeout, and all of them together are many times it.
                for (int i = 0; i < pieces; i++) {
                    out.write(content, i * piece, piece);
                    out.flush();
                    Thread.sleep(IDLE.toMillis() / 3);
                }
                String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                assertThat(answer).startsWith("HTTP/1.1 201");
            }
            assertThat(bytes(http.get("/api/v1/files/slow.bin"))).isEqualTo(content);
        });
    }

    @Test
    void aStalledUploadIsCutAndLeavesNoFile() {
        gateway.test(app, (server, http) -> {
            try (Socket socket = new Socket("localhost", server.port())) {
                // a guard against a hang only; the server closes far sooner
                socket.setSoTimeout(30_000);
                OutputStream out = socket.getOutputStream();
                out.write(("PUT /api/v1/files/stalled.bin HTTP/1.1\r\nHost: localhost\r\n"
                        + "Content-Length: 100000\r\n" + GatewayFixture.AUTH + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(new byte[100]);
                out.flush();
                InputStream in = socket.getInputStream();
                // the server gives up on the stalled body: an error answer or a closed connection
                byte[] answer = in.readAllBytes();
                String text = new String(answer, StandardCharsets.ISO_8859_1);
                assertThat(text.isEmpty() || text.startsWith("HTTP/1.1 400") && text.contains("Idle timeout"))
                        .as("answer: %s", text).isTrue();
            } catch (java.net.SocketTimeoutException e) {
                throw new AssertionError("the server never cut the stalled upload", e);
            } catch (IOException e) {
                // a reset connection is the server cutting it too
            }
            assertThat(http.get("/api/v1/files/stalled.bin").code()).isEqualTo(404);
        });
    }
}
