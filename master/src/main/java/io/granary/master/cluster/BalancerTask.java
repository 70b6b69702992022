package io.granary.master.cluster;

import io.granary.common.ByteSize;
import io.granary.common.ChunkHandle;
import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.granary.common.MonotonicClock;
import io.granary.common.grpc.GrpcErrors;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One round of balancing, run every heartbeat interval when the balancer is enabled: plans with the
 * {@link BalancePlanner} and moves replicas, each as a copy from the fuller chunkserver to the emptier
 * one followed, once the copy is durable there, by the deletion of the fuller one's replica. A chunk
 * never has fewer good replicas in service during a move than before it: the source's replica is
 * deleted only while the others, the new one included, hold the chunk's whole replication (else it
 * stays, and the repair rounds trim a surplus later).
 *
 * <p>Repairs come first: no move starts in safe mode or while the last repair round found a chunk to
 * copy, and moves take their copy slots from the same {@link CopyTracker}. The moves' bytes are
 * throttled to the configured bandwidth, counted at the source's average chunk size when they start
 * and corrected by the size copied; a chunkserver's usage counts its moves until its heartbeats can
 * show them, and the cluster is reported balanced only once they do.
 *
 * <p>Copy outcomes must arrive on {@code outcomes}, the executor the repair rounds run on, so that a
 * repair round never sees a move half applied (the new replica counted but the old one not yet
 * gone, say, and trims a third). Never throws, so the schedule never stops.
 */
