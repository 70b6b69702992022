package io.granary.master.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.granary.common.ByteSize;
import io.granary.master.testing.FakeChunkServer;
import io.granary.master.testing.MasterFixture;
import io.granary.master.testing.SharedRedis;
import io.granary.proto.ChunkLocation;
import io.granary.proto.ChunkServerStatus;
import io.granary.proto.ClusterInfo;
import io.granary.proto.GetClusterRequest;
import io.granary.proto.GetFileRequest;
import io.granary.proto.HeartbeatRequest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Heartbeats with in-process fake chunkservers: death, return, replacement, master restart. */
class HeartbeatIT {
    static final Duration INTERVAL = Duration.ofMillis(200);
    static final Duration DEAD_AFTER = Duration.ofSeconds(1);
    static final Duration PATIENCE = Duration.ofSeconds(10);

    @RegisterExtension
    static final SharedRedis redis = new SharedRedis("hb");
    MasterFixture cluster;

    @AfterEach
    void tearDown() {
        cluster.close();
    }

    private void startMaster() {
        cluster = MasterFixture.start(redis.uri(), c -> c
                .keyPrefix(redis.newPrefix())
                .heartbeatInterval(INTERVAL).deadAfter(DEAD_AFTER)
                .defaultChunkSizeBytes(64 * ByteSize.KIB));
    }

    @Test
    void aSilentChunkserverIsDeclaredDeadAndItsReplicasVanishUntilItAnswersAgain() {
        startMaster();
        cluster.addChunkServer("cs-a");
        cluster.addChunkServer("cs-b");
        FakeChunkServer c = cluster.addChunkServer("cs-c");
        cluster.upload("f.bin", 1000, 3);
        assertThat(replicasOf("f.bin")).containsExactlyInAnyOrder("cs-a", "cs-b", "cs-c");

        c.setAnswering(false);

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(status("cs-c").getAlive()).isFalse());
        assertThat(replicasOf("f.bin")).containsExactlyInAnyOrder("cs-a", "cs-b");
        assertThat(cluster().getUnderReplicatedChunks()).isEqualTo(1);
        assertThat(cluster().getMissingChunks()).isZero();

        int heardBefore = c.heartbeats().size();
        c.setAnswering(true);

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(status("cs-c").getAlive()).isTrue());
        assertThat(replicasOf("f.bin")).containsExactlyInAnyOrder("cs-a", "cs-b", "cs-c");
        assertThat(cluster().getUnderReplicatedChunks()).isZero();
        assertThat(c.heartbeats().subList(heardBefore, c.heartbeats().size()))
                .as("a chunkserver that comes back is asked for its chunks")
                .anyMatch(HeartbeatRequest::getWantChunkReport);
        assertThat(status("cs-c").getLastHeartbeatMs()).isPositive();
    }

    @Test
    void aDifferentChunkserverAnsweringAtARegisteredAddressReplacesTheOldOne() {
        startMaster();
        FakeChunkServer old = cluster.addChunkServer("cs-old");
        old.close();

        try (FakeChunkServer successor = new FakeChunkServer("cs-new", old.address(), ByteSize.GIB)) {
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(cluster().getChunkserversList())
                    .extracting(ChunkServerStatus::getId, ChunkServerStatus::getAddress, ChunkServerStatus::getAlive)
                    .containsExactly(tuple("cs-new", old.address(), true)));
        }
    }

    @Test
    void aRestartedMasterHeartbeatsTheRegisteredChunkserversAndRelearnsWhereChunksAre() {
        startMaster();
        cluster.addChunkServer("cs-a");
        cluster.addChunkServer("cs-b");
        cluster.upload("kept.bin", 200 * ByteSize.KIB, 2);

        cluster.restartMaster();

        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(cluster().getChunkserversList()).extracting(ChunkServerStatus::getAlive).containsExactly(true, true);
            assertThat(cluster.master().getFile(GetFileRequest.newBuilder().setPath("kept.bin").build()).getChunksList())
                    .hasSize(4)
                    .allSatisfy(chunk -> assertThat(chunk.getReplicasList()).extracting(ChunkLocation::getChunkserverId)
                            .containsExactlyInAnyOrder("cs-a", "cs-b"));
        });
        assertThat(cluster().getUnderReplicatedChunks() + cluster().getMissingChunks()).isZero();
    }

    private ClusterInfo cluster() {
        return cluster.master().getCluster(GetClusterRequest.getDefaultInstance());
    }

    private ChunkServerStatus status(String id) {
        return cluster().getChunkserversList().stream().filter(s -> s.getId().equals(id)).findFirst().orElseThrow();
    }

    private List<String> replicasOf(String path) {
        return cluster.master().getFile(GetFileRequest.newBuilder().setPath(path).build()).getChunks(0)
                .getReplicasList().stream().map(ChunkLocation::getChunkserverId).toList();
    }
}
