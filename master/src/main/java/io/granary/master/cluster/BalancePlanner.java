package io.granary.master.cluster;

import io.granary.common.ChunkHandle;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides one round of balancing (HDFS's balancer, run inside the master): which replicas move from
 * the fullest chunkservers to the emptiest, so that every chunkserver's usage comes within the
 * threshold of the average. Pure decision, like {@link RepairPlanner}: it starts nothing and changes
 * nothing but the {@link CopyTracker} slots it reserves for the moves it returns.
 *
 * <p>Only live chunkservers in service whose chunk report this master has take part. A chunkserver's
 * usage is its used bytes, plus what moves are bringing to it and minus what they take from it
 * ({@code pending}, since used bytes lag a heartbeat or two behind), over its capacity; the average
 * is their used bytes over their capacity. One above {@code average + threshold} is over-used, one
 * below {@code average - threshold} under-used, and the cluster is balanced when none is either. A
 * move goes from a chunkserver above the average to one below it, and at least one of the two lies
 * outside the threshold (HDFS's pairing: over to under, over to below average, above average to
 * under); the fullest sources and the emptiest targets come first, and a move never carries a
 * target above {@code average + threshold} nor a source below {@code average - threshold}.
 *
 * <p>A chunk moves only while every copy it wants is good on chunkservers in service, no copy of it
 * runs, and the target holds no replica of it (good or bad), so a move never starts on a chunk
 * repair must see to. O(chunks on the sources) per round.
 */
public final class BalancePlanner {
    private final ChunkServerRegistry registry;
    private final ChunkLocations locations;
    private final ReplicationIndex replication;
    private final CorruptReplicas corrupt;
    private final CopyTracker copies;
    private final Decommissions decommissions;
    private final double threshold;

    /** @param thresholdPercent see {@link BalancerSettings#thresholdPercent()} */
    public BalancePlanner(ChunkServerRegistry registry, ChunkLocations locations, ReplicationIndex replication,
                          CorruptReplicas corrupt, CopyTracker copies, Decommissions decommissions,
                          double thresholdPercent) {
        this.registry = registry;
        this.locations = locations;
        this.replication = replication;
        this.corrupt = corrupt;
        this.copies = copies;
        this.decommissions = decommissions;
        this.threshold = thresholdPercent / 100;
    }

    /**
     * Plans a round of at most about {@code budgetBytes} of moves (the last may pass it by one chunk)
     * and reserves a copy slot for each move it returns; the caller must start or finish them.
     *
     * @param pending bytes on their way to (positive) or from (negative) each chunkserver, by id
     */
    public BalancePlan plan(long budgetBytes, Map<String, Long> pending) {
        List<Usage> nodes = registry.live().stream()
                .filter(s -> decommissions.inService(s.id()) && registry.hasReported(s.id()) && s.capacityBytes() > 0)
                .map(s -> new Usage(s, pending.getOrDefault(s.id(), 0L)))
                .toList();
        if (nodes.size() < 2) {
            return BalancePlan.idle(nodes.isEmpty() ? 0 : nodes.get(0).ratio(), List.of(),
                    nodes.size() + " chunkserver(s) in service: nothing to balance between");
        }
        double average = (double) nodes.stream().mapToLong(u -> u.server.usedBytes()).sum()
                / nodes.stream().mapToLong(u -> u.server.capacityBytes()).sum();
        double high = average + threshold;
        double low = average - threshold;
        List<String> outside = nodes.stream().filter(u -> u.ratio() > high || u.ratio() < low)
                .map(u -> u.server.id()).sorted().toList();
        if (outside.isEmpty()) {
            return BalancePlan.idle(average, outside, "");
        }
        List<Usage> sources = nodes.stream().filter(u -> u.ratio() > average)
                .sorted(Comparator.comparingDouble(Usage::ratio).reversed()).toList();
        List<Usage> targets = nodes.stream().filter(u -> u.ratio() < average)
                .sorted(Comparator.comparingDouble(Usage::ratio)).toList();
        List<BalancePlan.Move> moves = new ArrayList<>();
        long[] budget = {budgetBytes};
        for (Usage source : sources) {
            if (budget[0] <= 0 || !copies.clusterHasRoom()) {
                break;
            }
            planFrom(source, targets, high, low, budget, moves);
        }
        String detail = moves.isEmpty() && copies.running() == 0
                ? outside.size() + " chunkserver(s) outside the threshold, but no chunk can move now: each is held "
                        + "by its targets already, short of replicas, or larger than the room left" : "";
        return new BalancePlan(moves, average, outside, detail);
    }

    /** Adds the moves out of one source, emptiest target first, while throttles and usage allow. */
    private void planFrom(Usage source, List<Usage> targets, double high, double low, long[] budget,
                          List<BalancePlan.Move> moves) {
        long chunkBytes = source.averageChunk();
        List<ChunkHandle> candidates = movable(source.server.id());
        for (Usage target : targets) {
            // while either lies outside the threshold: two within it have nothing to gain from a move
            while ((source.ratio() > high || target.ratio() < low)
                    && budget[0] > 0 && copies.clusterHasRoom() && copies.serverHasRoom(source.server.id())
                    && copies.serverHasRoom(target.server.id())
                    && target.ratioWith(chunkBytes) <= high && source.ratioWith(-chunkBytes) >= low
                    && target.ratio() < source.ratio()) {
                ChunkHandle handle = nextNotHeldBy(candidates, target.server.id());
                if (handle == null || !copies.start(handle, source.server.id(), target.server.id())) {
                    break;
                }
                moves.add(new BalancePlan.Move(handle, source.server, target.server, chunkBytes));
                source.pending -= chunkBytes;
                target.pending += chunkBytes;
                budget[0] -= chunkBytes;
            }
        }
    }

    /** The chunks of a source that may move: fully replicated on good replicas in service, none copying. */
    private List<ChunkHandle> movable(String sourceId) {
        Set<String> serving = registry.live().stream().map(ChunkServerInfo::id).filter(decommissions::inService)
                .collect(Collectors.toSet());
        List<ChunkHandle> out = new ArrayList<>();
        for (ChunkHandle handle : locations.heldBy(sourceId)) {
            int wanted = replication.wanted(handle);
            if (wanted == 0 || !copies.targets(handle).isEmpty()) {
                continue; // not committed (an upload, or garbage), or already being copied
            }
            List<String> bad = corrupt.holders(handle);
            if (bad.contains(sourceId)) {
                continue;
            }
            if (locations.count(handle, id -> serving.contains(id) && !bad.contains(id)) >= wanted) {
                out.add(handle);
            }
        }
        return out;
    }

    /** Takes out of {@code candidates} the first chunk the target holds no replica of, or null. */
    private ChunkHandle nextNotHeldBy(List<ChunkHandle> candidates, String targetId) {
        for (Iterator<ChunkHandle> it = candidates.iterator(); it.hasNext(); ) {
            ChunkHandle handle = it.next();
            if (locations.count(handle, targetId::equals) == 0 && !copies.targets(handle).contains(targetId)) {
                it.remove();
                return handle;
            }
        }
        return null;
    }

    /** One chunkserver's usage as this round plans it, its planned moves counted in {@code pending}. */
    private static final class Usage {
        final ChunkServerInfo server;
        long pending;

        Usage(ChunkServerInfo server, long pending) {
            this.server = server;
            this.pending = pending;
        }

        double ratio() {
            return ratioWith(0);
        }

        double ratioWith(long moreBytes) {
            return (double) (server.usedBytes() + pending + moreBytes) / server.capacityBytes();
        }

        /** What a replica here weighs on average: the size a move out of it is counted at. */
        long averageChunk() {
            return server.chunkCount() == 0 ? 1 : Math.max(1, server.usedBytes() / server.chunkCount());
        }
    }
}
