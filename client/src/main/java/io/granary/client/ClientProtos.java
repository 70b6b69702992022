package io.granary.client;

import io.granary.common.Actor;
import io.granary.common.ChunkHandle;
import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.granary.common.Visibility;
import io.granary.common.meta.ChunkMeta;
import io.granary.common.meta.DirectoryEntry;
import io.granary.common.meta.DirectoryPage;
import io.granary.common.meta.EntryType;
import io.granary.common.meta.FileMeta;
import io.granary.common.meta.MultipartUpload;
import io.granary.common.meta.PartListing;
import io.granary.common.meta.PartMeta;
import io.granary.common.meta.Replica;
import io.granary.common.meta.UploadListing;
import io.granary.proto.BalancerStatus;
import io.granary.proto.ChunkInfo;
import io.granary.proto.ChunkLocation;
import io.granary.proto.ChunkServerStatus;
import io.granary.proto.ClusterInfo;
import io.granary.proto.CommittedChunk;
import io.granary.proto.DecommissionStatus;
import io.granary.proto.FileInfo;
import io.granary.proto.FsckResponse;
import io.granary.proto.ListAuditRequest;
import io.granary.proto.ListAuditResponse;
import io.granary.proto.ListDirectoryResponse;
import io.granary.proto.ListMultipartUploadsResponse;
import io.granary.proto.ListPartsResponse;
import io.granary.proto.MultipartUploadInfo;
import io.granary.proto.PartChunk;
import io.granary.proto.PartInfo;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The one place where the client converts between proto messages and its records. */
public final class ClientProtos {
    private ClientProtos() {
    }

    /** A file or directory as the master described it; paths gain their leading slash. */
    public static FileMeta toFileMeta(FileInfo info) {
        return new FileMeta("/" + info.getPath(), toEntryType(info.getType()), info.getInode(), info.getSizeBytes(),
                info.getReplication(), info.getChunkSizeBytes(), info.getSha256(), info.getContentType(),
                Instant.ofEpochMilli(info.getCreatedMs()), Instant.ofEpochMilli(info.getModifiedMs()),
                info.getChunksList().stream().map(ClientProtos::toChunkMeta).toList(), info.getFiles(),
                info.getOwner(), toVisibility(info.getVisibility()), info.getEtag(), info.getMetadataMap());
    }

    public static Visibility toVisibility(io.granary.proto.Visibility v) {
        return v == io.granary.proto.Visibility.VISIBILITY_PUBLIC ? Visibility.PUBLIC : Visibility.PRIVATE;
    }

    public static io.granary.proto.Visibility toProto(Visibility v) {
        return v == Visibility.PUBLIC ? io.granary.proto.Visibility.VISIBILITY_PUBLIC
                : io.granary.proto.Visibility.VISIBILITY_PRIVATE;
    }

    /** An actor for a request; none for {@link Actor#SYSTEM}, which the master reads as a cluster caller. */
    public static Optional<io.granary.proto.Actor> toProto(Actor actor) {
        return actor.isSystem() ? Optional.empty() : Optional.of(io.granary.proto.Actor.newBuilder()
                .setPrincipalId(actor.id()).setAdmin(actor.admin()).build());
    }

    /** An audit query as the master takes it. */
    static ListAuditRequest toProto(AuditFilter f) {
        return ListAuditRequest.newBuilder().setSinceMs(f.since() == null ? 0 : f.since().toEpochMilli())
                .setUntilMs(f.until() == null ? 0 : f.until().toEpochMilli()).setActor(f.actor())
                .setPathPrefix(f.path()).setAction(f.action()).setAfter(f.after()).setLimit(f.limit()).build();
    }

    /** A page of the audit log. */
    static AuditPage toAuditPage(ListAuditResponse page) {
        return new AuditPage(page.getEntriesList().stream()
                .map(e -> new AuditPage.Entry(e.getId(), Instant.ofEpochMilli(e.getTimeMs()), e.getAction(), e.getPath(),
                        e.getActor(), e.getAddress(), e.getRequestId(), e.getDetail()))
                .toList(), page.getNext());
    }

    /** A page of a listing; {@code next} is "" on the last page. */
    public static DirectoryPage toDirectoryPage(ListDirectoryResponse page) {
        return new DirectoryPage(page.getEntriesList().stream()
                .map(e -> new DirectoryEntry(e.getName(), toEntryType(e.getType()), e.getSizeBytes(),
                        Instant.ofEpochMilli(e.getModifiedMs()), e.getSha256(), e.getEtag()))
                .toList(), page.getNext());
    }

    public static ChunkMeta toChunkMeta(ChunkInfo chunk) {
        return new ChunkMeta(chunk.getIndex(), new ChunkHandle(chunk.getHandle()), chunk.getSizeBytes(),
                toReplicas(chunk.getReplicasList()), chunk.getAccess());
    }

