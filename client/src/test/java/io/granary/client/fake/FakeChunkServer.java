package io.granary.client.fake;

import com.google.protobuf.ByteString;
import io.granary.proto.ChunkLocation;
import io.granary.proto.ChunkServerServiceGrpc;
import io.granary.proto.ReadChunkRequest;
import io.granary.proto.ReadChunkResponse;
import io.granary.proto.WriteChunkRequest;
import io.granary.proto.WriteChunkResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A chunkserver that keeps chunk bytes in test memory. Reads honour gRPC flow control (they send only
 * while the client has asked for more) and can be made to fail; writes can be held back.
 */
public final class FakeChunkServer extends ChunkServerServiceGrpc.ChunkServerServiceImplBase {

    /**
     * What a read does once it has sent {@code afterBytes} bytes: fail with {@code status}, or, when
     * status is null, end the stream early ({@code stall} false) or stop sending without ending it.
     */
    public record ReadFault(long afterBytes, Status status, boolean stall) {
        public static ReadFault failAfter(long bytes, Status status) {
            return new ReadFault(bytes, status, false);
        }

        public static ReadFault endEarlyAfter(long bytes) {
            return new ReadFault(bytes, null, false);
        }

        public static ReadFault stallAfter(long bytes) {
            return new ReadFault(bytes, null, true);
        }
    }

    public final String id;
    public final String address;
    public final Map<Long, byte[]> chunks = new ConcurrentHashMap<>();
    /** Every ReadChunk request received, in order. */
    public final List<ReadChunkRequest> reads = new CopyOnWriteArrayList<>();
    /** Bytes sent by all reads. */
    public final AtomicLong bytesSent = new AtomicLong();
    /** Reads the client cancelled. */
    public final AtomicInteger cancelledReads = new AtomicInteger();
    /**
     * Reads whose client had already asked for a second message when the first was handed over: the
     * call was still ready right after it, before the client could have seen the first one.
     */
    public final AtomicInteger readsAskedAhead = new AtomicInteger();
    /** Reads that have neither ended nor been cancelled. */
    public final AtomicInteger openReads = new AtomicInteger();
    /** Largest data message received by a write. */
    public final AtomicInteger largestWriteMessage = new AtomicInteger();
    /** Bytes received by writes so far. */
    public final AtomicLong bytesWritten = new AtomicLong();

    volatile boolean alive = true;
    private final FakeCluster cluster;
    private final List<ServerCallStreamObserver<WriteChunkResponse>> heldWrites = new CopyOnWriteArrayList<>();
    private volatile int readMessageBytes = 16 * 1024;
    private volatile ReadFault readFault;
    private volatile StatusRuntimeException writeFailure;
    /** How many more writes {@link #writeFailure} fails. */
    private final AtomicInteger writeFailuresLeft = new AtomicInteger();
    private volatile boolean silentWrites;
    private volatile boolean holdAnswers;
    private final List<Runnable> heldAnswers = new CopyOnWriteArrayList<>();
    /** End markers received, answered or not. */
    public final AtomicInteger endsReceived = new AtomicInteger();
    private volatile Integer writeWindow;

    FakeChunkServer(FakeCluster cluster, String id, String address) {
        this.cluster = cluster;
        this.id = id;
        this.address = address;
    }

    public ChunkLocation location() {
        return ChunkLocation.newBuilder().setChunkserverId(id).setAddress(address).build();
    }

    public void readMessageBytes(int bytes) {
        this.readMessageBytes = bytes;
    }

    /** Applies {@code fault} to every later read; {@code null} heals it. */
    public void failReads(ReadFault fault) {
        this.readFault = fault;
    }

    /** Makes every later write fail with {@code status} once its end marker arrives. */
    public void failWrites(Status status) {
        failWrites(status.asRuntimeException());
    }

    /** The same with a status that carries trailers (a busy node's retry pushback, say). */
    public void failWrites(StatusRuntimeException failure) {
        failWrites(failure, Integer.MAX_VALUE);
    }

    /** Makes the next {@code times} writes fail with {@code failure} once their end marker arrives; later ones succeed. */
    public void failWrites(StatusRuntimeException failure, int times) {
        writeFailuresLeft.set(times);
        this.writeFailure = failure;
    }

    /** Later writes take every message but never answer the end marker, as a hung disk would. */
    public void neverAnswerWrites() {
        this.silentWrites = true;
    }

    /** Later writes keep their answer to the end marker, as a slow commit would, until {@link #releaseAnswers()}. */
    public void holdAnswers() {
        holdAnswers = true;
    }

    /** Answers the held end markers, and later ones at once. */
    public synchronized void releaseAnswers() {
        holdAnswers = false;
        heldAnswers.forEach(Runnable::run);
        heldAnswers.clear();
    }

    /** Later writes take only {@code messages} messages until {@link #releaseWrites()}. */
    public void holdWritesAfter(int messages) {
        this.writeWindow = messages;
    }

    public void releaseWrites() {
        writeWindow = null;
        heldWrites.forEach(call -> call.request(Integer.MAX_VALUE));
    }

    public void markDead() {
        alive = false;
    }

    @Override
    public StreamObserver<WriteChunkRequest> writeChunk(StreamObserver<WriteChunkResponse> responses) {
        ServerCallStreamObserver<WriteChunkResponse> call = (ServerCallStreamObserver<WriteChunkResponse>) responses;
        Integer window = writeWindow;
        if (window != null) {
            call.disableAutoRequest();
            call.request(window);
            heldWrites.add(call);
        }
        return new WriteSink(call);
    }

