package io.granary.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** An S3 secret key never reaches a log through a record's text. */
class S3CredentialTest {
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    @Test
    void theSecretKeyIsInNoToStringButTheAccessKeyIdAndTokenAre() {
        TokenMeta token = new TokenMeta("tok_0123456789abcdef", "ci", "writer", Instant.EPOCH, Optional.empty());
        S3KeyMeta meta = new S3KeyMeta("GKEXAMPLE000000000001", token.id(), Instant.EPOCH);

        String credential = new S3Credential(meta.accessKeyId(), SECRET, token).toString();
        String created = new NewS3Key(meta, SECRET).toString();

        assertThat(credential).doesNotContain(SECRET).contains(meta.accessKeyId(), token.id());
        assertThat(created).doesNotContain(SECRET).contains(meta.accessKeyId(), token.id());
    }
}
