package io.granary.master.testing;

import io.granary.common.ByteSize;
import io.granary.common.grpc.ChannelPool;
import io.granary.master.MasterConfig;
import io.granary.master.MasterServer;
import io.granary.proto.AllocateChunkRequest;
import io.granary.proto.AllocateChunkResponse;
import io.granary.proto.ChunkLocation;
import io.granary.proto.CommitUploadRequest;
import io.granary.proto.CommittedChunk;
import io.granary.proto.FileInfo;
import io.granary.proto.MasterServiceGrpc;
import io.granary.proto.MasterServiceGrpc.MasterServiceBlockingStub;
import io.granary.proto.StartUploadRequest;
import io.granary.proto.StartUploadResponse;
import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A master on a real Redis, served in process, with fake chunkservers reached in process too.
 * Closing it stops the master, the fakes and the client channel, not the Redis.
 */
public final class MasterFixture implements AutoCloseable {
    public static final long FAKE_CAPACITY_BYTES = 10 * ByteSize.GIB;

    private final MasterConfig config;
    private final String name = InProcessServerBuilder.generateName();
    private final List<FakeChunkServer> chunkServers = new ArrayList<>();
    private MasterServer server;
    private ManagedChannel channel;

    private MasterFixture(MasterConfig config) {
        this.config = config;
        startMaster();
    }

    /** Starts a master on the given Redis, with the test's config changes. */
    public static MasterFixture start(String redisUri, UnaryOperator<MasterConfig.Builder> tweak) {
        return new MasterFixture(tweak.apply(MasterConfig.builder(redisUri).port(0)).build());
    }

    private void startMaster() {
        server = new MasterServer(config, InProcessServerBuilder.forName(name),
                new ChannelPool(address -> InProcessChannelBuilder.forName(address).directExecutor().build()));
        server.start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    }

    /** Stops the master and starts a new one on the same Redis and name; the fake chunkservers stay up. */
    public void restartMaster() {
        server.close();
        channel.shutdownNow();
        startMaster();
    }

    public MasterServiceBlockingStub master() {
        return MasterServiceGrpc.newBlockingStub(channel);
    }

    /** Starts a fake chunkserver holding the given handles and registers it. */
    public FakeChunkServer addChunkServer(String id, Long... handles) {
        FakeChunkServer fake = new FakeChunkServer(id, InProcessServerBuilder.generateName(), FAKE_CAPACITY_BYTES);
        fake.hold(List.of(handles));
        fake.register(master());
        chunkServers.add(fake);
        return fake;
    }

    /**
     * Uploads a file through the rpcs as a writer would: allocates each chunk, lets the fakes of its
     * chain "store" it (they hold its handle from then on), and commits.
     */
    public FileInfo upload(String path, long sizeBytes, int replication) {
        StartUploadResponse upload = master().startUpload(StartUploadRequest.newBuilder()
                .setPath(path).setReplication(replication).build());
        CommitUploadRequest.Builder commit = CommitUploadRequest.newBuilder()
                .setUploadId(upload.getUploadId()).setSizeBytes(sizeBytes).setSha256("00".repeat(32));
        long chunkSize = upload.getChunkSizeBytes();
        for (int index = 0; (long) index * chunkSize < sizeBytes; index++) {
            AllocateChunkResponse chunk = master().allocateChunk(AllocateChunkRequest.newBuilder()
                    .setUploadId(upload.getUploadId()).setIndex(index).build());
            CommittedChunk.Builder written = CommittedChunk.newBuilder().setIndex(index).setHandle(chunk.getHandle())
                    .setSizeBytes(Math.min(chunkSize, sizeBytes - index * chunkSize));
            for (ChunkLocation replica : chunk.getChainList()) {
                chunkServer(replica.getChunkserverId()).hold(List.of(chunk.getHandle()));
                written.addReplicas(replica.getChunkserverId());
            }
            commit.addChunks(written);
        }
        return master().commitUpload(commit.build());
    }

    public FakeChunkServer chunkServer(String id) {
        return chunkServers.stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }

    public MasterServer server() {
        return server;
    }

    @Override
    public void close() {
        server.close();
        channel.shutdownNow();
        chunkServers.forEach(FakeChunkServer::close);
    }
}
