package io.granary.gateway.routes;

import static io.granary.gateway.testing.GatewayFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.granary.client.ChunkReadHealth;
import io.granary.client.fake.FakeChunkServer.ReadFault;
import io.granary.common.meta.FileMeta;
import io.granary.gateway.testing.GatewayFixture;
import io.granary.proto.FsckChunk;
import io.granary.proto.FsckResponse;
import io.grpc.Status;
import java.util.List;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The read-only JSON routes: stat, cluster, health. */
class InfoRoutesTest {
    @RegisterExtension
    final GatewayFixture gateway = new GatewayFixture();

    @Test
    void statOfAFileListsItsChunksInOrder() {
        gateway.cluster.master.putFile("/dir/f.txt", GatewayFixture.randomBytes(GatewayFixture.CHUNK + 5),
                GatewayFixture.CHUNK, List.of(gateway.cluster.chunkserver(2), gateway.cluster.chunkserver(3)));
        FileMeta meta = gateway.client.stat("/dir/f.txt");
        gateway.test((server, http) -> {
            JsonNode file = json(http.get("/api/v1/stat/dir/f.txt"));

            assertThat(file.get("path").asText()).isEqualTo("/dir/f.txt");
            assertThat(file.get("type").asText()).isEqualTo("file");
            assertThat(file.get("size").asLong()).isEqualTo(GatewayFixture.CHUNK + 5);
            assertThat(file.get("chunkSize").asLong()).isEqualTo(GatewayFixture.CHUNK);
            assertThat(file.get("sha256").asText()).isEqualTo(meta.sha256()).hasSize(64);
            assertThat(file.get("created").asText()).isEqualTo("2023-11-14T22:13:20Z");
            JsonNode chunks = file.get("chunks");
            assertThat(chunks).hasSize(2);
            assertThat(chunks.get(1).get("index").asInt()).isEqualTo(1);
            assertThat(chunks.get(1).get("handle").asText()).isEqualTo(meta.chunks().get(1).handle().hex()).hasSize(16);
            assertThat(chunks.get(1).get("size").asLong()).isEqualTo(5);
            assertThat(chunks.get(1).get("replicas")).extracting(JsonNode::asText).containsExactly("cs-2", "cs-3");
            assertThat(file.get("underReplicated").asInt()).isZero();
        });
    }

