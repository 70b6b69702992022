package io.granary.master.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.granary.common.ChunkHandle;
import io.granary.master.model.Decommission;
import io.granary.master.model.DecommissionState;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RepairPlannerTest {
    static final long GIB = 1L << 30;

    ChunkServerRegistry registry;
    ChunkLocations locations;
    ReplicationIndex replication;
    CorruptReplicas corrupt;
    Decommissions decommissions;

    @BeforeEach
    void setUp() {
        registry = new ChunkServerRegistry(10);
        locations = new ChunkLocations();
        replication = new ReplicationIndex();
        corrupt = new CorruptReplicas();
        decommissions = new Decommissions();
        for (String id : List.of("a", "b", "c", "d", "e")) {
            registry.register(id, id + ":1", GIB, 0, 0, true, 0);
        }
    }

    @Test
    void theChunkWithFewestLiveReplicasIsCopiedFirst() {
        chunk(1, 3, "a", "b");
        chunk(2, 3, "c");
        RepairPlan plan = planner(1, 1).plan();

        assertThat(plan.copies()).hasSize(1);
        assertThat(plan.copies().get(0).handle()).isEqualTo(new ChunkHandle(2));
        assertThat(plan.copies().get(0).source().id()).isEqualTo("c");
        assertThat(plan.queued()).isEqualTo(2);
        assertThat(plan.repairable()).isEqualTo(2);
    }

    @Test
    void amongEquallyEndangeredChunksTheOneAClientWaitsOnIsCopiedFirst() {
        chunk(1, 3, "a", "b");
        chunk(2, 3, "c", "d");
        ReadDemand demand = new ReadDemand();
        demand.waitedOn(new ChunkHandle(2));
        RepairPlanner planner = new RepairPlanner(registry, locations, replication, corrupt, new CopyTracker(1, 1),
                demand, new Decommissions());

        assertThat(planner.plan().copies()).extracting(RepairPlan.Copy::handle).containsExactly(new ChunkHandle(2));
    }

    @Test
    void copiesRespectThePerChunkServerLimitAndNeverTargetAHolder() {
        chunk(1, 3, "a");
        chunk(2, 3, "a");
        RepairPlan plan = planner(2, 10).plan();

        // "a" is the only source of both and may take part in two copies at once.
        assertThat(plan.copies()).hasSize(2);
        plan.copies().forEach(c -> assertThat(c.target().id()).isNotEqualTo("a"));
        assertThat(plan.queued()).isEqualTo(1);
    }

    @Test
    void aCopyInFlightIsNotOrderedTwice() {
        chunk(1, 2, "a");
        CopyTracker copies = new CopyTracker(5, 5);
        RepairPlanner planner = new RepairPlanner(registry, locations, replication, corrupt, copies);

        assertThat(planner.plan().copies()).hasSize(1);
        assertThat(planner.plan().copies()).isEmpty();
    }

    @Test
    void aCorruptReplicaDoesNotCountAndIsDeletedOnlyOnceEnoughGoodOnesExist() {
        chunk(1, 2, "a", "b");
        corrupt.add(new ChunkHandle(1), "b");

        RepairPlan first = planner(5, 5).plan();
        assertThat(first.copies()).hasSize(1);
        assertThat(first.deletes()).isEmpty();
        assertThat(first.corrupt()).isEqualTo(1);

        locations.add(new ChunkHandle(1), List.of(first.copies().get(0).target().id()));
        RepairPlan second = planner(5, 5).plan();
        assertThat(second.deletes()).containsExactly(new RepairPlan.Delete(new ChunkHandle(1), "b", true));
    }

    @Test
    void aCorruptReplicaIsReplacedInPlaceWhenEveryOtherLiveChunkServerHoldsAGoodOne() {
        chunk(1, 5, "a", "b", "c", "d", "e");
        corrupt.add(new ChunkHandle(1), "c");

        RepairPlan plan = planner(5, 5).plan();

        assertThat(plan.copies()).hasSize(1);
        RepairPlan.Copy copy = plan.copies().get(0);
        assertThat(copy.target().id()).isEqualTo("c");
        assertThat(copy.replace()).isTrue();
        assertThat(copy.source().id()).isNotEqualTo("c");
        assertThat(plan.deletes()).isEmpty();
    }

    @Test
    void aLostReplicaNoLongerListedIsCopiedBackToItsChunkServerAsAReplacement() {
        chunk(1, 5, "a", "b", "d", "e");
        corrupt.add(new ChunkHandle(1), "c"); // reported lost, then gone from c's chunk report

        RepairPlan.Copy copy = planner(5, 5).plan().copies().get(0);

        assertThat(copy.target().id()).isEqualTo("c");
        assertThat(copy.replace()).isTrue();
    }

    @Test
    void aChunkServerWithoutAnyReplicaIsPreferredToReplacingABadOne() {
        chunk(1, 3, "a", "b", "c");
        corrupt.add(new ChunkHandle(1), "c");

        RepairPlan.Copy copy = planner(5, 5).plan().copies().get(0);

        assertThat(copy.target().id()).isIn("d", "e");
        assertThat(copy.replace()).isFalse();
    }

    @Test
    void surplusReplicasAreTrimmedFromTheFullestChunkServers() {
        registry.heartbeatSucceeded("d", GIB, GIB / 2, 1, false, 1);
        chunk(1, 3, "a", "b", "c", "d");

        RepairPlan plan = planner(5, 5).plan();

        assertThat(plan.copies()).isEmpty();
        assertThat(plan.deletes()).containsExactly(new RepairPlan.Delete(new ChunkHandle(1), "d", false));
    }

    @Test
    void aChunkWithoutAnyLiveReplicaIsMissingNotQueued() {
        chunk(1, 3, "a");
        registry.markSilentDead(-1);

        RepairPlan plan = planner(5, 5).plan();

        assertThat(plan.missing()).isEqualTo(1);
        assertThat(plan.copies()).isEmpty();
        assertThat(plan.queued()).isZero();
    }

    @Test
    void aDrainingChunkServersReplicaDoesNotCountSoItsChunkIsCopiedToAChunkServerInService() {
        chunk(1, 3, "a", "b", "c");
        drain("a");

        RepairPlan plan = planner(5, 5).plan();

        assertThat(plan.copies()).singleElement().satisfies(copy -> {
            assertThat(copy.target().id()).isIn("d", "e");
            assertThat(copy.goodReplicas()).isEqualTo(2);
        });
        assertThat(plan.deletes()).isEmpty();
    }

    @Test
    void aDrainingOrDecommissionedChunkServerIsNeverARepairTarget() {
        chunk(1, 4, "b");
        drain("a");
        decommissions.put("c", new Decommission(DecommissionState.DECOMMISSIONED, 1));

        RepairPlan plan = planner(5, 5).plan();

        assertThat(plan.copies()).extracting(c -> c.target().id()).containsExactlyInAnyOrder("d", "e");
        assertThat(plan.queued()).as("a third copy has nowhere to go").isEqualTo(1);
    }

    @Test
    void aDrainingChunkServerHoldingTheOnlyReplicaIsTheCopySource() {
        chunk(1, 2, "a");
        drain("a");

        RepairPlan plan = planner(5, 5).plan();

        assertThat(plan.missing()).isZero();
        assertThat(plan.copies()).hasSize(2).allSatisfy(copy -> {
            assertThat(copy.source().id()).isEqualTo("a");
            assertThat(copy.target().id()).isNotEqualTo("a");
        });
    }

    @Test
    void aDrainingReplicaIsNeverTrimmedAsSurplus() {
        registry.heartbeatSucceeded("a", GIB, GIB / 2, 1, false, 1); // the fullest: first to trim if it counted
        chunk(1, 3, "a", "b", "c", "d");
        chunk(2, 3, "a", "b", "c", "d", "e");
        drain("a");

        RepairPlan plan = planner(5, 5).plan();

        assertThat(plan.copies()).isEmpty();
        assertThat(plan.deletes()).singleElement().satisfies(delete -> {
            assertThat(delete.handle()).isEqualTo(new ChunkHandle(2));
            assertThat(delete.serverId()).isNotEqualTo("a");
        });
    }

    @Test
    void aChunkWithFewerLiveReplicasInServiceIsCopiedBeforeOneThatOnlyLeavesADrainingChunkServer() {
        chunk(1, 3, "a", "b", "c");
        chunk(2, 3, "d");
        drain("a");

        RepairPlan plan = planner(5, 1).plan();

        assertThat(plan.copies()).extracting(RepairPlan.Copy::handle).containsExactly(new ChunkHandle(2));
        assertThat(plan.queued()).isEqualTo(2);
    }

    @Test
    void drainingCopiesStayWithinTheCopyThrottles() {
        for (long handle = 1; handle <= 10; handle++) {
            chunk(handle, 3, "a", "b", "c");
        }
        drain("a");

        RepairPlan plan = planner(2, 32).plan();

        // d and e are the only targets, each in at most 2 copies at once
        assertThat(plan.copies()).hasSize(4);
        assertThat(plan.queued()).isEqualTo(6);
    }

    private void drain(String id) {
        decommissions.put(id, new Decommission(DecommissionState.DRAINING, 1));
    }

    private RepairPlanner planner(int perServer, int inCluster) {
        return new RepairPlanner(registry, locations, replication, corrupt, new CopyTracker(perServer, inCluster),
                new ReadDemand(), decommissions);
    }

    private void chunk(long handle, int wanted, String... holders) {
        replication.put(new ChunkHandle(handle), wanted);
        locations.add(new ChunkHandle(handle), List.of(holders));
    }
}
