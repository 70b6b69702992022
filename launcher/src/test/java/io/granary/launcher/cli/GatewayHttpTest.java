package io.granary.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The one table from HTTP status to exit code, and how Granary paths become URLs. */
class GatewayHttpTest {

    @ParameterizedTest(name = "HTTP {0} -> exit {1}")
    @CsvSource({"400, 1", "416, 1", "404, 2", "410, 2", "409, 3", "412, 3", "401, 5", "403, 5", "500, 4", "503, 4",
        "504, 4"})
    void everyStatusHasItsDocumentedExitCode(int status, int exitCode) {
        assertThat(GatewayHttp.exitCodeFor(status)).isEqualTo(exitCode);
    }

    @Test
    void pathSegmentsArePercentEncodedAndTheSlashesKept() {
        GatewayHttp http = new GatewayHttp("http://gw:8080/", null);

        assertThat(http.uri("files", "/videos/my movie #1.mp4").toString())
                .isEqualTo("http://gw:8080/api/v1/files/videos/my%20movie%20%231.mp4");
        assertThat(http.uri("files", "é/ü?.txt").getRawPath()).isEqualTo("/api/v1/files/%C3%A9/%C3%BC%3F.txt");
        assertThat(http.uri("stat", "").toString()).isEqualTo("http://gw:8080/api/v1/stat");
    }

    @Test
    void aGatewayThatIsNotAnHttpUrlIsAUsageError() {
        assertThatThrownBy(() -> new GatewayHttp("127.0.0.1:8080", null))
                .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.USAGE));
    }
}