    @Test
    void statOfAFileCountsItsChunksWithFewerReplicasThanItsReplication() {
        gateway.cluster.master.putFile("/dir/thin.bin", GatewayFixture.randomBytes(2 * GatewayFixture.CHUNK + 1),
                GatewayFixture.CHUNK, List.of(gateway.cluster.chunkserver(2), gateway.cluster.chunkserver(3)));
        gateway.client.setReplication("/dir/thin.bin", 3);
        gateway.test((server, http) -> {
            JsonNode file = json(http.get("/api/v1/stat/dir/thin.bin"));
            JsonNode dir = json(http.get("/api/v1/stat/dir"));

            assertThat(file.get("underReplicated").asInt()).isEqualTo(3);
            assertThat(dir.has("underReplicated")).as("only files have it").isFalse();
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/stat", "/api/v1/stat/"})
    void statWithoutAPathIsTheRootDirectory(String target) {
        gateway.test((server, http) -> {
            JsonNode root = json(http.get(target));

            assertThat(root.get("path").asText()).isEqualTo("/");
            assertThat(root.get("type").asText()).isEqualTo("directory");
            assertThat(root.has("chunks")).isFalse();
        });
    }

    @Test
    void clusterListsTheChunkserversAndReplicationCounts() {
        gateway.cluster.chunkserver(3).markDead();
        gateway.test((server, http) -> {
            JsonNode cluster = json(http.get("/api/v1/cluster"));

            assertThat(cluster.get("master").get("id").asText()).isEqualTo("fake-master");
            assertThat(cluster.get("chunkservers")).extracting(cs -> cs.get("id").asText())
                    .containsExactly("cs-1", "cs-2", "cs-3");
            JsonNode dead = cluster.get("chunkservers").get(2);
            assertThat(dead.get("alive").asBoolean()).isFalse();
            assertThat(dead.get("lastHeartbeat").isNull()).isTrue();
            assertThat(cluster.get("chunkservers").get(0).get("lastHeartbeat").asText()).isEqualTo("2023-11-14T22:13:20Z");
            assertThat(cluster.get("chunkservers").get(0).get("capacityBytes").asLong()).isPositive();
            assertThat(cluster.get("underReplicatedChunks").asLong()).isZero();
            assertThat(cluster.get("missingChunks").asLong()).isZero();
            assertThat(cluster.get("corruptChunks").asLong()).isZero();
            assertThat(cluster.get("repairQueueLength").asLong()).isZero();
            assertThat(cluster.get("repairsInFlight").asLong()).isZero();
            assertThat(cluster.get("gcPendingBytes").asLong()).isZero();
            assertThat(cluster.get("trashChunks").asLong()).isZero();
            assertThat(cluster.get("master").get("safeMode").asBoolean()).isFalse();
            assertThat(cluster.get("master").has("safeModeDetail")).isFalse();
            assertThat(cluster.get("defaultReplication").asInt()).isEqualTo(2);
            assertThat(cluster.get("defaultChunkSize").asLong()).isEqualTo(GatewayFixture.CHUNK);
        });
    }

    @Test
    void fsckListsTheChunksThatNeedAttentionWithTheirFiles() {
        gateway.cluster.master.fsck = FsckResponse.newBuilder()
                .setChunksChecked(12)
                .addProblems(FsckChunk.newBuilder().setHandle(0x2a).setPath("dir/f.txt").setIndex(3)
                        .setWantedReplicas(3).setGoodReplicas(1).addCorruptReplicas("cs-2").setState("corrupt"))
                .build();
        gateway.test((server, http) -> {
            JsonNode fsck = json(http.get("/api/v1/admin/fsck"));

            assertThat(fsck.get("healthy").asBoolean()).isFalse();
            assertThat(fsck.get("chunksChecked").asLong()).isEqualTo(12);
            JsonNode problem = fsck.get("problems").get(0);
            assertThat(problem.get("handle").asText()).isEqualTo("000000000000002a");
            assertThat(problem.get("path").asText()).isEqualTo("/dir/f.txt");
            assertThat(problem.get("index").asInt()).isEqualTo(3);
            assertThat(problem.get("state").asText()).isEqualTo("corrupt");
            assertThat(problem.get("wantedReplicas").asInt()).isEqualTo(3);
            assertThat(problem.get("goodReplicas").asInt()).isEqualTo(1);
            assertThat(problem.get("corruptReplicas")).extracting(JsonNode::asText).containsExactly("cs-2");
        });
    }

    @Test
    void readinessIsFalseWhileChunkReadsFindNoReplicaAndLivenessStaysTrue() {
        gateway.cluster.master.putFile("/down.bin", GatewayFixture.randomBytes(GatewayFixture.CHUNK + 5),
                GatewayFixture.CHUNK, List.of(gateway.cluster.chunkserver(2), gateway.cluster.chunkserver(3)));
        gateway.cluster.chunkserver(2).failReads(ReadFault.failAfter(0, Status.UNAVAILABLE));
        gateway.cluster.chunkserver(3).failReads(ReadFault.failAfter(0, Status.UNAVAILABLE));
        gateway.test((server, http) -> {
            for (int i = 0; i < ChunkReadHealth.FAILURES_IN_A_ROW; i++) {
                assertThat(http.get("/api/v1/files/down.bin").code()).isEqualTo(503);
            }

            Response ready = http.get("/health/ready");

            assertThat(ready.code()).isEqualTo(503);
            assertThat(json(ready).get("detail").asText()).contains("chunk reads found no replica able to serve them");
            assertThat(http.get("/health/live").code()).isEqualTo(200);
        });
    }

    @Test
    void readinessFollowsTheMasterAndTheLiveChunkservers() {
        gateway.test((server, http) -> {
            assertThat(http.get("/health/live").body().string()).isEqualTo("{\"status\":\"live\"}");
            Response ready = http.get("/health/ready");
            assertThat(ready.code()).isEqualTo(200);
            assertThat(json(ready).get("liveChunkservers").asInt()).isEqualTo(3);

            gateway.cluster.chunkserver(2).markDead();
            gateway.cluster.chunkserver(3).markDead();
            Response tooFew = http.get("/health/ready");
            assertThat(tooFew.code()).isEqualTo(503);
            assertThat(tooFew.header("Content-Type")).isEqualTo("application/problem+json");
            assertThat(json(tooFew).get("detail").asText())
                    .isEqualTo("1 chunkserver(s) alive, but the default replication needs 2");

            gateway.cluster.master.failWith(Status.UNAVAILABLE.withDescription("connection refused"));
            Response noMaster = http.get("/health/ready");
            assertThat(noMaster.code()).isEqualTo(503);
            assertThat(json(noMaster).get("detail").asText()).isEqualTo("the master did not answer: connection refused");
            assertThat(http.get("/health/live").code()).isEqualTo(200);
        });
    }
}
