package io.granary.master.grpc;

import io.granary.common.ChunkHandle;
import io.granary.common.grpc.ClusterSecurity;
import io.granary.common.grpc.GrpcCalls;
import io.granary.common.grpc.ReconnectBackoff;
import io.granary.master.cluster.ChunkServerClient;
import io.granary.proto.ChunkServerServiceGrpc;
import io.granary.proto.CopyChunkResponse;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * {@link ChunkServerClient} over gRPC, with one cached channel per chunkserver address. Thread-safe.
 */
public final class GrpcChunkServerClient implements ChunkServerClient {
    private final Function<String, ManagedChannel> channelFactory;
    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

    /** @param channelFactory opens a channel to a {@code host:port}; tests map addresses to in-process channels */
    public GrpcChunkServerClient(Function<String, ManagedChannel> channelFactory) {
        this.channelFactory = channelFactory;
    }

    /** Channels that carry the cluster secret (and speak TLS when configured), as chunkservers demand. */
    public static Function<String, ManagedChannel> channels(ClusterSecurity security) {
        return address -> ReconnectBackoff.bounded(security.channelBuilder(address).build());
    }

    @Override
    public CompletableFuture<HeartbeatReply> heartbeat(String address, HeartbeatOrder order, Duration deadline) {
        CompletableFuture<HeartbeatReply> result = new CompletableFuture<>();
        ChunkServerServiceGrpc.newStub(channels.computeIfAbsent(address, channelFactory))
                .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
                .heartbeat(MasterProtos.toProto(order), GrpcCalls.completing(result, MasterProtos::fromProto));
        return result;
    }

    @Override
    public CompletableFuture<Long> copyChunk(String targetAddress, ChunkHandle handle, String sourceId,
                                             String sourceAddress, boolean replace, Duration deadline) {
        CompletableFuture<Long> result = new CompletableFuture<>();
        ChunkServerServiceGrpc.newStub(channels.computeIfAbsent(targetAddress, channelFactory))
                .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
                .copyChunk(MasterProtos.copyOrder(handle, sourceId, sourceAddress, replace),
                        GrpcCalls.completing(result, CopyChunkResponse::getSizeBytes));
        return result;
    }

    @Override
    public void close() {
        channels.values().forEach(ManagedChannel::shutdownNow);
        channels.clear();
    }
}
