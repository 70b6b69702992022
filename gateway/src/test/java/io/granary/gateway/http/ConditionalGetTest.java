package io.granary.gateway.http;

import static io.granary.gateway.testing.GatewayFixture.CHUNK;
import static io.granary.gateway.testing.GatewayFixture.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.granary.common.meta.FileMeta;
import io.granary.gateway.testing.GatewayFixture;
import java.util.List;
import okhttp3.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Conditional GETs in the order of RFC 9110 §13.2.2: If-Match, else If-Unmodified-Since (412 when
 * they fail); then If-None-Match, else If-Modified-Since (304 when nothing changed); then If-Range.
 * In the table, ETAG and OTHER stand for the current and a foreign entity tag, PAST and FUTURE for
 * dates before and after the file's Last-Modified, NOW for that date itself.
 */
class ConditionalGetTest {
    @RegisterExtension
    final GatewayFixture gateway = new GatewayFixture();
    private final byte[] content = randomBytes(CHUNK + 10);
    private FileMeta file;

    @BeforeEach
    void store() {
        gateway.cluster.master.putFile("/f", content, CHUNK,
                List.of(gateway.cluster.chunkserver(1), gateway.cluster.chunkserver(2)));
        file = gateway.client.stat("/f");
    }

    @ParameterizedTest(name = "{0}: {1} → {2}")
    @CsvSource(delimiter = '|', value = {
        "If-Match            | ETAG               | 200",
        "If-Match            | *                  | 200",
        "If-Match            | OTHER, ETAG        | 200",
        "If-Match            | OTHER              | 412",
        "If-Match            | W/ETAG             | 412",
        "If-Unmodified-Since | NOW                | 200",
        "If-Unmodified-Since | FUTURE             | 200",
        "If-Unmodified-Since | PAST               | 412",
        "If-Unmodified-Since | not a date         | 200",
        "If-None-Match       | ETAG               | 304",
        "If-None-Match       | W/ETAG             | 304",
        "If-None-Match       | OTHER              | 200",
        "If-Modified-Since   | NOW                | 304",
        "If-Modified-Since   | FUTURE             | 304",
        "If-Modified-Since   | PAST               | 200",
        "If-Modified-Since   | not a date         | 200"})
    void oneConditionalHeader(String header, String value, int status) {
        gateway.test((server, http) -> {
            Response response = http.get("/api/v1/files/f", b -> b.header(header, resolve(value)));

            assertThat(response.code()).isEqualTo(status);
            if (status == 412) {
                assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
                assertThat(response.body().string()).contains("urn:granary:problem:precondition-failed");
            } else {
                assertThat(response.header("ETag")).isEqualTo(etag());
            }
        });
    }

    @ParameterizedTest(name = "{0}: {1} and {2}: {3} → {4}")
    @CsvSource(delimiter = '|', value = {
        // If-Match decides; If-Unmodified-Since is then ignored.
        "If-Match      | ETAG  | If-Unmodified-Since | PAST   | 200",
        "If-Match      | OTHER | If-Unmodified-Since | FUTURE | 412",
        // If-None-Match decides; If-Modified-Since is then ignored.
        "If-None-Match | OTHER | If-Modified-Since   | FUTURE | 200",
        "If-None-Match | ETAG  | If-Modified-Since   | PAST   | 304",
        // A failed precondition wins over a not-modified.
        "If-Match      | OTHER | If-None-Match       | ETAG   | 412"})
    void twoConditionalHeaders(String first, String firstValue, String second, String secondValue, int status) {
        gateway.test((server, http) -> {
            Response response = http.get("/api/v1/files/f",
                    b -> b.header(first, resolve(firstValue)).header(second, resolve(secondValue)));

            assertThat(response.code()).isEqualTo(status);
        });
    }

    @Test
    void ifRangeWithADateOrATagGivesThePartOnlyWhileCurrent() {
        gateway.test((server, http) -> {
            assertThat(rangeWithIfRange(http, resolve("NOW")).code()).isEqualTo(206);
            assertThat(rangeWithIfRange(http, etag()).code()).isEqualTo(206);
            assertThat(rangeWithIfRange(http, resolve("PAST")).code()).isEqualTo(200);
            assertThat(rangeWithIfRange(http, resolve("W/ETAG")).code()).as("weak tags never match If-Range")
                    .isEqualTo(200);
        });
    }

    private Response rangeWithIfRange(io.javalin.testtools.HttpClient http, String ifRange) {
        return http.get("/api/v1/files/f", b -> b.header("Range", "bytes=0-9").header("If-Range", ifRange));
    }

    private String etag() {
        return "\"" + file.sha256() + "\"";
    }

    private String resolve(String value) {
        return switch (value) {
            case "ETAG" -> etag();
            case "W/ETAG" -> "W/" + etag();
            case "OTHER" -> "\"0000\"";
            case "OTHER, ETAG" -> "\"0000\", " + etag();
            case "NOW" -> Conditionals.lastModified(file);
            case "PAST" -> Conditionals.HTTP_DATE.format(file.modified().minusSeconds(3600));
            case "FUTURE" -> Conditionals.HTTP_DATE.format(file.modified().plusSeconds(3600));
            default -> value;
        };
    }
}
