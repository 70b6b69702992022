package io.granary.master.cluster;

import io.granary.common.ByteSize;
import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Chooses where a new chunk's replicas go: distinct live chunkservers, most free space first (free
 * space counting chunks promised since their last heartbeat), ties broken at random so equal servers
 * share the load. Stateless apart from its random source; thread-safe.
 */
public final class PlacementPolicy {
    private final Random random;

    public PlacementPolicy() {
        this(new Random());
    }

    /** With a given random source, for repeatable tests. */
    public PlacementPolicy(Random random) {
        this.random = random;
    }

    /**
     * Fails unless enough chunkservers are alive for the replication.
     *
     * @throws GranaryException UNAVAILABLE "replication 3 needs 3 live chunkservers; 2 are alive"
     */
    public static void requireAlive(long alive, int replication) {
        if (alive < replication) {
            throw new GranaryException(ErrorKind.UNAVAILABLE, "replication " + replication + " needs " + replication
                    + " live chunkserver" + (replication == 1 ? "" : "s") + "; " + alive + (alive == 1 ? " is" : " are")
                    + " alive");
        }
    }

    /**
     * Picks the replica chain for a chunk, head first.
     *
     * @param servers        every registered chunkserver; dead ones are skipped
     * @param replication    how many distinct chunkservers to pick
     * @param chunkSizeBytes space each must have free
     * @throws GranaryException UNAVAILABLE when too few are alive, RESOURCE_EXHAUSTED when too few have space
     */
    public List<ChunkServerInfo> choose(List<ChunkServerInfo> servers, int replication, long chunkSizeBytes) {
        List<ChunkServerInfo> alive = servers.stream().filter(ChunkServerInfo::alive).toList();
        requireAlive(alive.size(), replication);
        List<ChunkServerInfo> roomy = new ArrayList<>(alive.stream().filter(s -> s.freeBytes() >= chunkSizeBytes).toList());
        if (roomy.size() < replication) {
            String need = ByteSize.format(chunkSizeBytes);
            throw new GranaryException(ErrorKind.RESOURCE_EXHAUSTED, roomy.isEmpty()
                    ? "no chunkserver has " + need + " free for a new chunk"
                    : "replication " + replication + " needs " + replication + " chunkservers with " + need
                            + " free; only " + roomy.size() + " have it");
        }
        // shuffle, then a stable sort: equal free space ends up in random order
        Collections.shuffle(roomy, random);
        roomy.sort(Comparator.comparingLong(ChunkServerInfo::freeBytes).reversed());
        return List.copyOf(roomy.subList(0, replication));
    }
}