public final class BalancerTask implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(BalancerTask.class);
    /** Heartbeats answered after a move before its source's and target's usage surely shows it. */
    private static final int SETTLE_HEARTBEATS = 2;

    private final String masterId;
    private final BalancerSettings settings;
    private final BalancePlanner planner;
    private final RepairTask repairs;
    private final CopyTracker copies;
    private final ChunkLocations locations;
    private final ReplicationIndex replication;
    private final CorruptReplicas corrupt;
    private final ChunkServerRegistry registry;
    private final Decommissions decommissions;
    private final DeleteQueue deletes;
    private final SafeMode safeMode;
    private final ChunkServerClient client;
    private final Duration copyDeadline;
    private final Executor outcomes;
    private final MonotonicClock clock;
    private final long maxAllowance;
    /** Bytes moving to (positive) or from (negative) chunkservers that their reported usage may not show yet. */
    private final List<Pending> pending = new ArrayList<>();
    private long allowance;
    private long movesInFlight;
    private long lastRefillMs;
    private long chunksMoved;
    private long bytesMoved;
    private volatile BalancerStatus status;

    /**
     * @param interval how often a round runs: the most bytes the throttle saves up is one round's worth
     * @param outcomes where copy outcomes are handled: the repair rounds' executor
     */
    public BalancerTask(String masterId, BalancerSettings settings, BalancePlanner planner, RepairTask repairs,
                        CopyTracker copies, ChunkLocations locations, ReplicationIndex replication,
                        CorruptReplicas corrupt, ChunkServerRegistry registry, Decommissions decommissions,
                        DeleteQueue deletes, SafeMode safeMode, ChunkServerClient client, Duration copyDeadline,
                        Duration interval, Executor outcomes, MonotonicClock clock) {
        this.masterId = masterId;
        this.settings = settings;
        this.planner = planner;
        this.repairs = repairs;
        this.copies = copies;
        this.locations = locations;
        this.replication = replication;
        this.corrupt = corrupt;
        this.registry = registry;
        this.decommissions = decommissions;
        this.deletes = deletes;
        this.safeMode = safeMode;
        this.client = client;
        this.copyDeadline = copyDeadline;
        this.outcomes = outcomes;
        this.clock = clock;
        this.maxAllowance = Math.max(settings.bandwidthBytesPerSecond(),
                settings.bandwidthBytesPerSecond() / 1000 * Math.max(1, interval.toMillis()));
        this.lastRefillMs = clock.millis();
        this.status = settings.enabled() ? waiting("not run yet") : BalancerStatus.off(settings);
    }

    @Override
    public void run() {
        if (!settings.enabled()) {
            return;
        }
        try {
            round();
        } catch (RuntimeException | Error e) {
            log.warn("{}: balancer round failed; next round as scheduled", masterId, e);
        }
    }

    /** The balancer's state as of its last round. */
    public BalancerStatus status() {
        return status;
    }

    private synchronized void round() {
        refill();
        if (safeMode.check()) {
            status = waiting("safe mode: " + safeMode.detail());
            return;
        }
        RepairPlan repair = repairs.lastPlan();
        if (repair.repairable() > 0) {
            status = waiting(repair.repairable() + " chunk(s) to repair first");
            return;
        }
        BalancePlan plan = planner.plan(allowance, pendingBytes());
        for (BalancePlan.Move move : plan.moves()) {
            allowance -= move.bytes();
            start(move);
        }
        // balanced once the chunkservers' own usage shows it, not the moves' estimates
        BalancerStatus.State state = plan.outside().isEmpty() && pending.isEmpty()
                ? BalancerStatus.State.BALANCED : BalancerStatus.State.BALANCING;
        if (state != status.state()) {
            log.info("{}: balancer {}: average usage {}%, {} chunkserver(s) outside {} points of it; {} replica(s) "
                            + "moved ({}) since this master became active", masterId, state.wireName(),
                    percent(plan.average()), plan.outside().size(), settings.thresholdPercent(), chunksMoved,
                    ByteSize.format(bytesMoved));
        }
        status = new BalancerStatus(state, settings, plan.average(), plan.outside(), movesInFlight, chunksMoved,
                bytesMoved, plan.detail());
    }

    private void refill() {
        long now = clock.millis();
        long earned = (long) Math.min((double) maxAllowance,
                (double) settings.bandwidthBytesPerSecond() * (now - lastRefillMs) / 1000);
        allowance = Math.min(maxAllowance, allowance + earned);
        lastRefillMs = now;
        pending.removeIf(p -> !registry.isLive(p.serverId) || registry.answeredHeartbeats(p.serverId) >= p.settledAt);
    }

    private Map<String, Long> pendingBytes() {
        Map<String, Long> out = new HashMap<>();
        pending.forEach(p -> out.merge(p.serverId, p.bytes, Long::sum));
        return out;
    }

    private void start(BalancePlan.Move move) {
        Pending in = new Pending(move.target().id(), move.bytes());
        Pending out = new Pending(move.source().id(), -move.bytes());
        pending.add(in);
        pending.add(out);
        movesInFlight++;
        log.debug("{}: moving chunk {} from {} to {}", masterId, move.handle(), move.source().id(), move.target().id());
        try {
            client.copyChunk(move.target().address(), move.handle(), move.source().id(), move.source().address(),
                            false, copyDeadline)
                    .whenCompleteAsync((size, failure) -> copied(move, in, out, size, failure), outcomes);
        } catch (RuntimeException | Error e) {
            copied(move, in, out, null, e);
        }
    }

    private synchronized void copied(BalancePlan.Move move, Pending in, Pending out, Long size, Throwable failure) {
        try {
            GranaryException error = failure == null ? null : GrpcErrors.fromStatus(failure);
            if (error != null && error.kind() != ErrorKind.ALREADY_EXISTS) {
                pending.remove(in);
                pending.remove(out);
                allowance += move.bytes(); // nothing was copied
                log.warn("{}: moving chunk {} from {} to {} failed; it stays where it was: {}", masterId,
                        move.handle(), move.source().id(), move.target().id(), error.getMessage());
                return;
            }
            long bytes = size == null ? move.bytes() : size;
            allowance += move.bytes() - bytes;
            pending.remove(in);
            pending.remove(out);
            pending.add(new Pending(move.target().id(), bytes, settledAt(move.target().id())));
            locations.add(move.handle(), List.of(move.target().id()));
            if (removeSource(move)) {
                pending.add(new Pending(move.source().id(), -bytes, settledAt(move.source().id())));
                chunksMoved++;
                bytesMoved += bytes;
            }
        } catch (RuntimeException | Error e) {
            log.warn("{}: finishing the move of chunk {} failed", masterId, move.handle(), e);
        } finally {
            movesInFlight--;
            copies.finish(move.handle(), move.source().id(), move.target().id());
        }
    }

    /**
     * Deletes the source's replica when the chunk's other good replicas in service hold its whole
     * replication; true when it did.
     */
    private boolean removeSource(BalancePlan.Move move) {
        ChunkHandle handle = move.handle();
        int wanted = replication.wanted(handle);
        String sourceId = move.source().id();
        Set<String> serving = registry.live().stream().map(ChunkServerInfo::id).filter(decommissions::inService)
                .collect(Collectors.toSet());
        int others = locations.count(handle, id -> !id.equals(sourceId) && serving.contains(id)
                && !corrupt.isCorrupt(handle, id));
        if (wanted == 0 || others < wanted) {
            log.info("{}: chunk {} copied to {}, but its replica on {} stays: {}", masterId, handle,
                    move.target().id(), sourceId, wanted == 0 ? "its file is gone (garbage collection takes both)"
                            : "the others hold " + others + " good replica(s) of " + wanted);
            return false;
        }
        locations.remove(sourceId, List.of(handle));
        deletes.add(sourceId, List.of(handle));
        log.debug("{}: moved chunk {} from {} to {} ({})", masterId, handle, sourceId, move.target().id(),
                ByteSize.format(move.bytes()));
        return true;
    }

    private long settledAt(String serverId) {
        return registry.answeredHeartbeats(serverId) + SETTLE_HEARTBEATS;
    }

    private BalancerStatus waiting(String why) {
        return new BalancerStatus(BalancerStatus.State.WAITING, settings, status == null ? 0 : status.averageUsage(),
                status == null ? List.of() : status.outside(), movesInFlight, chunksMoved, bytesMoved, why);
    }

    private static String percent(double ratio) {
        return String.format(Locale.ROOT, "%.1f", ratio * 100);
    }

    /**
     * Bytes counted on a chunkserver until it has answered {@code settledAt} heartbeats;
     * {@link Long#MAX_VALUE} while its move copies.
     */
    private static final class Pending {
        final String serverId;
        final long bytes;
        final long settledAt;

        Pending(String serverId, long bytes) {
            this(serverId, bytes, Long.MAX_VALUE);
        }

        Pending(String serverId, long bytes, long settledAt) {
            this.serverId = serverId;
            this.bytes = bytes;
            this.settledAt = settledAt;
        }
    }
}
