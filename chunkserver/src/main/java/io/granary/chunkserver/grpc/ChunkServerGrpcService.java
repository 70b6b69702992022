package io.granary.chunkserver.grpc;

import io.granary.chunkserver.master.MasterFence;
import io.granary.chunkserver.replication.ChunkCopier;
import io.granary.chunkserver.replication.WriteAdmission;
import io.granary.chunkserver.replication.WriteChainCall;
import io.granary.chunkserver.store.ChunkStore;
import io.granary.chunkserver.wire.ChunkServerProtos;
import io.granary.common.GranaryException;
import io.granary.common.grpc.ChannelPool;
import io.granary.common.grpc.ChunkAccess;
import io.granary.common.grpc.GrpcCalls;
import io.granary.common.grpc.GrpcErrors;
import io.granary.common.grpc.RequestIds;
import io.granary.proto.ChunkLocation;
import io.granary.proto.ChunkServerServiceGrpc;
import io.granary.proto.CopyChunkRequest;
import io.granary.proto.CopyChunkResponse;
import io.granary.proto.HeartbeatRequest;
import io.granary.proto.HeartbeatResponse;
import io.granary.proto.ReadChunkRequest;
import io.granary.proto.ReadChunkResponse;
import io.granary.proto.WriteChunkRequest;
import io.granary.proto.WriteChunkResponse;
import io.granary.proto.WriteHeader;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Predicate;

/**
 * The chunkserver's gRPC surface, a thin adapter: writes go to a {@link WriteChainCall}, reads to a
 * flow-controlled {@link ReadChunkStream}, heartbeats straight to the {@link ChunkStore}. Disk work
 * runs on {@code disk}, a bounded pool, one serial lane per call.
 */
public final class ChunkServerGrpcService extends ChunkServerServiceGrpc.ChunkServerServiceImplBase {
    /**
     * Read messages all calls together may have handed to gRPC unflushed: some 24 stalled readers'
     * worth of messages that shrink from 512 KiB as it fills, a small share of the direct memory a
     * bounded JVM has (64 MiB in local, shared by three chunkservers and the gateway).
     */
    public static final long DEFAULT_READ_BUDGET_BYTES = 4 * 1024 * 1024;
    private final String nodeId;
    private final ChunkStore store;
    private final WriteAdmission admission;
    private final ChannelPool channels;
    private final Executor disk;
    private final int readMessageBytes;
    private final Runnable onHeartbeat;
    private final ChunkCopier copier;
    private final Executor copyPool;
    private final ReadChunkHold readHold;
    private final ReadBudget readBudget;
    private final MasterFence masterFence;
    private final Optional<ChunkAccess> tickets;

    /**
     * @param admission  bounds the chunk writes in progress and the bytes they buffer
     * @param onHeartbeat told of every heartbeat, so the node can notice when the master forgets it
     * @param copier     carries out the master's copy orders
     * @param copyPool   where copies run: each blocks for a whole chunk's transfer
     * @param readHold   counts ReadChunk calls and, when a test turns it on, leaves them unanswered
     * @param readBudget bounds the bytes of read messages all calls together hand to gRPC
     */
    public ChunkServerGrpcService(String nodeId, ChunkStore store, WriteAdmission admission, ChannelPool channels,
                                  Executor disk, int readMessageBytes, Runnable onHeartbeat, ChunkCopier copier,
                                  Executor copyPool, ReadChunkHold readHold, ReadBudget readBudget) {
        this(nodeId, store, admission, channels, disk, readMessageBytes, onHeartbeat, copier, copyPool, readHold,
                readBudget, Optional.empty());
    }

    /**
     * As the constructor above, checking the chunk access tickets of callers without the cluster secret
     * with {@code tickets} (see {@link TicketAdmission}); with none, such callers never get here.
     */
    public ChunkServerGrpcService(String nodeId, ChunkStore store, WriteAdmission admission, ChannelPool channels,
                                  Executor disk, int readMessageBytes, Runnable onHeartbeat, ChunkCopier copier,
                                  Executor copyPool, ReadChunkHold readHold, ReadBudget readBudget,
                                  Optional<ChunkAccess> tickets) {
        this.tickets = tickets;
        this.admission = admission;
        this.readHold = readHold;
        this.readBudget = readBudget;
        this.copier = copier;
        this.copyPool = copyPool;
        this.nodeId = nodeId;
        this.masterFence = new MasterFence(nodeId);
        this.store = store;
        this.channels = channels;
        this.disk = disk;
        this.readMessageBytes = readMessageBytes;
        this.onHeartbeat = onHeartbeat;
    }

    @Override
    public StreamObserver<WriteChunkRequest> writeChunk(StreamObserver<WriteChunkResponse> responses) {
        // captured here, on the call's thread, and carried explicitly to the disk lane and downstream
        String requestId = RequestIds.current();
        Predicate<WriteHeader> allowed = TicketAdmission.ticketsRequired()
                ? header -> allows(header.getAccess(), ChunkAccess.Mode.WRITE, header.getHandle(),
                        header.getDownstreamList().stream().map(ChunkLocation::getAddress).toList())
                : header -> true;
        return WriteChainCall.start(nodeId, store, admission, address -> RequestIds.attach(channels.channel(address), requestId),
                RequestIds.inMdc(new SerialExecutor(disk), requestId),
                (ServerCallStreamObserver<WriteChunkResponse>) responses, allowed);
    }

    @Override
    public void readChunk(ReadChunkRequest request, StreamObserver<ReadChunkResponse> responses) {
        ServerCallStreamObserver<ReadChunkResponse> call = (ServerCallStreamObserver<ReadChunkResponse>) responses;
        if (TicketAdmission.ticketsRequired()
                && !allows(request.getAccess(), ChunkAccess.Mode.READ, request.getHandle(), List.of())) {
            call.onError(GrpcErrors.toStatus(ChunkAccess.refusal(request.getHandle(), request.getAccess())));
            return;
        }
        if (!readHold.admit(call)) {
            return;
        }
        ReadChunkStream.start(request, call, store,
                RequestIds.inMdc(disk, RequestIds.current()),
                readMessageBytes, readBudget);
    }

    private boolean allows(String ticket, ChunkAccess.Mode mode, long handle, List<String> downstream) {
        return tickets.isPresent() && tickets.get().allows(ticket, mode, handle, downstream);
    }

    @Override
    public void heartbeat(HeartbeatRequest request, StreamObserver<HeartbeatResponse> responses) {
        GrpcCalls.unary(responses, () -> {
            masterFence.admit(request.getMasterEpoch());
            onHeartbeat.run();
            ChunkServerProtos.handles(request.getDeleteHandlesList()).forEach(store::delete);
            return ChunkServerProtos.heartbeat(nodeId, store, request.getWantChunkReport());
        });
    }

    @Override
    public void copyChunk(CopyChunkRequest request, StreamObserver<CopyChunkResponse> responses) {
        CompletableFuture<CopyChunkResponse> copy;
        try {
            masterFence.admit(request.getMasterEpoch());
            copy = CompletableFuture.supplyAsync(() -> ChunkServerProtos.copied(
                    copier.copy(ChunkServerProtos.handle(request.getHandle()), request.getSource().getChunkserverId(),
                            request.getSource().getAddress(), request.getReplace())), copyPool);
        } catch (GranaryException e) {
            copy = CompletableFuture.failedFuture(e);
        }
        GrpcCalls.unaryAsync(responses, copy);
    }
}
