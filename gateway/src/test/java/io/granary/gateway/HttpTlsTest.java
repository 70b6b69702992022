package io.granary.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an operator sees when the HTTPS files are wrong: the file and the fix, at start-up. */
class HttpTlsTest {
    @TempDir
    Path dir;

    @Test
    void noFlagsMeansPlainHttp() {
        assertThat(HttpTls.fromFlags(null, null)).isNull();
    }

    @Test
    void certificateAndKeyGoTogether() throws IOException {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "x");
        assertThatThrownBy(() -> HttpTls.fromFlags(cert, null)).hasMessageContaining("go together");
    }

    @Test
    void aMissingFileIsNamed() throws IOException {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "x");
        Path key = dir.resolve("absent.key");
        assertThatThrownBy(() -> new HttpTls(cert, key)).hasMessageContaining(key + " is not a readable file");
    }

    @Test
    void aPkcs1KeySaysHowToConvertIt() throws IOException {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "x");
        Path key = Files.writeString(dir.resolve("old.key"),
                "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        assertThatThrownBy(() -> new HttpTls(cert, key)).hasMessageContaining("PKCS#8")
                .hasMessageContaining("openssl pkcs8 -topk8");
    }

    @Test
    void aFileWithoutPemIsNamed() throws IOException {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "x");
        Path key = Files.writeString(dir.resolve("garbage.key"), "not pem at all");
        assertThatThrownBy(() -> new HttpTls(cert, key)).hasMessageContaining(key + " holds no PEM block");
    }
}
