package io.granary.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.granary.common.Actor;
import io.granary.common.GranaryPath;
import io.granary.master.auth.TokenRecord;
import io.granary.master.store.RedisMetadataStore;
import io.granary.master.testing.RawRedis;
import io.granary.master.testing.RedisFixture;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code granary admin backup|restore} end to end through picocli, on a real Redis. */
class AdminCommandIT {
    @TempDir
    static Path redisDir;
    @TempDir
    Path dir;

    static RedisFixture redis;

    record Run(int exitCode, String out, String err) {
    }

    @BeforeAll
    static void startRedis() {
        redis = RedisFixture.start(redisDir);
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cli = Granary.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void aBackupRestoredUnderAnotherPrefixHoldsTheSameKeysAndBothCommandsSayWhatTheyDid() {
        try (RedisMetadataStore store = RedisMetadataStore.connect(redis.uri(), Duration.ofSeconds(2), "{cli1}");
             RawRedis raw = RawRedis.connect(redis.uri())) {
            store.initialize(1_000);
            store.makeDirectory(GranaryPath.of("photos/2024"), Actor.SYSTEM, 2_000);
            store.tokens().save("ab".repeat(32), new TokenRecord("tok_0123456789abcdef", "ci", "writer", 3_000, 0),
                    Actor.SYSTEM);
            Path file = dir.resolve("cli.backup");

            Run backup = run("admin", "backup", "--redis", redis.uri(), "--prefix", "{cli1}", file.toString());
            Run restore = run("admin", "restore", "--redis", redis.uri(), "--prefix", "{cli1-copy}", file.toString());

            assertThat(backup.exitCode()).as(backup.err()).isZero();
            assertThat(backup.out()).startsWith("backed up 12 keys {string=3, hash=7, zset=2} of {cli1} on redis://***@")
                    .contains("(schema 1) to " + file, "writes held for");
            assertThat(restore.exitCode()).as(restore.err()).isZero();
            assertThat(restore.out()).startsWith("restored 12 keys {string=3, hash=7, zset=2} (schema 1) from " + file
                    + " into {cli1-copy} on redis://***@");
            Map<String, RawRedis.Entry> original = raw.dump("{cli1}");
            assertThat(original.remove("audit")).as("the audit log, which backups leave out").isNotNull();
            Map<String, RawRedis.Entry> copy = raw.dump("{cli1-copy}");
            // a restore moves the handle counter on (MetadataBackupIT shows why)
            assertThat(Long.parseLong((String) copy.remove("counter:handle").value()))
                    .isGreaterThan(Long.parseLong((String) original.remove("counter:handle").value()));
            assertThat(copy).isEqualTo(original);
        }
    }

    @Test
    void aRefusedRestoreFailsWithOneLineAndExitCodeOne() {
        try (RedisMetadataStore store = RedisMetadataStore.connect(redis.uri(), Duration.ofSeconds(2), "{cli2}")) {
            store.initialize(1_000);
        }
        Path file = dir.resolve("cli2.backup");
        assertThat(run("admin", "backup", "--redis", redis.uri(), "--prefix", "{cli2}", file.toString()).exitCode())
                .isZero();

        Run restore = run("admin", "restore", "--redis", redis.uri(), "--prefix", "{cli2}", file.toString());

        assertThat(restore.exitCode()).isEqualTo(AdminCommand.FAILED);
        assertThat(restore.err().strip()).doesNotContain("\n")
                .startsWith("granary admin restore: the prefix {cli2} is not empty");
    }

    @Test
    void aBackupOfAMissingDirectoryFailsAndSaysWhy() {
        Run backup = run("admin", "backup", "--redis", redis.uri(), dir.resolve("no/such/dir/x.backup").toString());

        assertThat(backup.exitCode()).isEqualTo(AdminCommand.FAILED);
        assertThat(backup.err()).startsWith("granary admin backup: NoSuchFileException: ");
    }
}
