package io.granary.master.cluster;

import io.granary.master.model.Decommission;
import io.granary.master.model.DecommissionState;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The chunkservers leaving the cluster, in memory: their stored records (written through by
 * {@link Decommissioner}) and how far each draining one has got (measured by {@link DecommissionTask}).
 * Placement, repair planning and the cluster view read it. A chunkserver without a record is in
 * service. Thread-safe.
 */
public final class Decommissions {
    private final Map<String, Decommission> records = new ConcurrentHashMap<>();
    private final Map<String, DrainProgress> progress = new ConcurrentHashMap<>();

    /** Neither draining nor decommissioned: it takes new chunks and repair copies, and its replicas count. */
    public boolean inService(String id) {
        return !records.containsKey(id);
    }

    public DecommissionState state(String id) {
        return record(id).map(Decommission::state).orElse(DecommissionState.NORMAL);
    }

    public Optional<Decommission> record(String id) {
        return Optional.ofNullable(records.get(id));
    }

    /** Every stored record, by chunkserver id; a copy. */
    public Map<String, Decommission> records() {
        return Map.copyOf(records);
    }

    /** The state of one chunkserver with, while it drains, what is left to do. */
    public DecommissionStatus status(String id) {
        Decommission record = records.get(id);
        if (record == null) {
            return DecommissionStatus.NORMAL;
        }
        DrainProgress p = record.state() == DecommissionState.DRAINING
                ? progress.getOrDefault(id, DrainProgress.UNKNOWN) : DrainProgress.DONE;
        return new DecommissionStatus(record.state(), record.sinceMs(), p.chunksToMove(), p.chunksUnmovable(),
                p.detail());
    }

    /** Replaces every record with those read back from the store. */
    void load(Map<String, Decommission> stored) {
        records.clear();
        progress.clear();
        records.putAll(stored);
    }

    /** Records a state; a new draining starts with its progress unknown until the next check. */
    void put(String id, Decommission record) {
        records.put(id, record);
        if (record.state() != DecommissionState.DRAINING) {
            progress.remove(id);
        }
    }

    void remove(String id) {
        records.remove(id);
        progress.remove(id);
    }

    void progress(String id, DrainProgress measured) {
        if (records.containsKey(id)) {
            progress.put(id, measured);
        }
    }

    /**
     * What is left before a draining chunkserver is decommissioned, as of the last check.
     *
     * @param chunksToMove    its chunks short of their replication on other chunkservers in service
     * @param chunksUnmovable of those, the chunks no other chunkserver in service can take now
     * @param detail          why it cannot finish now; empty when it is on its way
     */
    record DrainProgress(long chunksToMove, long chunksUnmovable, String detail) {
        static final DrainProgress UNKNOWN = new DrainProgress(0, 0, "not checked yet");
        static final DrainProgress DONE = new DrainProgress(0, 0, "");
    }
}
