package io.granary.master.cluster;

import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.granary.common.MonotonicClock;
import io.granary.common.grpc.GrpcErrors;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One round of repair, run every heartbeat interval once safe mode is over: plans with the
 * {@link RepairPlanner}, queues the deletions for the next heartbeats and starts the copies,
 * chunkserver to chunkserver. A repair episode lasts from the first round that finds work to the
 * first round that finds none left; its end is logged as "repaired N chunk(s) in X ms". Never throws,
 * so the schedule never stops. Thread-safe: rounds run one at a time; copy outcomes arrive on
 * {@code replies}.
 */
public final class RepairTask implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(RepairTask.class);

    private final String masterId;
    private final RepairPlanner planner;
    private final CopyTracker copies;
    private final ChunkLocations locations;
    private final CorruptReplicas corrupt;
    private final DeleteQueue deletes;
    private final SafeMode safeMode;
    private final ChunkServerClient client;
    private final Duration copyDeadline;
    private final Executor replies;
    private final MonotonicClock clock;
    private volatile RepairPlan last = new RepairPlan(List.of(), List.of(), 0, 0, 0, 0);
    private boolean inEpisode;
    private long episodeStartMs;
    private int repairedInEpisode;
    private int trimmedInEpisode;

    public RepairTask(String masterId, RepairPlanner planner, CopyTracker copies, ChunkLocations locations,
                      CorruptReplicas corrupt, DeleteQueue deletes, SafeMode safeMode, ChunkServerClient client,
                      Duration copyDeadline, Executor replies, MonotonicClock clock) {
        this.masterId = masterId;
        this.planner = planner;
        this.copies = copies;
        this.locations = locations;
        this.corrupt = corrupt;
        this.deletes = deletes;
        this.safeMode = safeMode;
        this.client = client;
        this.copyDeadline = copyDeadline;
        this.replies = replies;
        this.clock = clock;
    }

    @Override
    public void run() {
        try {
            if (safeMode.check()) {
                return; // locations are still being learned: a repair now could copy or delete wrongly
            }
            RepairPlan plan = planner.plan();
            last = plan;
            track(plan);
            plan.deletes().forEach(this::delete);
            plan.copies().forEach(this::copy);
        } catch (RuntimeException | Error e) {
            log.warn("{}: repair round failed; next round as scheduled", masterId, e);
        }
    }

    /** The last round's plan, for the cluster counts. */
    public RepairPlan lastPlan() {
        return last;
    }

    private void delete(RepairPlan.Delete delete) {
        locations.remove(delete.serverId(), List.of(delete.handle()));
        corrupt.remove(delete.handle(), delete.serverId());
        deletes.add(delete.serverId(), List.of(delete.handle()));
        log.debug("{}: deleting the {} replica of chunk {} on {}", masterId, delete.corrupt() ? "corrupt" : "surplus",
                delete.handle(), delete.serverId());
        synchronized (this) {
            trimmedInEpisode++;
        }
    }

    private void copy(RepairPlan.Copy copy) {
        log.debug("{}: copying chunk {} ({} good replica(s)) from {} to {}{}", masterId, copy.handle(),
                copy.goodReplicas(), copy.source().id(), copy.target().id(),
                copy.replace() ? ", over its bad replica there" : "");
        try {
            client.copyChunk(copy.target().address(), copy.handle(), copy.source().id(), copy.source().address(),
                            copy.replace(), copyDeadline)
                    .whenCompleteAsync((size, failure) -> copied(copy, failure), replies);
        } catch (RuntimeException | Error e) {
            copied(copy, e);
        }
    }

    private void copied(RepairPlan.Copy copy, Throwable failure) {
        try {
            GranaryException error = failure == null ? null : GrpcErrors.fromStatus(failure);
            // ALREADY_EXISTS: the target holds the chunk but had not reported it yet; that is a copy too.
            if (error == null || error.kind() == ErrorKind.ALREADY_EXISTS) {
                // a bad replica on the target was replaced by this copy: the target's replica is good now
                corrupt.remove(copy.handle(), copy.target().id());
                locations.add(copy.handle(), List.of(copy.target().id()));
                synchronized (this) {
                    repairedInEpisode++;
                }
            } else {
                log.warn("{}: copying chunk {} from {} to {} failed, will retry: {}", masterId, copy.handle(),
                        copy.source().id(), copy.target().id(), error.getMessage());
            }
        } finally {
            copies.finish(copy.handle(), copy.source().id(), copy.target().id());
        }
    }

    private synchronized void track(RepairPlan plan) {
        boolean work = plan.repairable() > 0 || copies.running() > 0 || !plan.deletes().isEmpty();
        long now = clock.millis();
        if (work && !inEpisode) {
            log.info("{}: {} chunk(s) need a copy ({} missing with nothing to copy from), {} replica(s) to delete",
                    masterId, plan.repairable(), plan.missing(), plan.deletes().size());
            inEpisode = true;
            episodeStartMs = now;
            repairedInEpisode = 0;
            trimmedInEpisode = 0;
        } else if (!work && inEpisode) {
            if (repairedInEpisode > 0) {
                log.info("{}: repaired {} chunks in {} ms", masterId, repairedInEpisode, now - episodeStartMs);
            }
            if (trimmedInEpisode > 0) {
                log.info("{}: deleted {} surplus or corrupt replica(s) in {} ms", masterId, trimmedInEpisode,
                        now - episodeStartMs);
            }
            inEpisode = false;
        }
    }
}
