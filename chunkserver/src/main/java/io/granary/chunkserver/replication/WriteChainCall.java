package io.granary.chunkserver.replication;

import io.granary.chunkserver.store.ChunkStore;
import io.granary.chunkserver.store.ChunkWriter;
import io.granary.chunkserver.wire.ChunkServerProtos;
import io.granary.common.GranaryException;
import io.granary.common.OverloadedException;
import io.granary.common.grpc.ChunkAccess;
import io.granary.common.grpc.GrpcErrors;
import io.granary.proto.ChunkLocation;
import io.granary.proto.WriteChunkRequest;
import io.granary.proto.WriteChunkResponse;
import io.granary.proto.WriteHeader;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WriteChunk call on one chunkserver of a replica chain (GFS §3.2): each data message is
 * forwarded to the next chunkserver as it arrives and written locally; the end marker is forwarded,
 * then the chunk committed here (so the chain's fsyncs overlap), and the answer lists every replica
 * that fsynced it.
 *
 * <p>Flow control runs end to end: the next message is requested from upstream only once the local
 * write is done and the downstream stream is ready, so a slow replica slows the writer instead of
 * filling buffers. A failed downstream is dropped (the master repairs the chunk later); a local
 * failure or a vanished client aborts here and cancels downstream. Every event runs on the call's
 * serial executor, so the state below needs no locks; the call ends exactly once, with an answer
 * whatever is thrown (an {@link Error} included).
 *
 * <p>The node's {@link WriteAdmission} is asked at the header, for a write slot and room for a first
 * piece before any piece is asked for, and at every piece larger than those before: a node at its
 * limits refuses the write at once as busy (RESOURCE_EXHAUSTED with a retry pushback), and so does a
 * chain whose replica below is busy, rather than losing a copy. Every end gives the share back.
 */
public final class WriteChainCall implements StreamObserver<WriteChunkRequest>, DownstreamWrite.Listener {
    private static final Logger log = LoggerFactory.getLogger(WriteChainCall.class);

    private enum Phase { AWAITING_HEADER, RECEIVING, AWAITING_DOWNSTREAM, DONE }

    private final String nodeId;
    private final ChunkStore store;
    private final WriteAdmission admission;
    private final Function<String, Channel> channels;
    private final Executor serial;
    private final ServerCallStreamObserver<WriteChunkResponse> upstream;
    private Phase phase = Phase.AWAITING_HEADER;
    private WriteAdmission.Ticket ticket;
    private ChunkWriter writer;
    private DownstreamWrite downstream;
    private boolean wantsMore;
    private List<String> downstreamReplicas = List.of();

    /** Whether a header may be written: its ticket, for a caller without the cluster secret. */
    private final Predicate<WriteHeader> allowed;

    private WriteChainCall(String nodeId, ChunkStore store, WriteAdmission admission,
                           Function<String, Channel> channels, Executor serial,
                           ServerCallStreamObserver<WriteChunkResponse> upstream, Predicate<WriteHeader> allowed) {
        this.nodeId = nodeId;
        this.store = store;
        this.admission = admission;
        this.channels = channels;
        this.serial = serial;
        this.upstream = upstream;
        this.allowed = allowed;
    }

    /**
     * Sets up the call; must run inside the service method, before it returns.
     *
     * @param admission the node's write budget: the call is refused at its header when no write slot is
     *                  free, and at a piece when the budget has no room for it
     * @param channels  the channel to a downstream replica's address, carrying the call's request id
     * @param serial    this call's own serial lane on the disk pool
     */
    public static StreamObserver<WriteChunkRequest> start(String nodeId, ChunkStore store, WriteAdmission admission,
                                                          Function<String, Channel> channels,
                                                          Executor serial,
                                                          ServerCallStreamObserver<WriteChunkResponse> upstream) {
        return start(nodeId, store, admission, channels, serial, upstream, header -> true);
    }

    /**
     * As {@link #start(String, ChunkStore, WriteAdmission, Function, Executor, ServerCallStreamObserver)},
     * refusing with PERMISSION_DENIED, before anything is opened, a header that {@code allowed} refuses
     * (the chunk access ticket of a caller without the cluster secret).
     */
    public static StreamObserver<WriteChunkRequest> start(String nodeId, ChunkStore store, WriteAdmission admission,
                                                          Function<String, Channel> channels,
                                                          Executor serial,
                                                          ServerCallStreamObserver<WriteChunkResponse> upstream,
                                                          Predicate<WriteHeader> allowed) {
        WriteChainCall call = new WriteChainCall(nodeId, store, admission, channels, serial, upstream, allowed);
        upstream.disableAutoRequest();
        // Set so that answering a cancelled call is a no-op; the cancel itself also arrives as
        // onError, except after half-close, which this handler covers.
        upstream.setOnCancelHandler(() -> serial.execute(() -> call.upstreamGone(Status.CANCELLED.asException())));
        serial.execute(() -> call.guarded(call::requestNext));
        return call;
    }

    @Override
    public void onNext(WriteChunkRequest message) {
        serial.execute(() -> guarded(() -> receive(message)));
    }

    @Override
    public void onError(Throwable failure) {
        serial.execute(() -> upstreamGone(failure));
    }

    @Override
    public void onCompleted() {
        serial.execute(() -> guarded(this::halfClosed));
    }

    private void receive(WriteChunkRequest message) {
        if (phase == Phase.DONE) {
            return;
        }
        switch (message.getKindCase()) {
            case HEADER -> header(message.getHeader());
            case DATA -> data(message);
            case END -> end(message.getEnd().getSizeBytes());
            default -> throw GranaryException.invalid("a WriteChunk message must hold a header, data or an end marker");
        }
    }

    private void header(WriteHeader header) {
        expect(Phase.AWAITING_HEADER, "the header must come first, and once");
        if (!allowed.test(header)) {
            throw ChunkAccess.refusal(header.getHandle(), header.getAccess());
        }
        // Before anything is opened, so a refusal costs nothing; and before the first piece is asked
        // for, since gRPC gathers an asked-for message in direct memory whether or not it then fits.
        ticket = admission.admit();
        ticket.hold(WriteAdmission.firstPieceBytes(header.getFirstPieceBytes()), header.getDownstreamCount() > 0 ? 2 : 1);
        writer = store.create(ChunkServerProtos.handle(header.getHandle()));
        phase = Phase.RECEIVING;
        if (header.getDownstreamCount() > 0) {
            openDownstream(header);
        }
        log.debug("{}: receiving chunk {}, {} replicas downstream", nodeId, writer.handle(), header.getDownstreamCount());
        requestNext();
    }

    private void openDownstream(WriteHeader header) {
        ChunkLocation next = header.getDownstream(0);
        String target = next.getChunkserverId() + "@" + next.getAddress();
        try {
            downstream = DownstreamWrite.open(channels.apply(next.getAddress()), target,
                    ChunkServerProtos.forwardedHeader(header), serial, this);
        } catch (RuntimeException e) { // e.g. an address no channel can be built for: write locally only
            log.warn("{}: chunk {}: cannot reach replica {} ({}); going on without the rest of the chain", nodeId,
                    writer.handle(), target, e.getMessage());
        }
    }

    private void data(WriteChunkRequest message) {
        expect(Phase.RECEIVING, "data must come after the header and before the end marker");
        // Grows the reservation only for a piece larger than all before it; the reservation then
        // covers the next piece too, which is asked for once this one is on disk and drained downstream.
        ticket.hold(message.getData().size(), downstream != null ? 2 : 1);
        if (downstream != null) {
            downstream.send(message); // first, so the next replica's disk works while ours does
        }
        for (ByteBuffer piece : message.getData().asReadOnlyByteBufferList()) {
            writer.write(piece);
        }
        requestNext();
    }

    private void end(long sizeBytes) {
        expect(Phase.RECEIVING, "the end marker must come after the header, and once");
        if (downstream != null) {
            // Forward first, so the replicas below fsync while this one does instead of one after
            // another. The answer still waits for both; should the local commit fail, the call fails
            // and the copies below become garbage that the master collects.
            phase = Phase.AWAITING_DOWNSTREAM;
            downstream.finish(ChunkServerProtos.end(sizeBytes));
        }
        writer.commit(sizeBytes);
        if (downstream == null && phase == Phase.RECEIVING) {
            respond();
        }
    }

    private void halfClosed() {
        if (phase == Phase.AWAITING_HEADER || phase == Phase.RECEIVING) {
            throw GranaryException.invalid("the WriteChunk stream ended without an end marker");
        }
    }

    private void requestNext() {
        if (phase == Phase.DONE) {
            return;
        }
        wantsMore = downstream != null && !downstream.isReady();
        if (!wantsMore) {
            upstream.request(1);
        }
    }

    @Override
    public void downstreamReady(DownstreamWrite source) {
        guarded(() -> {
            if (source == downstream && wantsMore) {
                requestNext();
            }
        });
    }

    @Override
    public void downstreamDone(DownstreamWrite source, List<String> replicas) {
        guarded(() -> downstreamAnswered(source, replicas));
    }

    @Override
    public void downstreamFailed(DownstreamWrite source, Throwable failure) {
        guarded(() -> downstreamLost(source, failure));
    }

    private void downstreamAnswered(DownstreamWrite source, List<String> replicas) {
        if (source != downstream) {
            return;
        }
        downstream = null;
        downstreamReplicas = replicas;
        if (phase == Phase.AWAITING_DOWNSTREAM) {
            respond();
        }
    }

    private void downstreamLost(DownstreamWrite source, Throwable failure) {
        if (source != downstream) {
            return; // one we dropped or cancelled already
        }
        downstream = null;
        if (GrpcErrors.fromStatus(failure) instanceof OverloadedException busy) {
            // A full replica below sheds load for the whole chain: the writer retries later, rather than
            // the chunk silently losing a copy.
            source.cancel("the chain is refused");
            failLocally(busy);
            return;
        }
        log.warn("{}: chunk {}: replica {} failed ({}); going on without the rest of the chain", nodeId,
                writer.handle(), source.target(), describe(failure));
        source.cancel("dropped from the chain");
        if (phase == Phase.AWAITING_DOWNSTREAM) {
            respond();
        } else if (wantsMore) {
            requestNext();
        }
    }

    private void respond() {
        phase = Phase.DONE;
        ticket.close();
        List<String> replicas = new ArrayList<>(1 + downstreamReplicas.size());
        replicas.add(nodeId);
        replicas.addAll(downstreamReplicas);
        log.debug("{}: chunk {} written, {} bytes, replicas {}", nodeId, writer.handle(), writer.bytesWritten(), replicas);
        upstream.onNext(ChunkServerProtos.written(writer.handle(), writer.bytesWritten(), replicas));
        upstream.onCompleted();
    }

    /**
     * Runs one event's work; any failure, an {@link Error} too (an OutOfMemoryError while queueing a
     * piece downstream, say), ends the call with a status and releases what it holds, so the writer
     * is never left waiting for an answer.
     */
    private void guarded(Runnable step) {
        try {
            step.run();
        } catch (Throwable e) {
            failLocally(e);
        }
    }

    private void failLocally(Throwable failure) {
        if (phase == Phase.DONE) {
            return;
        }
        try {
            abortAll("failed upstream: " + failure.getMessage());
        } finally {
            upstream.onError(GrpcErrors.toStatus(failure));
        }
    }

    private void upstreamGone(Throwable failure) {
        if (phase == Phase.DONE) {
            return;
        }
        log.info("{}: writer of chunk {} went away ({}); aborting", nodeId,
                writer != null ? writer.handle() : "?", describe(failure));
        abortAll("the writer went away");
    }

    private void abortAll(String why) {
        phase = Phase.DONE;
        if (ticket != null) {
            ticket.close();
        }
        if (writer != null) {
            writer.abort(); // a no-op once committed
        }
        if (downstream != null) {
            downstream.cancel(why);
            downstream = null;
        }
    }

    /** Code and description only: a Status's own text carries its cause's stack trace. */
    private static String describe(Throwable failure) {
        Status status = Status.fromThrowable(failure);
        return status.getDescription() == null ? status.getCode().toString()
                : status.getCode() + ": " + status.getDescription();
    }

    private void expect(Phase expected, String rule) {
        if (phase != expected) {
            throw GranaryException.invalid("out of order: " + rule);
        }
    }
}
