package io.granary.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.granary.client.UploadOptions;
import io.granary.common.ByteSize;
import io.granary.common.meta.FileMeta;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Garbage collection end to end (GFS §4.4): the chunks of a deleted file, of the old version of an
 * overwritten file and of an upload abandoned midway disappear from every chunkserver's disk, lazily,
 * through heartbeats; the chunks of live files stay.
 */
class CollectionIT {
    static final long CHUNK = 256 * ByteSize.KIB;

    @RegisterExtension
    final MiniGranary cluster = MiniGranary.builder()
            .chunkSize(CHUNK)
            .heartbeat(Duration.ofMillis(200), Duration.ofSeconds(2))
            .gcGrace(Duration.ofMillis(500))
            .build();
    final Http http = new Http(cluster);

    @Test
    void deletedOverwrittenAndAbandonedChunksDisappearFromEveryDisk() {
        assertThat(http.put("gc/kept.bin", 1, 2 * CHUNK + 1).statusCode()).isEqualTo(201);
        assertThat(http.put("gc/deleted.bin", 2, 3 * CHUNK).statusCode()).isEqualTo(201);
        assertThat(http.put("gc/overwritten.bin", 3, 2 * CHUNK).statusCode()).isEqualTo(201);
        Set<String> doomed = DiskReplicas.handlesOf(List.of(cluster.client().stat("gc/deleted.bin"),
                cluster.client().stat("gc/overwritten.bin")));

        assertThat(http.delete("gc/deleted.bin").statusCode()).isEqualTo(204);
        assertThat(http.put("gc/overwritten.bin", 4, CHUNK + 5).statusCode()).isEqualTo(201);
        assertThatThrownBy(() -> cluster.client().upload("gc/abandoned.bin", failingAfter(2 * CHUNK + 10),
                UploadOptions.defaults())).hasMessageContaining("disk on fire");
        List<FileMeta> live = List.of(cluster.client().stat("gc/kept.bin"), cluster.client().stat("gc/overwritten.bin"));
        Set<String> wanted = DiskReplicas.handlesOf(live);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Map<String, List<Integer>> onDisk = DiskReplicas.everywhere(cluster);
            assertThat(onDisk.keySet()).as("chunk files on any disk").isEqualTo(wanted);
            onDisk.forEach((handle, holders) -> assertThat(holders).as("holders of %s", handle).hasSize(3));
        });
        assertThat(doomed).doesNotContainAnyElementsOf(wanted);
        assertThat(http.get("gc/kept.bin").sha256()).isEqualTo(TestBytes.sha256(1, 2 * CHUNK + 1));
        assertThat(http.get("gc/overwritten.bin").sha256()).isEqualTo(TestBytes.sha256(4, CHUNK + 5));
        assertThat(http.getText("/api/v1/stat/gc/abandoned.bin").statusCode()).isEqualTo(404);
    }

    @Test
    void theClusterReportsTrashAndBytesPendingCollection() {
        assertThat(http.put("gc/a.bin", 5, CHUNK).statusCode()).isEqualTo(201);
        String body = http.getText("/api/v1/cluster").body();
        assertThat(body).contains("\"corruptChunks\":0", "\"repairQueueLength\":0", "\"repairsInFlight\":0",
                "\"gcPendingBytes\":", "\"trashChunks\":0", "\"safeMode\":false");
    }

    /** A body that delivers {@code good} bytes and then fails, as a client whose source breaks. */
    private static InputStream failingAfter(long good) {
        InputStream bytes = TestBytes.stream(9, good);
        return new BulkInputStream() {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = bytes.read(b, off, len);
                if (n < 0) {
                    throw new IOException("disk on fire");
                }
                return n;
            }
        };
    }
}