    public static List<Replica> toReplicas(List<ChunkLocation> locations) {
        return locations.stream().map(l -> new Replica(l.getChunkserverId(), l.getAddress())).toList();
    }

    public static List<ChunkLocation> toLocations(List<Replica> replicas) {
        return replicas.stream()
                .map(r -> ChunkLocation.newBuilder().setChunkserverId(r.chunkserverId()).setAddress(r.address()).build())
                .toList();
    }

    public static ClusterView toClusterView(ClusterInfo info) {
        return new ClusterView(info.getMasterId(),
                info.getChunkserversList().stream().map(ClientProtos::toChunkServerView).toList(),
                info.getUnderReplicatedChunks(), info.getMissingChunks(), info.getDefaultReplication(),
                info.getDefaultChunkSizeBytes(), info.getMetadataStoreError(),
                new ClusterView.Repair(info.getCorruptChunks(), info.getRepairQueueLength(), info.getRepairsInFlight(),
                        info.getGcPendingBytes(), info.getTrashChunks(),
                        info.getSafeMode() ? info.getSafeModeDetail() : ""),
                toBalancer(info.getBalancer()));
    }

    private static ClusterView.Balancer toBalancer(BalancerStatus b) {
        return new ClusterView.Balancer(b.getState(), b.getThresholdPercent(), b.getBandwidthBytesPerSecond(),
                b.getAverageUsagePercent(), b.getOutsideThresholdList(), b.getMovesInFlight(), b.getChunksMoved(),
                b.getBytesMoved(), b.getDetail());
    }

    public static FsckView toFsckView(FsckResponse response) {
        return new FsckView(response.getChunksChecked(), response.getProblemsList().stream()
                .map(p -> new FsckView.Problem(new ChunkHandle(p.getHandle()), p.getPath(), p.getIndex(),
                        p.getWantedReplicas(), p.getGoodReplicas(), p.getCorruptReplicasList(), p.getState()))
                .toList());
    }

    public static ChunkServerView toChunkServerView(ChunkServerStatus s) {
        Instant lastHeartbeat = s.getLastHeartbeatMs() == 0 ? null : Instant.ofEpochMilli(s.getLastHeartbeatMs());
        return new ChunkServerView(s.getId(), s.getAddress(), s.getAlive(), s.getCapacityBytes(), s.getUsedBytes(),
                s.getChunks(), lastHeartbeat, toDecommissionView(s.getDecommission()));
    }

    public static DecommissionView toDecommissionView(DecommissionStatus d) {
        return new DecommissionView(d.getState(), d.getSinceMs() == 0 ? null : Instant.ofEpochMilli(d.getSinceMs()),
                d.getChunksToMove(), d.getChunksUnmovable(), d.getDetail());
    }

    /** A multipart upload as the master described it; its path gains its leading slash. */
    public static MultipartUpload toMultipartUpload(MultipartUploadInfo info) {
        return new MultipartUpload(info.getUploadId(), "/" + info.getPath(),
                Instant.ofEpochMilli(info.getInitiatedMs()), info.getOwner(), info.getContentType(), info.getMetadataMap(), info.getChunkSizeBytes(),
                info.getReplication());
    }

    public static PartMeta toPartMeta(PartInfo part) {
        return new PartMeta(part.getPartNumber(), part.getSizeBytes(), part.getMd5Hex(), part.getSha256(),
                Instant.ofEpochMilli(part.getLastModifiedMs()));
    }

    public static PartListing toPartListing(ListPartsResponse page) {
        return new PartListing(toMultipartUpload(page.getUpload()),
                page.getPartsList().stream().map(ClientProtos::toPartMeta).toList(), page.getNextPartNumber(),
                page.getTruncated());
    }

    public static UploadListing toUploadListing(ListMultipartUploadsResponse page) {
        return new UploadListing(page.getUploadsList().stream().map(ClientProtos::toMultipartUpload).toList(),
                page.getNextPath(), page.getNextUploadId(), page.getTruncated());
    }

    static PartChunk toPartChunk(WrittenChunk chunk) {
        return PartChunk.newBuilder()
                .setHandle(chunk.handle().value())
                .setSizeBytes(chunk.size())
                .addAllReplicas(chunk.replicaIds())
                .build();
    }

    static CommittedChunk toCommittedChunk(WrittenChunk chunk) {
        return CommittedChunk.newBuilder()
                .setIndex(chunk.index())
                .setHandle(chunk.handle().value())
                .setSizeBytes(chunk.size())
                .addAllReplicas(chunk.replicaIds())
                .build();
    }

    static EntryType toEntryType(io.granary.proto.EntryType type) {
        return switch (type) {
            case ENTRY_TYPE_FILE -> EntryType.FILE;
            case ENTRY_TYPE_DIRECTORY -> EntryType.DIRECTORY;
            default -> throw new GranaryException(ErrorKind.INTERNAL, "the master sent an entry of unknown type " + type);
        };
    }
}
