package io.granary.master.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.granary.common.ChunkHandle;
import io.granary.master.model.Decommission;
import io.granary.master.model.DecommissionState;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The balancer's decisions (invariant "a move never lowers a chunk's good replicas" in docs/architecture.md). */
class BalancePlannerTest {
    static final long MIB = 1L << 20;
    static final long CAPACITY = 100 * MIB;
    static final long UNLIMITED = Long.MAX_VALUE;

    ChunkServerRegistry registry;
    ChunkLocations locations;
    ReplicationIndex replication;
    CorruptReplicas corrupt;
    Decommissions decommissions;
    CopyTracker copies;

    @BeforeEach
    void setUp() {
        registry = new ChunkServerRegistry(10);
        locations = new ChunkLocations();
        replication = new ReplicationIndex();
        corrupt = new CorruptReplicas();
        decommissions = new Decommissions();
        copies = new CopyTracker(100, 100);
    }

    @Test
    void anEmptyNewChunkserverReceivesReplicasFromTheFullOnes() {
        // 40 chunks of 1 MiB at replication 2 on a and b (40% each); d joins empty: average 26.7%.
        server("a", 40);
        server("b", 40);
        server("d", 0);
        chunks(40, 2, "a", "b");

        BalancePlan plan = planner(10).plan(UNLIMITED, Map.of());

        assertThat(plan.outside()).containsExactlyInAnyOrder("a", "b", "d");
        assertThat(plan.moves()).isNotEmpty().allSatisfy(m -> assertThat(m.target().id()).isEqualTo("d"));
        assertThat(plan.moves()).extracting(BalancePlan.Move::handle).doesNotHaveDuplicates();
        // d may rise to the average plus the threshold at most, and no source may fall below average minus it
        long toD = plan.moves().size() * MIB;
        assertThat(toD).isBetween(17 * MIB, 36 * MIB);
    }

    @Test
    void chunkserversWithinTheThresholdOfTheAverageAreLeftAlone() {
        server("a", 30);
        server("b", 25);
        server("c", 21);
        chunks(30, 1, "a");
        chunks(25, 1, "b");
        chunks(21, 1, "c");

        BalancePlan plan = planner(10).plan(UNLIMITED, Map.of());

        assertThat(plan.outside()).isEmpty();
        assertThat(plan.moves()).isEmpty();
        assertThat(copies.running()).isZero();
    }

    @Test
    void aChunkShortOfItsReplicationOrWithACopyRunningNeverMoves() {
        server("a", 50);
        server("b", 0);
        server("c", 0);
        chunk(1, 2, "a");               // short: only one replica of two
        chunk(2, 1, "a");
        corrupt.add(new ChunkHandle(2), "a"); // its only replica is bad
        chunk(3, 1, "a");
        copies.start(new ChunkHandle(3), "a", "c"); // being copied already

        BalancePlan plan = planner(10).plan(UNLIMITED, Map.of());

        assertThat(plan.outside()).contains("a");
        assertThat(plan.moves()).isEmpty();
        assertThat(plan.detail()).isEmpty(); // a copy still runs: not stuck yet
    }

    @Test
    void aChunkNeverMovesToAChunkserverThatHoldsAReplicaOfIt() {
        server("a", 50);
        server("b", 10);
        chunks(10, 2, "a", "b");    // both hold these: none may move from a to b
        LongStream.rangeClosed(100, 139).forEach(h -> chunk(h, 1, "a"));

        BalancePlan plan = planner(10).plan(UNLIMITED, Map.of());

        assertThat(plan.moves()).isNotEmpty()
                .allSatisfy(m -> assertThat(m.handle().value()).isGreaterThanOrEqualTo(100));
    }

    @Test
    void drainingChunkserversAndThoseWithoutAReportTakeNoPart() {
        server("a", 80);
        server("b", 0);
        registry.register("c", "c:1", CAPACITY, 0, 0, false, 0); // registered, its report not in yet
        chunks(80, 1, "a");
        decommissions.put("b", new Decommission(DecommissionState.DRAINING, 0));

        BalancePlan plan = planner(10).plan(UNLIMITED, Map.of());

        assertThat(plan.moves()).isEmpty();
        assertThat(plan.outside()).isEmpty();
        assertThat(plan.detail()).contains("1 chunkserver(s) in service");
    }

    @Test
    void theBudgetBoundsTheBytesMovedInARound() {
        server("a", 60);
        server("b", 0);
        chunks(60, 1, "a");

        BalancePlan plan = planner(10).plan(3 * MIB, Map.of());

        assertThat(plan.moves()).hasSize(3);
        assertThat(copies.running()).isEqualTo(3);
    }

    @Test
    void movesOnTheirWayCountInTheUsageSoARoundDoesNotRepeatThem() {
        server("a", 60);
        server("b", 0);
        chunks(60, 1, "a");

        // a has sent 30 MiB to b, which their heartbeats do not show yet
        BalancePlan plan = planner(10).plan(UNLIMITED, Map.of("a", -30 * MIB, "b", 30 * MIB));

        assertThat(plan.outside()).isEmpty();
        assertThat(plan.moves()).isEmpty();
    }

    @Test
    void theCopyLimitsOfRepairAlsoBoundMoves() {
        server("a", 60);
        server("b", 0);
        chunks(60, 1, "a");
        copies = new CopyTracker(2, 32);

        assertThat(planner(10).plan(UNLIMITED, Map.of()).moves()).hasSize(2);
        assertThat(planner(10).plan(UNLIMITED, Map.of()).moves()).isEmpty();
    }

    private BalancePlanner planner(double threshold) {
        return new BalancePlanner(registry, locations, replication, corrupt, copies, decommissions, threshold);
    }

    /** A live chunkserver with its report in, holding {@code chunks} replicas of 1 MiB. */
    private void server(String id, long chunks) {
        registry.register(id, id + ":1", CAPACITY, chunks * MIB, chunks, true, 0);
    }

    /** Chunks 1..count, each wanting {@code wanted} replicas, held by {@code holders}. */
    private void chunks(long count, int wanted, String... holders) {
        long first = nextHandle;
        nextHandle += count;
        LongStream.range(first, first + count).forEach(h -> chunk(h, wanted, holders));
    }

    private long nextHandle = 1_000;

    private void chunk(long handle, int wanted, String... holders) {
        replication.put(new ChunkHandle(handle), wanted);
        locations.add(new ChunkHandle(handle), List.of(holders));
    }
}
