package io.granary.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.granary.client.S3Credential;
import io.granary.client.S3KeyMeta;
import io.granary.client.TokenMeta;
import io.granary.launcher.Granary;
import io.granary.launcher.cli.ExitCodes;
import io.granary.master.auth.Tokens;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * S3 keys end to end on a real cluster: {@code granary s3-key} through the gateway to the master and
 * Redis, checked through the Java client's {@code s3Keys()}. Every test works with tokens of its own.
 */
class S3KeyCliIT {
    private static final Pattern ACCESS_KEY_LINE = Pattern.compile("access key id\\s+(\\S+)");
    private static final Pattern SECRET_KEY_LINE = Pattern.compile("secret key\\s+(\\S+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final MiniGranary cluster = MiniGranary.builder().chunkservers(1).replication(1).build();

    record Run(int exitCode, String out, String err) {
    }

    /** Runs {@code granary s3-key <command> <args>} with {@code token} against the cluster's gateway. */
    static synchronized Run s3Key(String token, String command, String... args) {
        List<String> all = new ArrayList<>(List.of("s3-key", command, "--gateway=" + cluster.gatewayUrl(),
                "--token=" + token));
        all.addAll(List.of(args));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        PrintStream saved = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            var cli = Granary.commandLine();
            cli.setErr(new PrintWriter(err, true));
            int code = cli.execute(all.toArray(String[]::new));
            System.out.flush();
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(saved);
        }
    }

    @Test
    void theClusterStartsWithAnS3KeyActingAsItsAdmin() {
        S3Credential credential = cluster.client().s3Keys().resolve(cluster.s3AccessKey()).orElseThrow();

        assertThat(credential.secretKey()).isEqualTo(cluster.s3SecretKey());
        assertThat(credential.token().id()).isEqualTo(principal(cluster.adminToken()).id());
    }

    @Test
    void aWriterCreatesListsAndRevokesItsOwnKeyAndTheSecretIsPrintedOnlyOnce() {
        String writer = cluster.client().createToken("cli-writer", "writer", Duration.ZERO).secret();

        Run created = s3Key(writer, "create");
        assertThat(created.exitCode()).as(created.err()).isZero();
        String accessKeyId = group(ACCESS_KEY_LINE, created.out());
        String secretKey = group(SECRET_KEY_LINE, created.out());
        assertThat(created.err()).contains("shows it only this once");
        S3Credential credential = cluster.client().s3Keys().resolve(accessKeyId).orElseThrow();
        assertThat(credential.secretKey()).isEqualTo(secretKey);
        assertThat(credential.token().id()).isEqualTo(principal(writer).id());

        Run listed = s3Key(writer, "list");
        assertThat(listed.exitCode()).as(listed.err()).isZero();
        assertThat(listed.out()).contains(accessKeyId).doesNotContain(secretKey);

        Run revoked = s3Key(writer, "revoke", accessKeyId);
        assertThat(revoked.exitCode()).as(revoked.err()).isZero();
        assertThat(cluster.client().s3Keys().resolve(accessKeyId)).isEmpty();
        Run again = s3Key(writer, "revoke", accessKeyId);
        assertThat(again.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(again.err()).startsWith("granary s3-key revoke: ").contains(accessKeyId);
    }

    @Test
    void anAdminCreatesAndListsTheKeysOfAnotherTokenWhichAReaderMayNot() throws IOException {
        String writerId = cluster.client().createToken("cli-other", "writer", Duration.ZERO).meta().id();
        String reader = cluster.client().createToken("cli-reader", "reader", Duration.ZERO).secret();

        Run created = s3Key(cluster.adminToken(), "create", "--for", writerId, "--json");
        Run listed = s3Key(cluster.adminToken(), "list", "--for", writerId, "--json");
        Run refused = s3Key(reader, "create", "--for", writerId);

        assertThat(created.exitCode()).as(created.err()).isZero();
        JsonNode key = JSON.readTree(created.out());
        assertThat(key.get("token").asText()).isEqualTo(writerId);
        assertThat(JSON.readTree(listed.out()).get("keys")).extracting(k -> k.get("accessKeyId").asText())
                .containsExactly(key.get("accessKeyId").asText());
        assertThat(refused.exitCode()).isEqualTo(ExitCodes.AUTH);
        assertThat(refused.err()).contains("only an admin");
        assertThat(cluster.client().s3Keys().list(writerId)).hasSize(1);
    }

    @Test
    void revokingTheTokenEndsItsKeysAtTheirNextResolution() {
        var token = cluster.client().createToken("cli-short-lived", "writer", Duration.ZERO);
        String accessKeyId = group(ACCESS_KEY_LINE, s3Key(token.secret(), "create").out());
        assertThat(cluster.client().s3Keys().resolve(accessKeyId)).isPresent();

        cluster.client().revokeToken(token.meta().id());

        assertThat(cluster.client().s3Keys().resolve(accessKeyId)).isEmpty();
        assertThat(cluster.client().s3Keys().list("")).extracting(S3KeyMeta::accessKeyId).doesNotContain(accessKeyId);
    }

    @Test
    void withoutASubcommandItSaysWhatToDoWithTheUsageExitCode() {
        StringWriter err = new StringWriter();
        var cli = Granary.commandLine();
        cli.setErr(new PrintWriter(err, true));

        int code = cli.execute("s3-key");

        assertThat(code).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("create, list or revoke");
    }

    private static TokenMeta principal(String token) {
        return cluster.client().resolveToken(Tokens.sha256(token)).orElseThrow();
    }

    private static String group(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        assertThat(m.find()).as(pattern + " in " + text).isTrue();
        return m.group(1);
    }
}
