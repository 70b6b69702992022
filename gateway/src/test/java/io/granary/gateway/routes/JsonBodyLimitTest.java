package io.granary.gateway.routes;

import static org.assertj.core.api.Assertions.assertThat;

import io.granary.gateway.testing.GatewayFixture;
import io.granary.gateway.testing.RawHttp;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** JSON request bodies: refused with 413 beyond {@link GatewayJson#MAX_BODY_BYTES}, read or announced. */
class JsonBodyLimitTest {
    @RegisterExtension
    final GatewayFixture gateway = new GatewayFixture();

    @Test
    void aChunkedJsonBodyLargerThanTheLimitIs413AndTheGatewayStaysUp() {
        gateway.test((server, http) -> {
            byte[] json = ("{\"path\":\"a.bin\",\"method\":\"GET\",\"pad\":\"" + "x".repeat(2 * 1024 * 1024)
                    + "\"}").getBytes(StandardCharsets.UTF_8);
            RawHttp.Response answer = RawHttp.sendWhileStreaming(server.port(), "POST", "/api/v1/presign",
                    GatewayFixture.AUTH + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n",
                    chunked(json, 8192));

            assertThat(answer.status()).as(answer.text()).isEqualTo(413);
            assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
            assertThat(answer.text()).contains("urn:granary:problem:content-too-large")
                    .contains(String.valueOf(GatewayJson.MAX_BODY_BYTES));
            assertThat(http.get("/health/live").code()).isEqualTo(200);
        });
    }

    @Test
    void aJsonBodyAnnouncedLargerThanTheLimitIs413BeforeItIsRead() {
        gateway.test((server, http) -> {
            RawHttp.Response answer = RawHttp.sendWhileStreaming(server.port(), "POST", "/api/v1/rename",
                    GatewayFixture.AUTH + "Content-Type: application/json\r\nContent-Length: 1000000000\r\n",
                    new ByteArrayInputStream(new byte[64 * 1024]));

            assertThat(answer.status()).as(answer.text()).isEqualTo(413);
        });
    }

    /** {@code content} as a chunked transfer coding of {@code size}-byte chunks. */
    private static InputStream chunked(byte[] content, int size) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < content.length; i += size) {
            int n = Math.min(size, content.length - i);
            out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(content, i, n);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return new ByteArrayInputStream(out.toByteArray());
    }
}
