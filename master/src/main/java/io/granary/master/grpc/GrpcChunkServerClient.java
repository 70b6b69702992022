package io.granary.master.grpc;

import io.granary.common.ChunkHandle;
import io.granary.common.grpc.ChannelPool;
import io.granary.common.grpc.ClusterSecurity;
import io.granary.common.grpc.GrpcCalls;
import io.granary.master.cluster.ChunkServerClient;
import io.granary.proto.ChunkServerServiceGrpc;
import io.granary.proto.CopyChunkResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * {@link ChunkServerClient} over gRPC, through a pool of one channel per chunkserver address, which
 * it owns and closes. Thread-safe.
 */
public final class GrpcChunkServerClient implements ChunkServerClient {
    private final ChannelPool channels;
    private final LongSupplier epoch;

    /**
     * @param channels the channels to chunkservers; tests map addresses to in-process channels
     * @param epoch    the calling master's fencing epoch, sent with every order so that chunkservers
     *                 refuse the orders of a master superseded by one they have heard from
     */
    public GrpcChunkServerClient(ChannelPool channels, LongSupplier epoch) {
        this.channels = channels;
        this.epoch = epoch;
    }

    /** Channels that carry the cluster secret (and speak TLS when configured), as chunkservers demand. */
    public static ChannelPool channelPool(ClusterSecurity security) {
        return ChannelPool.secured(security, ChannelPool.Options.DEFAULTS);
    }

    @Override
    public CompletableFuture<HeartbeatReply> heartbeat(String address, HeartbeatOrder order, Duration deadline) {
        CompletableFuture<HeartbeatReply> result = new CompletableFuture<>();
        ChunkServerServiceGrpc.newStub(channels.channel(address))
                .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
                .heartbeat(MasterProtos.toProto(order, epoch.getAsLong()), GrpcCalls.completing(result, MasterProtos::fromProto));
        return result;
    }

    @Override
    public CompletableFuture<Long> copyChunk(String targetAddress, ChunkHandle handle, String sourceId,
                                             String sourceAddress, boolean replace, Duration deadline) {
        CompletableFuture<Long> result = new CompletableFuture<>();
        ChunkServerServiceGrpc.newStub(channels.channel(targetAddress))
                .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
                .copyChunk(MasterProtos.copyOrder(handle, sourceId, sourceAddress, replace, epoch.getAsLong()),
                        GrpcCalls.completing(result, CopyChunkResponse::getSizeBytes));
        return result;
    }

    @Override
    public void close() {
        channels.shutdownNow();
    }
}
