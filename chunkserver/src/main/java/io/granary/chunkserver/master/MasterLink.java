package io.granary.chunkserver.master;

import io.granary.common.NamedThreadFactory;
import io.granary.proto.MasterServiceGrpc;
import io.granary.common.ChunkHandle;
import io.granary.proto.RegisterChunkServerRequest;
import io.granary.proto.ReportBadReplicaRequest;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.grpc.Channel;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * This chunkserver's side of its relationship with the master: registering at start, and again
 * whenever the master stops heartbeating us (see {@link RegistrationTask}). Never blocks its
 * caller: the work runs on its own named scheduler thread. Thread-safe.
 */
public final class MasterLink implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MasterLink.class);
    /** A report that takes longer is dropped: the scrubber finds the damage again. */
    private static final long REPORT_DEADLINE_MS = 5_000;

    private final String nodeId;
    private final ScheduledExecutorService scheduler;
    private final RegistrationTask task;
    private final MasterServiceGrpc.MasterServiceBlockingStub reports;

    /**
     * @param registration builds the current registration (id, address, space, chunk report) on
     *     every attempt, so a re-registration reports the chunks as they are then
     */
    public MasterLink(String nodeId, String masterAddress, Channel masterChannel,
                      Supplier<RegisterChunkServerRequest> registration) {
        this.nodeId = nodeId;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(new NamedThreadFactory(nodeId + "-master-link"));
        this.reports = MasterServiceGrpc.newBlockingStub(masterChannel);
        this.task = new RegistrationTask(nodeId, masterAddress, MasterServiceGrpc.newBlockingStub(masterChannel),
                registration, scheduler, System::nanoTime);
    }

    /** Starts registering in the background; returns at once. */
    public void start() {
        scheduler.execute(task);
    }

    /** Records that the master heartbeated us, which proves it still knows us. */
    public void heartbeatReceived() {
        task.heartbeatReceived();
    }

    /** Whether the last registration succeeded and the master has not gone silent since. */
    public boolean registered() {
        return task.registered();
    }

    /**
     * Tells the master that our replica of a chunk failed its checksum, in the background; returns at
     * once. A report that fails is only logged: the next read or scrub of the replica reports again.
     */
    public void reportBadReplica(ChunkHandle handle) {
        try {
            scheduler.execute(() -> sendReport(handle));
        } catch (RejectedExecutionException e) {
            log.debug("{}: not reporting chunk {}: shutting down", nodeId, handle);
        }
    }

    private void sendReport(ChunkHandle handle) {
        try {
            reports.withDeadlineAfter(REPORT_DEADLINE_MS, TimeUnit.MILLISECONDS)
                    .reportBadReplica(ReportBadReplicaRequest.newBuilder()
                            .setHandle(handle.value()).setChunkserverId(nodeId).setReporter(nodeId).build());
            log.info("{}: reported our corrupt replica of chunk {} to the master", nodeId, handle);
        } catch (StatusRuntimeException e) {
            log.warn("{}: could not report corrupt chunk {} to the master: {}", nodeId, handle, e.getStatus());
        }
    }

    /** Stops registering, interrupting a registration in flight. Idempotent. */
    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
