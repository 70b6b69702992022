package io.granary.master.namespace;

import io.granary.common.ByteSize;
import io.granary.master.cluster.ChunkLocations;
import io.granary.master.cluster.ChunkServerRegistry;
import io.granary.master.cluster.ClusterStatus;
import io.granary.master.cluster.ClusterState;
import io.granary.master.cluster.CorruptReplicas;
import io.granary.master.cluster.DeleteQueue;
import io.granary.master.cluster.GarbageCollector;
import io.granary.master.cluster.PlacementPolicy;
import io.granary.master.cluster.ReadDemand;
import io.granary.master.cluster.ReplicationIndex;
import io.granary.master.cluster.SafeMode;
import io.granary.master.model.MetadataStore;
import java.time.Clock;
import java.time.Duration;

/** The master's domain objects wired on a store, with live chunkservers registered directly (no gRPC). */
final class NamespaceHarness {
    final MetadataStore store;
    final ChunkServerRegistry registry = new ChunkServerRegistry(10);
    final ChunkLocations locations = new ChunkLocations();
    final DeleteQueue deletes = new DeleteQueue();
    final GarbageCollector gc;
    final ClusterState cluster;

    NamespaceHarness(MetadataStore store, Duration grace, String... chunkServerIds) {
        this.store = store;
        store.initialize(System.currentTimeMillis());
        for (String id : chunkServerIds) {
            registry.register(id, id + ":7000", 100 * ByteSize.GIB, 0, 0, true, System.currentTimeMillis());
        }
        gc = new GarbageCollector("test", store, locations, deletes, grace, Clock.systemUTC());
        cluster = new ClusterState(registry, locations, new ReplicationIndex(), new PlacementPolicy(),
                new CorruptReplicas(), SafeMode.off(), new ReadDemand());
    }

    Namespace namespace(long defaultChunkSizeBytes) {
        return new Namespace("test", store, cluster, gc, 3, defaultChunkSizeBytes, Clock.systemUTC());
    }

    ClusterStatus status() {
        return cluster.status();
    }
}
