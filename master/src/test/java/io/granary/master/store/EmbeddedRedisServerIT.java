package io.granary.master.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.granary.master.testing.StrangerRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded redis-server keeps other users of the machine out (a password, owner-only files), and
 * starts as a replica of another.
 */
class EmbeddedRedisServerIT {
    private static final String PASSWORD = "pw" + UUID.randomUUID().toString().replace("-", "");

    @TempDir
    Path dir;

    @Test
    void aClientWithoutThePasswordIsRefusedAndOneWithItIsServed() {
        try (EmbeddedRedisServer redis = EmbeddedRedisServer.start(dir.resolve("redis"), 0, true, PASSWORD)) {
            assertThat(StrangerRedis.firstLineOfAnswer(redis.port(), "SET {granary}token:x admin")).startsWith("-NOAUTH");
            RedisClient owner = RedisClient.create(redis.uri());
            try (StatefulRedisConnection<String, String> connection = owner.connect()) {
                assertThat(connection.sync().exists("{granary}token:x")).as("the refused write left nothing").isZero();
                connection.sync().set("k", "v");
                assertThat(connection.sync().get("k")).isEqualTo("v");
            } finally {
                owner.shutdown();
            }
        }
    }

    @Test
    void itsDirectoryIsOwnerOnlyAndItsFilesAreMode600EvenWhenTheyExistedBefore() throws IOException {
        Path redisDir = dir.resolve("redis");
        Files.createDirectories(redisDir);
        Files.setPosixFilePermissions(redisDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path old = Files.writeString(redisDir.resolve("old.aof"), "");
        Files.setPosixFilePermissions(old, PosixFilePermissions.fromString("rw-r--r--"));

        try (EmbeddedRedisServer redis = EmbeddedRedisServer.start(redisDir, 0, true, PASSWORD)) {
            RedisClient client = RedisClient.create(redis.uri());
            try (StatefulRedisConnection<String, String> connection = client.connect()) {
                connection.sync().set("k", "v");
            } finally {
                client.shutdown();
            }
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(redisDir))).isEqualTo("rwx------");
            List<Path> files;
            try (Stream<Path> walk = Files.walk(redisDir)) {
                files = walk.filter(Files::isRegularFile).toList();
            }
            assertThat(files).as("the append-only file and the older one").hasSizeGreaterThanOrEqualTo(2);
            for (Path file : files) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).as("%s", file)
                        .isEqualTo("rw-------");
            }
        }
    }

    @Test
    void thePasswordIsOnNoCommandLine() {
        try (EmbeddedRedisServer redis = EmbeddedRedisServer.start(dir.resolve("redis"), 0, false, PASSWORD)) {
            List<String> commandLines = ProcessHandle.current().descendants()
                    .map(process -> process.info().commandLine().orElse(""))
                    .toList();

            assertThat(commandLines).anyMatch(line -> line.contains("redis-server"))
                    .noneMatch(line -> line.contains(PASSWORD));
        }
    }

    @Test
    void aReplicaIsInSyncWhenStartedSoThatWaitIsConfirmedAndItServesThePrimarysKeys() {
        try (EmbeddedRedisServer primary = EmbeddedRedisServer.start(dir.resolve("primary"), 0, false, PASSWORD);
             EmbeddedRedisServer replica = EmbeddedRedisServer.startReplica(dir.resolve("replica"), false, primary)) {
            RedisClient client = RedisClient.create(primary.uri());
            try (StatefulRedisConnection<String, String> connection = client.connect()) {
                connection.sync().set("k", "v");
                assertThat(connection.sync().waitForReplication(1, 5_000)).isEqualTo(1);
            } finally {
                client.shutdown();
            }
            RedisClient reader = RedisClient.create(replica.uri());
            try (StatefulRedisConnection<String, String> connection = reader.connect()) {
                assertThat(connection.sync().info("replication")).contains("role:slave");
                assertThat(connection.sync().get("k")).isEqualTo("v");
            } finally {
                reader.shutdown();
            }
        }
    }

    @Test
    void refusesAShortPassword() {
        assertThatThrownBy(() -> EmbeddedRedisServer.start(dir.resolve("redis"), 0, false, "short"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 16");
    }
}
