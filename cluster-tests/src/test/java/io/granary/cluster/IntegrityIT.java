package io.granary.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import io.granary.launcher.local.LocalCluster;
import io.granary.launcher.local.LocalSettings;

import io.granary.common.ByteSize;
import io.granary.common.meta.ChunkMeta;
import io.granary.common.meta.FileMeta;
import io.granary.master.testing.RedisFixture;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replica damaged on disk (bytes overwritten in the middle of its file): downloads stay
 * byte-exact, the damage is found (by a read or by the scrubber), the chunk is copied again from a
 * good replica, and the damaged file is deleted.
 */
class IntegrityIT {
    static final long CHUNK = 256 * ByteSize.KIB;
    static final long SIZE = 3 * CHUNK + 100;

    @TempDir
    Path dir;
    RedisFixture redis;
    LocalCluster cluster;
    Http http;

    @BeforeEach
    void startCluster() {
        redis = RedisFixture.start(dir);
        cluster = LocalCluster.start(LocalSettings.defaults(dir, 0)
                .withRedisUri(redis.uri())
                .withChunkservers(4)
                .withReplication(3)
                .withChunkSizeBytes(CHUNK)
                .withHeartbeat(Duration.ofMillis(200), Duration.ofSeconds(2))
                .withScrub(Duration.ofMillis(500), 16 * ByteSize.MIB));
        http = new Http(cluster);
    }

    @AfterEach
    void stopCluster() {
        cluster.close();
        redis.close();
    }

    @Test
    void aDamagedReplicaIsNeverServedAndIsReplacedThenDeleted() throws IOException {
        assertThat(http.put("damaged/a.bin", 7, SIZE).statusCode()).isEqualTo(201);
        ChunkMeta chunk = cluster.client().stat("damaged/a.bin").chunks().get(1);
        String victimId = DiskReplicas.listed(chunk).get(0);
        int victim = Integer.parseInt(victimId.substring("chunkserver-".length())) - 1;
        Path damaged = DiskReplicas.chunkFile(cluster, victim, chunk.handle());

        overwriteMiddle(damaged);

        for (int i = 0; i < 6; i++) { // replicas are shuffled per read: some of these hit the damaged one
            assertThat(http.get("damaged/a.bin").sha256()).isEqualTo(TestBytes.sha256(7, SIZE));
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            FileMeta file = cluster.client().stat("damaged/a.bin");
            assertThat(DiskReplicas.listed(file.chunks().get(1))).hasSize(3).doesNotContain(victimId);
            assertThat(damaged).doesNotExist();
            assertThat(cluster.client().cluster().repair().corruptChunks()).isZero();
        });
        assertThat(DiskReplicas.everywhere(cluster).get(chunk.handle().hex())).hasSize(3);
        assertThat(http.get("damaged/a.bin").sha256()).isEqualTo(TestBytes.sha256(7, SIZE));
    }

    /** Flips 100 bytes in the middle of the file, leaving its size and its checksum file alone. */
    private static void overwriteMiddle(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long middle = channel.size() / 2;
            ByteBuffer original = ByteBuffer.allocate(100);
            channel.read(original, middle);
            byte[] flipped = Arrays.copyOf(original.array(), 100);
            for (int i = 0; i < flipped.length; i++) {
                flipped[i] = (byte) ~flipped[i];
            }
            channel.write(ByteBuffer.wrap(flipped), middle);
            channel.force(true);
        }
    }
}
