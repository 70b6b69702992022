package io.granary.master.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.granary.common.ByteSize;
import io.granary.master.testing.FakeChunkServer;
import io.granary.master.testing.MasterFixture;
import io.granary.master.testing.SharedRedis;
import io.granary.proto.ChunkInfo;
import io.granary.proto.ChunkLocation;
import io.granary.proto.ChunkServerStatus;
import io.granary.proto.DecommissionChunkServerRequest;
import io.granary.proto.DecommissionStatus;
import io.granary.proto.FileInfo;
import io.granary.proto.GetClusterRequest;
import io.granary.proto.GetFileRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Decommissioning against a real Redis and in-process fake chunkservers: the state is stored, so a
 * restarted master goes on draining (or keeps a chunkserver decommissioned); draining ends once the
 * others hold every chunk; unknown chunkservers are NOT_FOUND.
 */
class DecommissionIT {
    static final Duration INTERVAL = Duration.ofMillis(100);
    static final Duration PATIENCE = Duration.ofSeconds(15);

    @RegisterExtension
    static final SharedRedis redis = new SharedRedis("decom");
    MasterFixture cluster;

    @AfterEach
    void tearDown() {
        cluster.close();
    }

    private void startMaster() {
        cluster = MasterFixture.start(redis.uri(), c -> c
                .keyPrefix(redis.newPrefix())
                .heartbeatInterval(INTERVAL).deadAfter(Duration.ofSeconds(2))
                .defaultChunkSizeBytes(64 * ByteSize.KIB));
    }

    @Test
    void aDrainingChunkServerStaysDrainingAcrossAMasterRestartUntilCancelled() {
        startMaster();
        for (String id : List.of("cs-a", "cs-b", "cs-c")) {
            cluster.addChunkServer(id);
        }
        cluster.upload("held.bin", 1000, 3);

        assertThat(decommission("cs-a", false).getState()).isEqualTo("draining");
        await().atMost(PATIENCE).untilAsserted(() -> {
            DecommissionStatus status = status("cs-a").getDecommission();
            assertThat(status.getChunksToMove()).isEqualTo(1);
            assertThat(status.getChunksUnmovable()).as("three chunkservers, replication 3").isEqualTo(1);
            assertThat(status.getDetail()).contains("1 chunk(s) cannot be copied elsewhere");
        });
        long since = status("cs-a").getDecommission().getSinceMs();

        cluster.restartMaster();

        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(status("cs-a").getDecommission().getState()).isEqualTo("draining");
            assertThat(status("cs-a").getDecommission().getChunksUnmovable()).isEqualTo(1);
        });
        assertThat(status("cs-a").getDecommission().getSinceMs()).isEqualTo(since);
        assertThat(decommission("cs-a", false).getSinceMs()).as("starting again changes nothing").isEqualTo(since);

        assertThat(decommission("cs-a", true).getState()).isEqualTo("normal");
        cluster.restartMaster();
        await().atMost(PATIENCE).untilAsserted(() ->
                assertThat(status("cs-a").getAlive()).isTrue());
        assertThat(status("cs-a").getDecommission().getState()).isEqualTo("normal");
    }

    @Test
    void aDrainingChunkServerIsDecommissionedOnceOthersHoldItsChunksAndStaysSoAfterARestart() {
        startMaster();
        for (String id : List.of("cs-a", "cs-b", "cs-c", "cs-d")) {
            cluster.addChunkServer(id).setCopying(true);
        }
        FileInfo file = cluster.upload("moved.bin", 200 * ByteSize.KIB, 3);
        String leaving = file.getChunks(0).getReplicas(0).getChunkserverId();
        FakeChunkServer leaver = cluster.chunkServer(leaving);

        decommission(leaving, false);

        await().atMost(PATIENCE).untilAsserted(() ->
                assertThat(status(leaving).getDecommission().getState()).isEqualTo("decommissioned"));
        for (ChunkInfo chunk : getFile("moved.bin").getChunksList()) {
            long othersHolding = List.of("cs-a", "cs-b", "cs-c", "cs-d").stream().filter(id -> !id.equals(leaving))
                    .filter(id -> cluster.chunkServer(id).handles().contains(chunk.getHandle())).count();
            assertThat(othersHolding).as("chunk %s on the chunkservers staying", chunk.getIndex()).isEqualTo(3);
        }
        assertThat(leaver.handles()).as("no replica is deleted from a leaving chunkserver")
                .containsAll(file.getChunksList().stream().filter(c -> c.getReplicasList().stream()
                        .anyMatch(r -> r.getChunkserverId().equals(leaving))).map(ChunkInfo::getHandle).toList());
        assertThat(cluster.upload("after.bin", 200 * ByteSize.KIB, 3).getChunksList())
                .flatExtracting(ChunkInfo::getReplicasList).extracting(ChunkLocation::getChunkserverId)
                .as("no new chunk goes to a decommissioned chunkserver").doesNotContain(leaving);

        cluster.restartMaster();

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(status(leaving).getAlive()).isTrue());
        assertThat(status(leaving).getDecommission().getState()).isEqualTo("decommissioned");
    }

    @Test
    void anUnknownChunkServerIsNotFoundAndCancellingOneInServiceChangesNothing() {
        startMaster();
        cluster.addChunkServer("cs-a");

        for (boolean cancel : new boolean[] {false, true}) {
            assertThatThrownBy(() -> decommission("cs-nobody", cancel))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                        assertThat(e.getStatus().getDescription()).isEqualTo("no chunkserver cs-nobody is registered");
                    });
        }
        assertThat(decommission("cs-a", true).getState()).isEqualTo("normal");
    }

    private DecommissionStatus decommission(String id, boolean cancel) {
        return cluster.master().decommissionChunkServer(DecommissionChunkServerRequest.newBuilder()
                .setChunkserverId(id).setCancel(cancel).build()).getDecommission();
    }

    private FileInfo getFile(String path) {
        return cluster.master().getFile(GetFileRequest.newBuilder().setPath(path).build());
    }

    private ChunkServerStatus status(String id) {
        return cluster.master().getCluster(GetClusterRequest.getDefaultInstance()).getChunkserversList().stream()
                .filter(s -> s.getId().equals(id)).findFirst().orElseThrow();
    }
}
