package io.granary.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.granary.client.ClusterView;
import io.granary.common.ByteSize;
import io.granary.common.meta.ChunkMeta;
import io.granary.common.meta.FileMeta;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-replication end to end: four chunkservers at replication 3, one killed abruptly. Files stay
 * byte-exact throughout; the master copies every chunk it lost chunkserver to chunkserver until each
 * has 3 live replicas again, within a bound; and when the killed one comes back, the surplus
 * replicas are trimmed so every chunk is on exactly 3 disks.
 */
class RepairIT {
    private static final Logger log = LoggerFactory.getLogger(RepairIT.class);
    static final long CHUNK = 256 * ByteSize.KIB;
    static final Duration DEAD_AFTER = Duration.ofSeconds(1);
    /** Dead-after, then a few heartbeat rounds of copies: far below this on any machine. */
    static final Duration REPAIR_BOUND = Duration.ofSeconds(30);
    static final long[] SIZES = {5 * CHUNK + 3, 2 * CHUNK, 1, 3 * CHUNK + CHUNK / 2};

    @RegisterExtension
    final MiniGranary cluster = MiniGranary.builder()
            .chunkservers(4)
            .replication(3)
            .chunkSize(CHUNK)
            .heartbeat(Duration.ofMillis(200), DEAD_AFTER)
            .build();
    final Http http = new Http(cluster);

    @BeforeEach
    void writeFilesToRepair() {
        for (int i = 0; i < SIZES.length; i++) {
            assertThat(http.put(path(i), i, SIZES[i]).statusCode()).isEqualTo(201);
        }
    }

    @Test
    void when_aChunkServerIsKilled_then_everyChunkIsBackToThreeLiveReplicasWithinTheBound() {
        int victim = busiestChunkServer();
        long killedAt = System.nanoTime();
        cluster.killChunkServer(victim);
        assertEveryFileIsByteExact(); // before the master has even noticed

        await().atMost(REPAIR_BOUND).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            assertEveryChunkListedOnThreeDisks(DiskReplicas.id(victim));
            ClusterView view = cluster.client().cluster();
            assertThat(view.underReplicatedChunks()).isZero();
            assertThat(view.missingChunks()).isZero();
        });
        log.info("repair after killing {} took {} ms", DiskReplicas.id(victim),
                (System.nanoTime() - killedAt) / 1_000_000);
        assertEveryFileIsByteExact();
    }

    @Test
    void aChunkServerBackAfterDowntimeServesNoStaleReplicaAndTheSurplusIsTrimmed() {
        int victim = busiestChunkServer();
        cluster.killChunkServer(victim);
        await().atMost(REPAIR_BOUND).untilAsserted(() -> assertEveryChunkListedOnThreeDisks(DiskReplicas.id(victim)));

        cluster.startChunkServer(victim);
        cluster.awaitLiveChunkServers(4);

        await().atMost(REPAIR_BOUND).untilAsserted(() -> {
            Map<String, List<Integer>> onDisk = DiskReplicas.everywhere(cluster);
            for (FileMeta file : files()) {
                for (ChunkMeta chunk : file.chunks()) {
                    assertThat(onDisk.get(chunk.handle().hex())).as("disks holding %s", chunk.handle()).hasSize(3);
                    assertThat(chunk.replicas()).as("replicas listed for %s", chunk.handle()).hasSize(3);
                }
            }
        });
        assertEveryFileIsByteExact();
    }

    @Test
    void aReplicationChangeIsCarriedOutOnDiskUpAndDown() {
        String path = path(0);
        assertThat(http.call("PATCH", "/api/v1/stat/" + path, "{\"replication\": 4}").statusCode()).isEqualTo(200);
        await().atMost(REPAIR_BOUND).untilAsserted(() -> assertEveryChunkOfOnDisks(path, 4));

        assertThat(http.call("PATCH", "/api/v1/stat/" + path, "{\"replication\": 1}").statusCode()).isEqualTo(200);
        await().atMost(REPAIR_BOUND).untilAsserted(() -> assertEveryChunkOfOnDisks(path, 1));
        assertEveryFileIsByteExact();
    }

    private void assertEveryChunkOfOnDisks(String path, int copies) {
        Map<String, List<Integer>> onDisk = DiskReplicas.everywhere(cluster);
        FileMeta file = cluster.client().stat(path);
        assertThat(file.replication()).isEqualTo(copies);
        for (ChunkMeta chunk : file.chunks()) {
            assertThat(onDisk.get(chunk.handle().hex())).as("disks holding %s", chunk.handle()).hasSize(copies);
            assertThat(chunk.replicas()).as("replicas listed for %s", chunk.handle()).hasSize(copies);
        }
    }

    private void assertEveryChunkListedOnThreeDisks(String deadId) {
        for (FileMeta file : files()) {
            for (ChunkMeta chunk : file.chunks()) {
                List<String> listed = DiskReplicas.listed(chunk);
                assertThat(listed).as("live replicas of %s", chunk.handle()).hasSize(3).doesNotContain(deadId);
                for (String id : listed) {
                    int index = Integer.parseInt(id.substring("chunkserver-".length())) - 1;
                    assertThat(DiskReplicas.chunkFile(cluster, index, chunk.handle())).exists().hasSize(chunk.size());
                }
            }
        }
    }

    private int busiestChunkServer() {
        Map<String, List<Integer>> onDisk = DiskReplicas.everywhere(cluster);
        int[] counts = new int[4];
        onDisk.values().forEach(holders -> holders.forEach(i -> counts[i]++));
        int busiest = 0;
        for (int i = 1; i < counts.length; i++) {
            busiest = counts[i] > counts[busiest] ? i : busiest;
        }
        return busiest;
    }

    private List<FileMeta> files() {
        return java.util.stream.IntStream.range(0, SIZES.length).mapToObj(i -> cluster.client().stat(path(i))).toList();
    }

    private void assertEveryFileIsByteExact() {
        for (int i = 0; i < SIZES.length; i++) {
            assertThat(http.get(path(i)).sha256()).as(path(i)).isEqualTo(TestBytes.sha256(i, SIZES[i]));
        }
    }

    private static String path(int i) {
        return "repair/" + i + ".bin";
    }
}
