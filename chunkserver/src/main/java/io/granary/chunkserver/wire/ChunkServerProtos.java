package io.granary.chunkserver.wire;

import com.google.protobuf.UnsafeByteOperations;
import io.granary.chunkserver.store.ChunkStore;
import io.granary.common.ChunkHandle;
import io.granary.proto.CopyChunkResponse;
import io.granary.proto.HeartbeatResponse;
import io.granary.proto.ReadChunkResponse;
import io.granary.proto.RegisterChunkServerRequest;
import io.granary.proto.WriteChunkRequest;
import io.granary.proto.WriteChunkResponse;
import io.granary.proto.WriteEnd;
import io.granary.proto.WriteHeader;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/** The chunkserver's one place where wire messages and domain values meet. */
public final class ChunkServerProtos {
    private ChunkServerProtos() {
    }

    public static ChunkHandle handle(long wire) {
        return new ChunkHandle(wire);
    }

    public static List<ChunkHandle> handles(Collection<Long> wire) {
        return wire.stream().map(ChunkServerProtos::handle).toList();
    }

    /** The header to send the next chunkserver of the chain: the same chunk, the chain after it. */
    public static WriteChunkRequest forwardedHeader(WriteHeader header) {
        WriteHeader next = WriteHeader.newBuilder()
                .setHandle(header.getHandle())
                .addAllDownstream(header.getDownstreamList().subList(1, header.getDownstreamCount()))
                .setFirstPieceBytes(header.getFirstPieceBytes())
                .build();
        return WriteChunkRequest.newBuilder().setHeader(next).build();
    }

    public static WriteChunkRequest end(long sizeBytes) {
        return WriteChunkRequest.newBuilder().setEnd(WriteEnd.newBuilder().setSizeBytes(sizeBytes)).build();
    }

    public static WriteChunkResponse written(ChunkHandle handle, long sizeBytes, List<String> replicas) {
        return WriteChunkResponse.newBuilder()
                .setHandle(handle.value())
                .setSizeBytes(sizeBytes)
                .addAllReplicas(replicas)
                .build();
    }

    /** Wraps a buffer the reader will not touch again, so the bytes are sent without a copy. */
    public static ReadChunkResponse piece(ByteBuffer verified) {
        return ReadChunkResponse.newBuilder().setData(UnsafeByteOperations.unsafeWrap(verified)).build();
    }

    public static CopyChunkResponse copied(long sizeBytes) {
        return CopyChunkResponse.newBuilder().setSizeBytes(sizeBytes).build();
    }

    public static HeartbeatResponse heartbeat(String nodeId, ChunkStore store, boolean withReport) {
        HeartbeatResponse.Builder b = HeartbeatResponse.newBuilder()
                .setChunkserverId(nodeId)
                .setCapacityBytes(store.capacityBytes())
                .setUsedBytes(store.usedBytes())
                .setChunkCount(store.chunkCount());
        if (withReport) {
            b.addAllHandles(wire(store.handles())).setChunkReport(true).addAllCorruptHandles(wire(store.corruptHandles()));
        }
        return b.build();
    }

    public static RegisterChunkServerRequest registration(String nodeId, String address, ChunkStore store) {
        return RegisterChunkServerRequest.newBuilder()
                .setId(nodeId)
                .setAddress(address)
                .setCapacityBytes(store.capacityBytes())
                .setUsedBytes(store.usedBytes())
                .addAllHandles(wire(store.handles()))
                .addAllCorruptHandles(wire(store.corruptHandles()))
                .build();
    }

    private static List<Long> wire(Set<ChunkHandle> handles) {
        List<Long> out = new ArrayList<>(handles.size());
        handles.forEach(h -> out.add(h.value()));
        return out;
    }
}