    @Override
    public void readChunk(ReadChunkRequest request, StreamObserver<ReadChunkResponse> responses) {
        reads.add(request);
        byte[] chunk = chunks.get(request.getHandle());
        if (chunk == null) {
            responses.onError(Status.NOT_FOUND.withDescription("no chunk " + request.getHandle()).asRuntimeException());
            return;
        }
        long end = request.getLength() == 0 ? chunk.length : request.getOffset() + request.getLength();
        if (request.getOffset() < 0 || end > chunk.length || request.getOffset() > end) {
            responses.onError(Status.INVALID_ARGUMENT.withDescription("range outside the chunk").asRuntimeException());
            return;
        }
        openReads.incrementAndGet();
        ReadPump pump = new ReadPump((ServerCallStreamObserver<ReadChunkResponse>) responses, chunk,
                (int) request.getOffset(), (int) end, readFault, readMessageBytes);
        pump.call.setOnCancelHandler(pump::cancelled);
        pump.call.setOnReadyHandler(pump::pump);
        pump.pump();
    }

    /** Sends a chunk range while the client asks for more, applying a fault at its point. */
    private final class ReadPump {
        final ServerCallStreamObserver<ReadChunkResponse> call;
        private final byte[] chunk;
        private final int end;
        private final ReadFault fault;
        private final int messageBytes;
        private int position;
        private long sent;
        private boolean done;

        ReadPump(ServerCallStreamObserver<ReadChunkResponse> call, byte[] chunk, int from, int end, ReadFault fault,
                 int messageBytes) {
            this.call = call;
            this.chunk = chunk;
            this.position = from;
            this.end = end;
            this.fault = fault;
            this.messageBytes = messageBytes;
        }

        synchronized void pump() {
            while (!done && call.isReady() && position < end) {
                if (fault != null && sent >= fault.afterBytes()) {
                    applyFault();
                    return;
                }
                long limit = fault == null ? Long.MAX_VALUE : fault.afterBytes() - sent;
                int n = (int) Math.min(Math.min(messageBytes, end - position), limit);
                call.onNext(ReadChunkResponse.newBuilder().setData(ByteString.copyFrom(chunk, position, n)).build());
                if (sent == 0 && call.isReady()) {
                    readsAskedAhead.incrementAndGet();
                }
                position += n;
                sent += n;
                bytesSent.addAndGet(n);
            }
            if (!done && position == end) {
                finish();
                call.onCompleted();
            }
        }

        synchronized void cancelled() {
            if (!done) {
                cancelledReads.incrementAndGet();
                finish();
            }
        }

        private void applyFault() {
            if (fault.stall()) {
                return;
            }
            finish();
            if (fault.status() != null) {
                call.onError(fault.status().asRuntimeException());
            } else {
                call.onCompleted();
            }
        }

        private void finish() {
            done = true;
            openReads.decrementAndGet();
        }
    }

    /** Collects one chunk's bytes; on the end marker stores them here and on the rest of the chain. */
    private final class WriteSink implements StreamObserver<WriteChunkRequest> {
        private final ServerCallStreamObserver<WriteChunkResponse> call;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private long handle;
        private List<ChunkLocation> downstream = List.of();

        WriteSink(ServerCallStreamObserver<WriteChunkResponse> call) {
            this.call = call;
        }

        @Override
        public void onNext(WriteChunkRequest message) {
            switch (message.getKindCase()) {
                case HEADER -> {
                    handle = message.getHeader().getHandle();
                    downstream = message.getHeader().getDownstreamList();
                }
                case DATA -> {
                    bytes.writeBytes(message.getData().toByteArray());
                    largestWriteMessage.accumulateAndGet(message.getData().size(), Math::max);
                    bytesWritten.addAndGet(message.getData().size());
                }
                case END -> end(message.getEnd().getSizeBytes());
                default -> call.onError(Status.INVALID_ARGUMENT.withDescription("empty message").asRuntimeException());
            }
        }

        @Override
        public void onError(Throwable t) {
            // The writer gave up: nothing is stored.
        }

        @Override
        public void onCompleted() {
        }

        private void end(long size) {
            endsReceived.incrementAndGet();
            synchronized (FakeChunkServer.this) {
                if (holdAnswers) {
                    heldAnswers.add(() -> answer(size));
                    return;
                }
            }
            answer(size);
        }

        private void answer(long size) {
            StatusRuntimeException failure = writeFailure;
            if (failure != null && writeFailuresLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
                call.onError(failure);
                return;
            }
            if (silentWrites) {
                return;
            }
            if (size != bytes.size()) {
                call.onError(Status.INVALID_ARGUMENT.withDescription("size mismatch").asRuntimeException());
                return;
            }
            byte[] content = bytes.toByteArray();
            chunks.put(handle, content);
            WriteChunkResponse.Builder answer = WriteChunkResponse.newBuilder()
                    .setHandle(handle).setSizeBytes(size).addReplicas(id);
            for (ChunkLocation next : downstream) {
                cluster.chunkserverAt(next.getAddress()).chunks.put(handle, content);
                answer.addReplicas(next.getChunkserverId());
            }
            call.onNext(answer.build());
            call.onCompleted();
        }
    }
}
