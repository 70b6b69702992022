package io.granary.master.testing;

import io.granary.proto.ChunkServerServiceGrpc;
import io.granary.proto.CopyChunkRequest;
import io.granary.proto.CopyChunkResponse;
import io.granary.proto.HeartbeatRequest;
import io.granary.proto.HeartbeatResponse;
import io.granary.proto.MasterServiceGrpc.MasterServiceBlockingStub;
import io.granary.proto.RegisterChunkServerRequest;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A chunkserver's heartbeat side, in process, for master tests: it holds a set of handles (no bytes),
 * deletes what the master orders, reports when asked, and can be told to stop answering.
 */
public final class FakeChunkServer extends ChunkServerServiceGrpc.ChunkServerServiceImplBase implements AutoCloseable {
    private final String id;
    private final String address;
    private final long capacityBytes;
    private final Set<Long> handles = new ConcurrentSkipListSet<>();
    private final List<HeartbeatRequest> heartbeats = new CopyOnWriteArrayList<>();
    private final Server server;
    private volatile boolean answering = true;
    private volatile boolean copying;

    /** Serves under the in-process name {@code address}. */
    public FakeChunkServer(String id, String address, long capacityBytes) {
        this.id = id;
        this.address = address;
        this.capacityBytes = capacityBytes;
        try {
            this.server = InProcessServerBuilder.forName(address).directExecutor().addService(this).build().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void heartbeat(HeartbeatRequest request, StreamObserver<HeartbeatResponse> observer) {
        if (!answering) {
            observer.onError(Status.UNAVAILABLE.withDescription(id + " is unplugged").asRuntimeException());
            return;
        }
        heartbeats.add(request);
        request.getDeleteHandlesList().forEach(handles::remove);
        HeartbeatResponse.Builder response = HeartbeatResponse.newBuilder()
                .setChunkserverId(id)
                .setCapacityBytes(capacityBytes)
                .setUsedBytes(0)
                .setChunkCount(handles.size())
                .setChunkReport(request.getWantChunkReport());
        if (request.getWantChunkReport()) {
            response.addAllHandles(handles);
        }
        observer.onNext(response.build());
        observer.onCompleted();
    }

    /** Refused (UNIMPLEMENTED) unless {@link #setCopying} allowed it; then it holds the handle from then on. */
    @Override
    public void copyChunk(CopyChunkRequest request, StreamObserver<CopyChunkResponse> observer) {
        if (!copying || !answering) {
            observer.onError(Status.UNIMPLEMENTED.withDescription(id + " copies nothing").asRuntimeException());
            return;
        }
        handles.add(request.getHandle());
        observer.onNext(CopyChunkResponse.newBuilder().setSizeBytes(1).build());
        observer.onCompleted();
    }

    /** Whether it carries out the master's copy orders (as if the bytes came from the source). */
    public void setCopying(boolean value) {
        copying = value;
    }

    /** Registers with the master, reporting the handles held. */
    public void register(MasterServiceBlockingStub master) {
        master.registerChunkServer(RegisterChunkServerRequest.newBuilder()
                .setId(id).setAddress(address).setCapacityBytes(capacityBytes).addAllHandles(handles).build());
    }

    public void hold(Collection<Long> values) {
        handles.addAll(values);
    }

    public Set<Long> handles() {
        return Set.copyOf(handles);
    }

    public List<HeartbeatRequest> heartbeats() {
        return List.copyOf(heartbeats);
    }

    /** Whether it answers heartbeats; unplugged, it fails them like a crashed or partitioned server. */
    public void setAnswering(boolean value) {
        answering = value;
    }

    public String id() {
        return id;
    }

    public String address() {
        return address;
    }

    @Override
    public void close() {
        server.shutdownNow();
    }
}
