package io.granary.gateway;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.granary.client.ChunkMeta;
import io.granary.client.ChunkServerView;
import io.granary.client.ClusterView;
import io.granary.client.FileMeta;
import io.granary.client.FsckView;
import io.granary.client.Replica;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** The JSON shapes of the HTTP API, and the one place that builds them from client records. */
final class GatewayJson {
    private GatewayJson() {
    }

    /** Jackson set up for these shapes: times as ISO-8601 UTC strings. */
    static ObjectMapper mapper() {
        return new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    }

    /** A file or directory; {@code chunks} is left out for a directory. */
    record FileJson(String path, String type, long size, int replication, long chunkSize, String sha256,
                    String contentType, Instant created, Instant modified,
                    @JsonInclude(JsonInclude.Include.NON_NULL) List<ChunkJson> chunks) {
    }

    record ChunkJson(int index, String handle, long size, List<String> replicas) {
    }

    record ClusterJson(MasterJson master, List<ChunkServerJson> chunkservers, long underReplicatedChunks,
                       long missingChunks, long corruptChunks, long repairQueueLength, long repairsInFlight,
                       long gcPendingBytes, long trashChunks, int defaultReplication, long defaultChunkSize) {
    }

    record MasterJson(String id, boolean metadataStoreReachable,
                      @JsonInclude(JsonInclude.Include.NON_EMPTY) String metadataStoreError, boolean safeMode,
                      @JsonInclude(JsonInclude.Include.NON_EMPTY) String safeModeDetail) {
    }

    record ChunkServerJson(String id, String address, boolean alive, long capacityBytes, long usedBytes,
                           long chunks, Instant lastHeartbeat) {
    }

    record FsckJson(boolean healthy, long chunksChecked, List<FsckChunkJson> problems) {
    }

    record FsckChunkJson(String handle, String path, int index, String state, int wantedReplicas, int goodReplicas,
                         List<String> corruptReplicas) {
    }

    record Liveness(String status) {
    }

    record Readiness(String status, int liveChunkservers, int defaultReplication) {
    }

    static FileJson file(FileMeta f) {
        List<ChunkJson> chunks = f.isFile() ? f.chunks().stream().map(GatewayJson::chunk).toList() : null;
        return new FileJson(f.path(), f.type().name().toLowerCase(Locale.ROOT), f.size(), f.replication(),
                f.chunkSize(), f.sha256(), f.contentType(), f.created(), f.modified(), chunks);
    }

    static ClusterJson cluster(ClusterView c) {
        ClusterView.Repair r = c.repair();
        return new ClusterJson(new MasterJson(c.masterId(), c.metadataStoreReachable(), c.metadataStoreError(),
                r.safeMode(), r.safeModeDetail()),
                c.chunkservers().stream().map(GatewayJson::chunkserver).toList(),
                c.underReplicatedChunks(), c.missingChunks(), r.corruptChunks(), r.repairQueue(),
                r.repairsInFlight(), r.gcPendingBytes(), r.trashChunks(), c.defaultReplication(),
                c.defaultChunkSize());
    }

    static FsckJson fsck(FsckView f) {
        return new FsckJson(f.healthy(), f.chunksChecked(), f.problems().stream()
                .map(p -> new FsckChunkJson(p.handle().hex(), p.path(), p.index(), p.state(), p.wantedReplicas(),
                        p.goodReplicas(), p.corruptReplicas()))
                .toList());
    }

    private static ChunkJson chunk(ChunkMeta c) {
        return new ChunkJson(c.index(), c.handle().hex(), c.size(),
                c.replicas().stream().map(Replica::chunkserverId).toList());
    }

    private static ChunkServerJson chunkserver(ChunkServerView s) {
        return new ChunkServerJson(s.id(), s.address(), s.alive(), s.capacityBytes(), s.usedBytes(), s.chunks(),
                s.lastHeartbeat());
    }
}
