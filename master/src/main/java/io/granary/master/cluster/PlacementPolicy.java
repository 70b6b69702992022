package io.granary.master.cluster;

import io.granary.common.ByteSize;
import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * Chooses where a new chunk's replicas go: distinct live chunkservers in service (neither draining
 * nor decommissioned), most free space first (free space counting chunks promised since their last
 * heartbeat), ties broken at random so equal servers share the load. Stateless apart from its random
 * source and the decommission records it reads; thread-safe.
 */
public final class PlacementPolicy {
    private final Random random;
    private final Decommissions decommissions;

    public PlacementPolicy() {
        this(new Random(), new Decommissions());
    }

    /** @param decommissions the chunkservers leaving the cluster, never picked */
    public PlacementPolicy(Decommissions decommissions) {
        this(new Random(), decommissions);
    }

    /** With a given random source, for repeatable tests. */
    public PlacementPolicy(Random random, Decommissions decommissions) {
        this.random = random;
        this.decommissions = decommissions;
    }

    /**
     * Fails unless enough chunkservers are alive for the replication.
     *
     * @throws GranaryException UNAVAILABLE "replication 3 needs 3 live chunkservers; 2 are alive"
     */
    public static void requireAlive(long alive, int replication) {
        requireAlive(alive, 0, replication);
    }

    /**
     * Fails unless enough chunkservers are alive and in service for the replication.
     *
     * @param leaving live chunkservers that are draining or decommissioned, named in the message
     * @throws GranaryException UNAVAILABLE "replication 3 needs 3 live chunkservers; 2 are alive (and 1 draining
     *     or decommissioned)"
     */
    public static void requireAlive(long alive, long leaving, int replication) {
        if (alive < replication) {
            throw new GranaryException(ErrorKind.UNAVAILABLE, "replication " + replication + " needs " + replication
                    + " live chunkserver" + (replication == 1 ? "" : "s") + "; " + alive + (alive == 1 ? " is" : " are")
                    + " alive" + (leaving == 0 ? "" : " (and " + leaving + " draining or decommissioned)"));
        }
    }

    /** The live chunkservers among {@code servers} that may take new chunks. */
    public List<ChunkServerInfo> serving(List<ChunkServerInfo> servers) {
        return servers.stream().filter(s -> s.alive() && decommissions.inService(s.id())).toList();
    }

    /**
     * Picks the replica chain for a chunk, head first.
     *
     * @param servers        every registered chunkserver; dead, draining and decommissioned ones are skipped
     * @param replication    how many distinct chunkservers to pick
     * @param chunkSizeBytes space each must have free
     * @throws GranaryException UNAVAILABLE when too few are alive, RESOURCE_EXHAUSTED when too few have space
     */
    public List<ChunkServerInfo> choose(List<ChunkServerInfo> servers, int replication, long chunkSizeBytes) {
        return choose(servers, replication, chunkSizeBytes, Set.of());
    }

    /**
     * Picks the replica chain for a chunk, head first, leaving out the chunkservers a writer failed
     * to write to. When the others are too few, the chain is shorter than {@code replication}: the
     * chunk is written under-replicated and repaired once committed, rather than the upload failing.
     *
     * @param avoid ids of chunkservers never to pick
     * @throws GranaryException as {@link #choose(List, int, long)}, and UNAVAILABLE when every
     *     chunkserver that could take the chunk is to be avoided
     */
    public List<ChunkServerInfo> choose(List<ChunkServerInfo> servers, int replication, long chunkSizeBytes,
                                        Set<String> avoid) {
        List<ChunkServerInfo> alive = serving(servers);
        requireAlive(alive.size(), servers.stream().filter(ChunkServerInfo::alive).count() - alive.size(), replication);
        List<ChunkServerInfo> roomy = new ArrayList<>(alive.stream().filter(s -> s.freeBytes() >= chunkSizeBytes).toList());
        if (roomy.size() < replication) {
            String need = ByteSize.format(chunkSizeBytes);
            throw new GranaryException(ErrorKind.RESOURCE_EXHAUSTED, roomy.isEmpty()
                    ? "no chunkserver has " + need + " free for a new chunk"
                    : "replication " + replication + " needs " + replication + " chunkservers with " + need
                            + " free; only " + roomy.size() + " have it");
        }
        roomy.removeIf(s -> avoid.contains(s.id()));
        if (roomy.isEmpty()) {
            throw new GranaryException(ErrorKind.UNAVAILABLE, "every live chunkserver with room for the chunk has "
                    + "already failed this upload (" + String.join(", ", new TreeSet<>(avoid)) + ")");
        }
        // shuffle, then a stable sort: equal free space ends up in random order
        Collections.shuffle(roomy, random);
        roomy.sort(Comparator.comparingLong(ChunkServerInfo::freeBytes).reversed());
        return List.copyOf(roomy.subList(0, Math.min(replication, roomy.size())));
    }
}
