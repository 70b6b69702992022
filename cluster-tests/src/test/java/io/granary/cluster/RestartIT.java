package io.granary.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.granary.common.ByteSize;
import io.granary.launcher.local.LocalCluster;
import io.granary.launcher.local.LocalSettings;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code granary local} as a user runs it: its own embedded Redis with the append-only file under
 * the data directory. Stopping the whole cluster and starting it on the same directory keeps every file.
 */
class RestartIT {
    static final long CHUNK = 256 * ByteSize.KIB;
    static final long[] SIZES = {0, 1, CHUNK, 3 * CHUNK + 7, 10 * CHUNK};

    @TempDir
    Path data;

    @Test
    void aRestartOfTheWholeClusterOnTheSameDataKeepsEveryFile() {
        LocalSettings settings = LocalSettings.builder(data, 0).chunkSizeBytes(CHUNK).build();
        try (LocalCluster first = LocalCluster.start(settings)) {
            Http http = new Http(first.gatewayUrl(), first.adminToken());
            for (long size : SIZES) {
                assertThat(http.put("kept/" + size, size, size).statusCode()).isEqualTo(201);
            }
            assertThat(http.delete("kept/" + CHUNK).statusCode()).isEqualTo(204);
        }
        assertThat(data.resolve("redis")).isDirectoryContaining(path -> path.getFileName().toString().startsWith("appendonly"));

        try (LocalCluster second = LocalCluster.start(settings)) {
            Http http = new Http(second.gatewayUrl(), second.adminToken());
            for (long size : SIZES) {
                Http.Download got = http.get("kept/" + size);
                if (size == CHUNK) {
                    assertThat(got.status()).as("the deleted file").isEqualTo(404);
                } else {
                    assertThat(got.status()).isEqualTo(200);
                    assertThat(got.sha256()).as("file of %d bytes", size).isEqualTo(TestBytes.sha256(size, size));
                }
            }
            assertThat(http.put("after/restart", 42, CHUNK + 1).statusCode()).isEqualTo(201);
            assertThat(http.get("after/restart").sha256()).isEqualTo(TestBytes.sha256(42, CHUNK + 1));
        }
    }
}
