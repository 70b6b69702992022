package io.granary.master.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.granary.common.ByteSize;
import io.granary.master.testing.FakeChunkServer;
import io.granary.master.testing.MasterFixture;
import io.granary.master.testing.SharedRedis;
import io.granary.proto.AbandonUploadRequest;
import io.granary.proto.AllocateChunkRequest;
import io.granary.proto.DeleteFileRequest;
import io.granary.proto.FileInfo;
import io.granary.proto.HeartbeatRequest;
import io.granary.proto.MasterServiceGrpc.MasterServiceBlockingStub;
import io.granary.proto.StartUploadRequest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Chunk reports reconciled with the metadata: what is kept, what is deleted, and when. */
class GarbageCollectionIT {
    /** Long enough that a report classified right after a delete sees the chunk within its grace. */
    static final Duration GRACE = Duration.ofSeconds(4);

    @RegisterExtension
    static final SharedRedis redis = new SharedRedis("gc");
    MasterFixture cluster;

    @BeforeEach
    void setUp() {
        cluster = MasterFixture.start(redis.uri(), c -> c
                .heartbeatInterval(Duration.ofMillis(100)).deadAfter(Duration.ofSeconds(2))
                .gcGrace(GRACE)
                .defaultChunkSizeBytes(64 * ByteSize.KIB));
    }

    @AfterEach
    void tearDown() {
        cluster.close();
    }

    @Test
    void aReportKeepsCommittedAndPendingChunksAndDeletesTheRestOnceTheirGracePeriodPassed() {
        FakeChunkServer server = cluster.addChunkServer("cs-1");
        MasterServiceBlockingStub master = cluster.master();
        long committed = handle(cluster.upload("keep.bin", 100, 1));
        long deleted = handle(cluster.upload("gone.bin", 100, 1));
        master.deleteFile(DeleteFileRequest.newBuilder().setPath("gone.bin").build());
        String openUpload = startUpload(master, "open.bin");
        long pending = allocate(master, openUpload);
        String abandonedUpload = startUpload(master, "abandoned.bin");
        long abandoned = allocate(master, abandonedUpload);
        master.abandonUpload(AbandonUploadRequest.newBuilder().setUploadId(abandonedUpload).build());
        long unknown = 0x7fff_0000_0000_0001L;

        server.hold(List.of(pending, abandoned, unknown));
        server.register(master);

        // the deleted chunk waits out the trash's grace, the unknown and abandoned ones their reports'
        await().atMost(GRACE.plusSeconds(10))
                .untilAsserted(() -> assertThat(server.handles()).containsExactlyInAnyOrder(committed, pending));
        assertThat(server.heartbeats()).flatExtracting(HeartbeatRequest::getDeleteHandlesList)
                .containsOnly(unknown, abandoned, deleted);
    }

    private static long handle(FileInfo file) {
        return file.getChunks(0).getHandle();
    }

    private static String startUpload(MasterServiceBlockingStub master, String path) {
        return master.startUpload(StartUploadRequest.newBuilder().setPath(path).setReplication(1).build()).getUploadId();
    }

    private static long allocate(MasterServiceBlockingStub master, String uploadId) {
        return master.allocateChunk(AllocateChunkRequest.newBuilder().setUploadId(uploadId).build()).getHandle();
    }
}
