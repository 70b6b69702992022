package io.granary.chunkserver.master;

import io.granary.common.NamedThreadFactory;
import io.granary.proto.MasterServiceGrpc;
import io.granary.proto.RegisterChunkServerRequest;
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
    private final ScheduledExecutorService scheduler;
    private final RegistrationTask task;

    /**
     * @param registration builds the current registration (id, address, space, chunk report) on
     *     every attempt, so a re-registration reports the chunks as they are then
     */
    public MasterLink(String nodeId, String masterAddress, Channel masterChannel,
                      Supplier<RegisterChunkServerRequest> registration) {
        this.scheduler = Executors.newSingleThreadScheduledExecutor(new NamedThreadFactory(nodeId + "-master-link"));
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

    /** Stops registering, interrupting a registration in flight. Idempotent. */
    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
