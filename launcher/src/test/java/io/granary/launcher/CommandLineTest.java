package io.granary.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.granary.gateway.HttpLimits;
import io.granary.gateway.http.CorsSettings;
import io.granary.launcher.local.LocalSettings;
import io.granary.master.MasterConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The command line refuses nonsense before starting anything, with one clear line and exit code 2. */
class CommandLineTest {
    @TempDir
    Path dir;

    record Run(int exitCode, String out, String err) {
    }

    Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cli = Granary.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @ParameterizedTest(name = "--chunk-size {0}")
    @CsvSource(delimiter = '|', value = {
        "100KiB | chunk size 100KiB is not a multiple of 64KiB",
        "0      | chunk size 0B is too small: at least 64KiB",
        "2GiB   | chunk size 2GiB is too large: at most 1GiB",
        "banana | 'banana' is not a size",
        "-5MiB  | '-5MiB' is not a size"})
    void aNonsensicalChunkSizeStopsLocalModeAtStartUp(String size, String message) {
        Path data = dir.resolve("data");

        Run run = run("local", "--data", data.toString(), "--port", "0", "--chunk-size", size);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains(message);
        assertThat(data).as("nothing was started").doesNotExist();
    }

    @Test
    void localModeRefusesMoreReplicasThanChunkServers() {
        Run run = run("local", "--data", dir.resolve("data").toString(), "--replication", "4");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("granary local: cannot start: replication 4 needs at least 4 chunkservers");
    }

    @Test
    void localModeRefusesToWaitForReplicasOfItsEmbeddedRedisBeforeStartingAnything() {
        Path data = dir.resolve("data");

        Run run = run("local", "--data", data.toString(), "--port", "0", "--redis-wait-replicas", "1");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--redis-wait-replicas 1 needs --redis: the embedded Redis has no replica");
        assertThat(data).as("nothing was started").doesNotExist();
    }

