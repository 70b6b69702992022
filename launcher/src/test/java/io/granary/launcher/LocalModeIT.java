package io.granary.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code granary local} as a newcomer runs it, on its own embedded Redis, on one machine shared with others. */
class LocalModeIT {
    @TempDir
    Path data;

    @Test
    void theEmbeddedRedisDemandsThePasswordKeptOwnerOnlyInTheDataDirectory() throws IOException {
        LocalSettings settings = LocalSettings.defaults(data, 0);
        int redisPort;
        try (LocalCluster cluster = LocalCluster.start(settings)) {
            Path passwordFile = data.resolve(LocalRedisPassword.FILE);
            String password = Files.readString(passwordFile).trim();
            assertThat(password).hasSize(64);
            assertThat(mode(passwordFile)).isEqualTo("rw-------");
            assertThat(mode(data.resolve("redis"))).isEqualTo("rwx------");
            assertThat(new Http(cluster).put("a/file", 1, 1000).statusCode()).isEqualTo(201);
            redisPort = cluster.redisPort();

            RedisClient stranger = RedisClient.create("redis://127.0.0.1:" + redisPort);
            try {
                assertThatThrownBy(() -> {
                    try (StatefulRedisConnection<String, String> connection = stranger.connect()) {
                        connection.sync().keys("*");
                    }
                }).isInstanceOf(RedisException.class).hasStackTraceContaining("NOAUTH");
            } finally {
                stranger.shutdown();
            }
        }

        try (LocalCluster again = LocalCluster.start(settings)) {
            assertThat(new Http(again).get("a/file").status()).as("the same password opens the same data").isEqualTo(200);
        }
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
