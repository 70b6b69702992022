package io.granary.master.cluster;

import io.granary.common.MonotonicClock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The registered chunkservers and their health, in memory. Registrations are persisted by the
 * caller; this class only keeps the live view: usage, last heartbeat, alive or dead, and when to ask
 * for a full chunk report. Silence is measured on the monotonic clock, so a wall clock step neither
 * kills every chunkserver at once nor keeps a dead one alive; the {@code nowMs} arguments (epoch ms)
 * only date the last heartbeat for operators. Thread-safe: every method takes the registry's lock
 * briefly.
 */
public final class ChunkServerRegistry {
    private final Map<String, Node> nodes = new HashMap<>();
    private final int fullReportEvery;
    private final MonotonicClock ticks;

    /** @param fullReportEvery ask a chunkserver for its full chunk list every this many heartbeats */
    public ChunkServerRegistry(int fullReportEvery) {
        this(fullReportEvery, MonotonicClock.system());
    }

    /** @param ticks measures how long a chunkserver has been silent */
    public ChunkServerRegistry(int fullReportEvery, MonotonicClock ticks) {
        this.fullReportEvery = fullReportEvery;
        this.ticks = ticks;
    }

    /**
     * Registers a chunkserver, or refreshes it (a restart, a move to another address). It is alive.
     *
     * @param reportIncluded whether its full chunk list came with it; if not, the next heartbeat asks
     * @return the id of another chunkserver that was registered at the same address, now removed
     */
    public synchronized Optional<String> register(String id, String address, long capacityBytes, long usedBytes,
                                                  long chunkCount, boolean reportIncluded, long nowMs) {
        Optional<String> displaced = idAt(address).filter(other -> !other.equals(id));
        displaced.ifPresent(nodes::remove);
        Node node = nodes.computeIfAbsent(id, Node::new);
        node.address = address;
        node.capacityBytes = capacityBytes;
        node.usedBytes = usedBytes;
        node.chunkCount = chunkCount;
        node.promisedBytes = 0;
        node.lastContactTick = ticks.millis();
        node.alive = true;
        node.reportWanted = !reportIncluded;
        node.reported |= reportIncluded;
        return displaced;
    }

    /**
     * Restores a registration read back from the store after a master restart: not alive until it
     * answers a heartbeat, and asked for its full chunk list then.
     */
    public synchronized void restore(String id, String address, long nowMs) {
        Node node = nodes.computeIfAbsent(id, Node::new);
        node.address = address;
        node.lastContactTick = ticks.millis();
        node.reportWanted = true;
    }

    public synchronized Optional<ChunkServerInfo> remove(String id) {
        return Optional.ofNullable(nodes.remove(id)).map(Node::snapshot);
    }

    /**
     * Records a successful heartbeat. Returns true when the chunkserver had been dead (or not yet heard
     * from since a master restart): it is alive again.
     */
    public synchronized boolean heartbeatSucceeded(String id, long capacityBytes, long usedBytes, long chunkCount,
                                                   boolean reportIncluded, long nowMs) {
        Node node = nodes.get(id);
        if (node == null) {
            return false;
        }
        boolean cameBack = !node.alive;
        node.capacityBytes = capacityBytes;
        node.usedBytes = usedBytes;
        node.chunkCount = chunkCount;
        node.promisedBytes = 0;
        node.lastContactTick = ticks.millis();
        node.lastHeartbeatMs = nowMs;
        node.alive = true;
        node.reportWanted = (node.reportWanted || cameBack) && !reportIncluded;
        node.reported |= reportIncluded;
        node.answered++;
        return cameBack;
    }

    /** Declares dead every live chunkserver not heard from for longer than deadAfterMs; returns their ids. */
    public synchronized List<String> markSilentDead(long deadAfterMs) {
        long now = ticks.millis();
        List<String> dead = new ArrayList<>();
        for (Node node : nodes.values()) {
            if (node.alive && now - node.lastContactTick > deadAfterMs) {
                node.alive = false;
                node.reportWanted = true;
                dead.add(node.id);
            }
        }
        return dead;
    }

    /** Counts one more heartbeat to this chunkserver and says whether it should carry a report request. */
    public synchronized boolean nextHeartbeatWantsReport(String id) {
        Node node = nodes.get(id);
        if (node == null) {
            return false;
        }
        node.heartbeats++;
        return node.reportWanted || node.heartbeats % fullReportEvery == 0;
    }

    /**
     * Heartbeats this chunkserver has answered since it was registered: two more than now means its
     * usage reflects what it stored or deleted by now (the first answer may be to a heartbeat sent
     * before). 0 for one that is not registered.
     */
    public synchronized long answeredHeartbeats(String id) {
        Node node = nodes.get(id);
        return node == null ? 0 : node.answered;
    }

    /** Asks for a full chunk report with the next heartbeat (the last one could not be used). */
    public synchronized void requestReport(String id) {
        Node node = nodes.get(id);
        if (node != null) {
            node.reportWanted = true;
        }
    }

    /** Remembers that a chunk of this many bytes was just placed on it. */
    public synchronized void promise(String id, long bytes) {
        Node node = nodes.get(id);
        if (node != null) {
            node.promisedBytes += bytes;
        }
    }

    /** Every registered chunkserver, ordered by id. */
    public synchronized List<ChunkServerInfo> all() {
        return nodes.values().stream().map(Node::snapshot).sorted(Comparator.comparing(ChunkServerInfo::id)).toList();
    }

    /** The live chunkservers, ordered by id. */
    public synchronized List<ChunkServerInfo> live() {
        return all().stream().filter(ChunkServerInfo::alive).toList();
    }

    public synchronized boolean isLive(String id) {
        Node node = nodes.get(id);
        return node != null && node.alive;
    }

    /**
     * Whether this master has had a full chunk report from the chunkserver since it learnt of it, so
     * that its part of the chunk locations is known (a restored registration has none until it answers).
     */
    public synchronized boolean hasReported(String id) {
        Node node = nodes.get(id);
        return node != null && node.reported;
    }

    public synchronized Optional<ChunkServerInfo> get(String id) {
        return Optional.ofNullable(nodes.get(id)).map(Node::snapshot);
    }

    private Optional<String> idAt(String address) {
        return nodes.values().stream().filter(n -> address.equals(n.address)).map(n -> n.id).findFirst();
    }

    /** Mutable state of one chunkserver, guarded by the registry's lock. */
    private static final class Node {
        final String id;
        String address;
        long capacityBytes;
        long usedBytes;
        long chunkCount;
        long promisedBytes;
        long lastHeartbeatMs;
        long lastContactTick;
        long heartbeats;
        long answered;
        boolean alive;
        boolean reportWanted;
        boolean reported;

        Node(String id) {
            this.id = id;
        }

        ChunkServerInfo snapshot() {
            return new ChunkServerInfo(id, address, capacityBytes, usedBytes, chunkCount, lastHeartbeatMs, alive,
                    promisedBytes);
        }
    }
}