    @Test
    void localModeHandsTheReplicaWaitToItsMasterWithTheMastersDefaults() {
        LocalSettings defaults = localSettings();
        assertThat(defaults.redisWaitReplicas()).isEqualTo(MasterConfig.DEFAULT_REDIS_WAIT_REPLICAS);
        assertThat(defaults.redisWaitTimeout()).isEqualTo(MasterConfig.DEFAULT_REDIS_WAIT_TIMEOUT);

        LocalSettings waiting = localSettings("--redis", "redis://:password@127.0.0.1:6380",
                "--redis-wait-replicas", "2", "--redis-wait-timeout", "500ms");

        assertThat(waiting.redisWaitReplicas()).isEqualTo(2);
        assertThat(waiting.redisWaitTimeout()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void localModeHandsTheAuditRetentionToItsMasterWithTheMastersDefaults() {
        LocalSettings defaults = localSettings();
        assertThat(defaults.auditMaxEntries()).isEqualTo(MasterConfig.DEFAULT_AUDIT_MAX_ENTRIES);
        assertThat(defaults.auditMaxAge()).isEqualTo(MasterConfig.DEFAULT_AUDIT_MAX_AGE);

        LocalSettings keeping = localSettings("--audit-max-entries", "500", "--audit-max-age", "7d");

        assertThat(keeping.auditMaxEntries()).isEqualTo(500);
        assertThat(keeping.auditMaxAge()).isEqualTo(Duration.ofDays(7));
        assertThatThrownBy(() -> localSettings("--audit-max-entries", "0"))
                .hasMessageContaining("the audit log must keep at least 1 entry, not 0");
    }

    @Test
    void localModeKeepsCorsOffUnlessOriginsAreGivenAndThenHandsThemToItsGateway() {
        assertThat(localSettings().cors()).isEqualTo(CorsSettings.OFF);

        LocalSettings allowing = localSettings("--cors-origins", "https://app.example.com,http://localhost:5173",
                "--cors-max-age", "1m");

        assertThat(allowing.cors().allowedOrigins()).containsExactly("https://app.example.com", "http://localhost:5173");
        assertThat(allowing.cors().maxAge()).isEqualTo(Duration.ofMinutes(1));
        assertThat(allowing.cors().allowedMethods()).isEqualTo(CorsSettings.OFF.allowedMethods());
    }

    @Test
    void theMasterRefusesADeadAfterShorterThanItsHeartbeat() {
        Run run = run("master", "--heartbeat-interval", "3s", "--dead-after", "2s");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("dead-after PT2S must be longer than the heartbeat interval PT3S");
    }

    @Test
    void aChunkServerRefusesAMasterAddressWithoutAPort() {
        Run run = run("chunkserver", "--master", "localhost", "--data", dir.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("master address must be host:port");
    }

    @ParameterizedTest
    @ValueSource(strings = {"chunkserver", "gateway"})
    void aRoleRefusesAMalformedListOfMasters(String role) {
        Run run = run(roleArgs(role, "--master", "m1:7070,,m2:7070", "--cluster-secret", "0123456789abcdef0123"));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("empty item in the master address list 'm1:7070,,m2:7070'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"master", "chunkserver", "gateway"})
    void everyRoleRefusesToStartWithoutAClusterSecret(String role) {
        Run run = run(roleArgs(role));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().strip()).doesNotContain("\n")
                .startsWith("granary " + role + ": cannot start: a cluster secret is required")
                .contains("GRANARY_CLUSTER_SECRET");
    }

    @ParameterizedTest
    @ValueSource(strings = {"master", "chunkserver", "gateway"})
    void everyRoleRefusesAShortClusterSecretWithoutShowingIt(String role) {
        Run run = run(roleArgs(role, "--cluster-secret", "hunter2"));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("the cluster secret is too short").doesNotContain("hunter2");
    }

    private String[] roleArgs(String role, String... more) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(role, "--port", "0"));
        if (role.equals("chunkserver")) {
            args.addAll(java.util.List.of("--data", dir.toString()));
        }
        args.addAll(java.util.List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void tlsFlagsGoTogether() {
        Run run = run("master", "--port", "0", "--cluster-secret", "0123456789abcdef0123",
                "--tls-cert", dir.resolve("missing.pem").toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--tls-cert and --tls-key go together");
    }

    @ParameterizedTest
    @ValueSource(strings = {"master", "local"})
    void theUploadTimeoutFlagSetsHowLongAnIdleUploadLivesAndDefaultsToTheMastersConstant(String role) {
        assertThat(uploadTimeout(role)).isEqualTo(MasterConfig.DEFAULT_UPLOAD_TIMEOUT);
        assertThat(uploadTimeout(role, "--upload-timeout", "90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(uploadTimeout(role, "--upload-timeout", "5m")).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void theMultipartTimeoutFlagSetsHowLongAnIdleMultipartUploadLivesAndDefaultsToAWeek() {
        assertThat(masterConfig().multipartTimeout()).isEqualTo(MasterConfig.DEFAULT_MULTIPART_TIMEOUT)
                .isEqualTo(Duration.ofDays(7));
        assertThat(masterConfig("--multipart-timeout", "48h").multipartTimeout()).isEqualTo(Duration.ofHours(48));
    }

    @Test
    void theMasterRefusesAZeroUploadTimeout() {
        Run run = run("master", "--upload-timeout", "0s", "--cluster-secret", "a-secret-of-enough-length");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("upload timeout must be a positive duration");
    }

    @ParameterizedTest(name = "--idle-timeout {0}")
    @CsvSource({"45s, PT45S", "500ms, PT0.5S", "2m, PT2M", "30, PT30S", "' 90 ', PT1M30S"})
    void theIdleTimeoutTakesADurationLikeEveryDurationFlagAndStillABareNumberOfSeconds(String value,
                                                                                     Duration expected) {
        assertThat(localLimits("--idle-timeout", value).idleTimeout()).isEqualTo(expected);
        assertThat(gateway("--idle-timeout", value).access.toLimits().idleTimeout()).isEqualTo(expected);
    }

    @Test
    void theIdleTimeoutDefaultsToTheGatewaysConstantAndRefusesNonsense() {
        assertThat(gateway().access.toLimits().idleTimeout()).isEqualTo(HttpLimits.DEFAULT_IDLE_TIMEOUT);

        Run run = run("gateway", "--idle-timeout", "soon");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("'soon' is not a duration");
    }

    private HttpLimits localLimits(String... flags) {
        List<String> args = new ArrayList<>(List.of("local", "--data", dir.toString()));
        args.addAll(List.of(flags));
        LocalCommand local = (LocalCommand) Granary.commandLine().parseArgs(args.toArray(String[]::new))
                .subcommand().commandSpec().userObject();
        return local.access.toLimits();
    }

    private GatewayCommand gateway(String... flags) {
        List<String> args = new ArrayList<>(List.of("gateway"));
        args.addAll(List.of(flags));
        return (GatewayCommand) Granary.commandLine().parseArgs(args.toArray(String[]::new))
                .subcommand().commandSpec().userObject();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "--s3-access-key=LOCALACCESSKEY0001                          | go together",
        "--s3-secret-key=local-secret-key-0123456789                 | go together",
        "--s3-access-key=SHORT --s3-secret-key=local-secret-0123456  | 16 to 128 characters of A-Z, a-z and 0-9"})
    void localModeRefusesAnS3KeyThatIsHalfGivenOrMalformedBeforeStartingAnything(String flags, String message) {
        Path data = dir.resolve("data");
        List<String> args = new ArrayList<>(List.of("local", "--data", data.toString(), "--port", "0"));
        args.addAll(List.of(flags.split(" ")));

        Run run = run(args.toArray(String[]::new));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains(message).doesNotContain("local-secret");
        assertThat(data).as("nothing was started").doesNotExist();
    }

    @Test
    void localModeTakesTheS3KeyFromItsFlagsOrLeavesItToBeGenerated() {
        LocalSettings chosen = localSettings("--s3-access-key", "LOCALACCESSKEY0001",
                "--s3-secret-key", "local-secret-key-0123456789");

        assertThat(chosen.s3AccessKey()).isEqualTo("LOCALACCESSKEY0001");
        assertThat(chosen.s3SecretKey()).isEqualTo("local-secret-key-0123456789");
        assertThat(chosen.toString()).doesNotContain("local-secret-key-0123456789");
        assertThat(localSettings().s3AccessKey()).as("generated by the master, not chosen here").isEmpty();
    }

    @Test
    void localModeListensOnLoopbackUnlessToldOtherwise() {
        assertThat(localSettings().bindAddress()).isEqualTo("127.0.0.1");
        assertThat(localSettings("--bind", "0.0.0.0").bindAddress()).isEqualTo("0.0.0.0");
    }

    private Duration uploadTimeout(String role, String... flags) {
        if (role.equals("local")) {
            return localSettings(flags).uploadTimeout();
        }
        return masterConfig(flags).uploadTimeout();
    }

    private MasterConfig masterConfig(String... flags) {
        List<String> args = new ArrayList<>(List.of("master"));
        args.addAll(List.of(flags));
        MasterCommand master = (MasterCommand) Granary.commandLine().parseArgs(args.toArray(String[]::new))
                .subcommand().commandSpec().userObject();
        return master.config();
    }

    private LocalSettings localSettings(String... flags) {
        List<String> args = new ArrayList<>(List.of("local", "--data", dir.toString()));
        args.addAll(List.of(flags));
        LocalCommand local = (LocalCommand) Granary.commandLine().parseArgs(args.toArray(String[]::new))
                .subcommand().commandSpec().userObject();
        return local.settings();
    }

    @Test
    void everyRoleDocumentsTheFlagsOfTheDesign() {
        assertThat(run("local", "--help").out()).contains("--data", "--port", "--chunkservers", "--chunk-size",
                "--replication", "--redis");
        assertThat(run("master", "--help").out()).contains("--port", "--redis", "--chunk-size", "--replication",
                "--heartbeat-interval", "--dead-after");
        assertThat(run("chunkserver", "--help").out()).contains("--master", "--port", "--data", "--id",
                "--advertise", "--capacity");
        assertThat(run("gateway", "--help").out()).contains("--master", "--port", "--http-tls-cert", "--http-tls-key");
        assertThat(run("chunkserver", "--help").out()).contains("--max-chunk-writes", "--write-buffer");
        assertThat(run("gateway", "--help").out()).contains("--max-uploads");
        for (String role : new String[] {"master", "chunkserver", "gateway"}) {
            assertThat(run(role, "--help").out()).contains("--cluster-secret", "--tls-cert", "--tls-key", "--tls-ca");
        }
    }
}
