package io.granary.master.grpc;

import io.granary.common.Actor;
import io.granary.common.ChunkHandle;
import io.granary.common.GranaryException;
import io.granary.common.GranaryPath;
import io.granary.common.Visibility;
import io.granary.common.grpc.RequestIds;
import io.granary.common.meta.ChunkMeta;
import io.granary.common.meta.DirectoryEntry;
import io.granary.common.meta.DirectoryPage;
import io.granary.common.meta.FileMeta;
import io.granary.common.meta.MultipartUpload;
import io.granary.common.meta.PartListing;
import io.granary.common.meta.PartMeta;
import io.granary.common.meta.PartRef;
import io.granary.common.meta.Replica;
import io.granary.common.meta.UploadListing;
import io.granary.master.audit.AuditEntry;
import io.granary.master.audit.AuditPage;
import io.granary.master.audit.AuditQuery;
import io.granary.master.cluster.BalancerStatus;
import io.granary.master.cluster.ChunkServerClient.HeartbeatOrder;
import io.granary.master.cluster.ChunkServerClient.HeartbeatReply;
import io.granary.master.cluster.ChunkServerInfo;
import io.granary.master.cluster.ClusterStatus;
import io.granary.master.cluster.DecommissionStatus;
import io.granary.master.cluster.FsckReport;
import io.granary.master.model.ChunkAllocation;
import io.granary.master.model.CommittedChunk;
import io.granary.master.model.MetadataStore.MakeDirectoryOutcome;
import io.granary.master.model.StartedUpload;
import io.granary.master.model.UploadSession;
import io.granary.master.model.WritePrecondition;
import io.granary.proto.AllocateChunkResponse;
import io.granary.proto.ChunkInfo;
import io.granary.proto.ChunkLocation;
import io.granary.proto.ChunkServerStatus;
import io.granary.proto.ClusterInfo;
import io.granary.proto.CommitUploadRequest;
import io.granary.proto.CompleteMultipartUploadRequest;
import io.granary.proto.CopyChunkRequest;
import io.granary.proto.EntryType;
import io.granary.proto.FileInfo;
import io.granary.proto.FsckChunk;
import io.granary.proto.FsckResponse;
import io.granary.proto.HeartbeatRequest;
import io.granary.proto.HeartbeatResponse;
import io.granary.proto.ListAuditRequest;
import io.granary.proto.ListAuditResponse;
import io.granary.proto.ListDirectoryResponse;
import io.granary.proto.ListMultipartUploadsResponse;
import io.granary.proto.ListPartsResponse;
import io.granary.proto.MakeDirectoryResponse;
import io.granary.proto.MultipartUploadInfo;
import io.granary.proto.PartChunk;
import io.granary.proto.PartInfo;
import io.granary.proto.RecordPartRequest;
import io.granary.proto.StartUploadResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The one place where the master's records and the wire messages meet. Stateless. */
public final class MasterProtos {
    private MasterProtos() {
    }

    public static StartUploadResponse toProto(UploadSession session) {
        return StartUploadResponse.newBuilder()
                .setUploadId(session.id())
                .setReplication(session.replication())
                .setChunkSizeBytes(session.chunkSizeBytes())
                .build();
    }

    public static StartUploadResponse toProto(StartedUpload started) {
        return toProto(started.session()).toBuilder().setFirstChunk(toProto(started.firstChunk())).build();
    }

    public static AllocateChunkResponse toProto(ChunkAllocation allocation) {
        AllocateChunkResponse.Builder out = AllocateChunkResponse.newBuilder().setHandle(allocation.handle().value())
                .setChunkSizeBytes(allocation.chunkSizeBytes());
        allocation.chain().forEach(r -> out.addChain(toProto(r)));
        return out.build();
    }

    public static FileInfo toProto(FileMeta meta) {
        FileInfo.Builder out = FileInfo.newBuilder()
                .setPath(GranaryPath.of(meta.path()).value())
                .setType(toProto(meta.type()))
                .setInode(meta.inode())
                .setSizeBytes(meta.size())
                .setReplication(meta.replication())
                .setChunkSizeBytes(meta.chunkSize())
                .setSha256(meta.sha256())
                .setContentType(meta.contentType())
                .setCreatedMs(meta.created().toEpochMilli())
                .setModifiedMs(meta.modified().toEpochMilli())
                .setFiles(meta.files())
                .setOwner(meta.owner())
                .setEtag(meta.etag())
                .putAllMetadata(meta.metadata());
        if (meta.isFile()) {
            out.setVisibility(toProto(meta.visibility()));
        }
        meta.chunks().forEach(c -> out.addChunks(toProto(c)));
        return out.build();
    }

    public static MakeDirectoryResponse toProto(MakeDirectoryOutcome outcome) {
        return MakeDirectoryResponse.newBuilder()
                .setDirectory(toProto(outcome.directory()))
                .setCreated(outcome.created())
                .build();
    }

    public static ListDirectoryResponse toProto(DirectoryPage page) {
        ListDirectoryResponse.Builder out = ListDirectoryResponse.newBuilder().setNext(page.next());
        page.entries().forEach(e -> out.addEntries(toProto(e)));
        return out.build();
    }

    private static io.granary.proto.DirectoryEntry toProto(DirectoryEntry entry) {
        return io.granary.proto.DirectoryEntry.newBuilder()
                .setName(entry.name())
                .setType(toProto(entry.type()))
                .setSizeBytes(entry.size())
                .setModifiedMs(entry.modified().toEpochMilli())
                .setEtag(entry.etag())
                .setSha256(entry.sha256())
                .build();
    }

    private static EntryType toProto(io.granary.common.meta.EntryType type) {
        return type == io.granary.common.meta.EntryType.FILE ? EntryType.ENTRY_TYPE_FILE
                : EntryType.ENTRY_TYPE_DIRECTORY;
    }

    /**
     * The actor of a request: for a call a token admitted, that token's principal (see
     * {@link PrincipalAdmission}), whatever the request says; otherwise the request's actor, none
     * meaning a caller inside the cluster, which acts as an admin. Its
     * address and request id are those of the gRPC call being served (see {@link RequestIds}), so this
     * must be called on the thread of the service method.
     */
    public static Actor actor(boolean present, io.granary.proto.Actor proto) {
        Optional<Actor> principal = PrincipalAdmission.caller();
        if (principal.isPresent()) {
            // a token's principal, never the actor its request names
            return principal.get().from(principal.get().address(), RequestIds.current());
        }
        Actor actor = Actor.SYSTEM;
        if (present) {
            if (proto.getPrincipalId().isEmpty()) {
                throw GranaryException.invalid("an actor needs a principal id");
            }
            actor = new Actor(proto.getPrincipalId(), proto.getAdmin());
        }
        return actor.from(RequestIds.currentClientAddress(), RequestIds.current());
    }

    /** A principal named by id alone (an admin's rpc), with the call's address and request id; "" for the cluster. */
    public static Actor actor(String principalId) {
        return actor(!principalId.isEmpty(), io.granary.proto.Actor.newBuilder().setPrincipalId(principalId)
                .setAdmin(true).build());
    }

    /** An audit query as asked. */
    public static AuditQuery auditQuery(ListAuditRequest request) {
        return new AuditQuery(request.getSinceMs(), request.getUntilMs(), request.getActor(), request.getPathPrefix(),
                request.getAction(), request.getAfter(), request.getLimit());
    }

    /** A page of the audit log. */
    public static ListAuditResponse toProto(AuditPage page) {
        ListAuditResponse.Builder out = ListAuditResponse.newBuilder().setNext(page.next());
        for (AuditEntry e : page.entries()) {
            out.addEntries(io.granary.proto.AuditEntry.newBuilder().setId(e.id()).setTimeMs(e.timeMs())
                    .setAction(e.action()).setPath(e.path()).setActor(e.actor()).setAddress(e.address())
                    .setRequestId(e.requestId()).setDetail(e.detail()));
        }
        return out.build();
    }

    /** A requested visibility; unspecified is null (keep the replaced file's, or private). */
    public static Visibility visibility(io.granary.proto.Visibility proto) {
        return switch (proto) {
            case VISIBILITY_PUBLIC -> Visibility.PUBLIC;
            case VISIBILITY_PRIVATE -> Visibility.PRIVATE;
            default -> null;
        };
    }

    static io.granary.proto.Visibility toProto(Visibility visibility) {
        return visibility == Visibility.PUBLIC ? io.granary.proto.Visibility.VISIBILITY_PUBLIC
                : io.granary.proto.Visibility.VISIBILITY_PRIVATE;
    }

    public static WritePrecondition precondition(io.granary.proto.WritePrecondition proto) {
        return new WritePrecondition(proto.getIfMatchSha256(), proto.getIfNoneMatch());
    }

    private static ChunkInfo toProto(ChunkMeta chunk) {
        ChunkInfo.Builder out = ChunkInfo.newBuilder()
                .setIndex(chunk.index())
                .setHandle(chunk.handle().value())
                .setSizeBytes(chunk.size());
        chunk.replicas().forEach(r -> out.addReplicas(toProto(r)));
        return out.build();
    }

    private static ChunkLocation toProto(Replica replica) {
        return ChunkLocation.newBuilder().setChunkserverId(replica.chunkserverId()).setAddress(replica.address()).build();
    }

    /** A part's chunks as committed chunks, indexed by their position in the part. */
    public static List<CommittedChunk> partChunks(RecordPartRequest request) {
        List<CommittedChunk> out = new ArrayList<>(request.getChunksCount());
        for (PartChunk c : request.getChunksList()) {
            out.add(new CommittedChunk(out.size(), new ChunkHandle(c.getHandle()), c.getSizeBytes(), c.getReplicasList()));
        }
        return out;
    }

    public static PartInfo toProto(PartMeta part) {
        return PartInfo.newBuilder()
                .setPartNumber(part.partNumber())
                .setSizeBytes(part.size())
                .setMd5Hex(part.md5Hex())
                .setSha256(part.sha256())
                .setLastModifiedMs(part.lastModified().toEpochMilli())
                .build();
    }

    public static MultipartUploadInfo toProto(MultipartUpload upload) {
        return MultipartUploadInfo.newBuilder()
                .setUploadId(upload.uploadId())
                .setPath(GranaryPath.of(upload.path()).value())
                .setInitiatedMs(upload.initiated().toEpochMilli())
                .setOwner(upload.owner())
                .setContentType(upload.contentType())
                .putAllMetadata(upload.metadata())
                .setChunkSizeBytes(upload.chunkSizeBytes())
                .setReplication(upload.replication())
                .build();
    }

    public static StartUploadResponse toStartResponse(MultipartUpload upload) {
        return StartUploadResponse.newBuilder()
                .setUploadId(upload.uploadId())
                .setReplication(upload.replication())
                .setChunkSizeBytes(upload.chunkSizeBytes())
                .setMultipartUpload(toProto(upload))
                .build();
    }

    public static ListPartsResponse toProto(PartListing listing) {
        ListPartsResponse.Builder out = ListPartsResponse.newBuilder()
                .setUpload(toProto(listing.upload()))
                .setNextPartNumber(listing.nextPartNumber())
                .setTruncated(listing.truncated());
        listing.parts().forEach(p -> out.addParts(toProto(p)));
        return out.build();
    }

    public static ListMultipartUploadsResponse toProto(UploadListing listing) {
        ListMultipartUploadsResponse.Builder out = ListMultipartUploadsResponse.newBuilder()
                .setNextPath(listing.nextPath())
                .setNextUploadId(listing.nextUploadId())
                .setTruncated(listing.truncated());
        listing.uploads().forEach(u -> out.addUploads(toProto(u)));
        return out.build();
    }

    public static List<PartRef> partRefs(CompleteMultipartUploadRequest request) {
        return request.getPartsList().stream().map(p -> new PartRef(p.getPartNumber(), p.getMd5Hex())).toList();
    }

    public static List<CommittedChunk> committedChunks(CommitUploadRequest request) {
        return request.getChunksList().stream()
                .map(c -> new CommittedChunk(c.getIndex(), new ChunkHandle(c.getHandle()), c.getSizeBytes(),
                        c.getReplicasList()))
                .toList();
    }

    public static ChunkHandle handle(long value) {
        return new ChunkHandle(value);
    }

    public static List<ChunkHandle> handles(List<Long> values) {
        return values.stream().map(ChunkHandle::new).toList();
    }

    public static ClusterInfo toProto(String masterId, ClusterStatus status, int defaultReplication,
                                      long defaultChunkSizeBytes, String metadataStoreError) {
        ClusterInfo.Builder out = ClusterInfo.newBuilder()
                .setMasterId(masterId)
                .setMetadataStoreError(metadataStoreError)
                .setUnderReplicatedChunks(status.underReplicated())
                .setMissingChunks(status.missing())
                .setDefaultReplication(defaultReplication)
                .setDefaultChunkSizeBytes(defaultChunkSizeBytes)
                .setCorruptChunks(status.repair().corruptChunks())
                .setRepairQueueLength(status.repair().queued())
                .setRepairsInFlight(status.repair().inFlight())
                .setGcPendingBytes(status.repair().gcPendingBytes())
                .setTrashChunks(status.repair().trashChunks())
                .setSafeMode(status.repair().safeMode())
                .setSafeModeDetail(status.repair().safeModeDetail())
                .setBalancer(toProto(status.balancer()));
        status.chunkServers().forEach(s -> out.addChunkservers(toProto(s, status.decommission(s.id()))));
        return out.build();
    }

    static io.granary.proto.BalancerStatus toProto(BalancerStatus balancer) {
        return io.granary.proto.BalancerStatus.newBuilder()
                .setState(balancer.state().wireName())
                .setThresholdPercent(balancer.settings().thresholdPercent())
                .setBandwidthBytesPerSecond(balancer.settings().bandwidthBytesPerSecond())
                .setAverageUsagePercent(balancer.averageUsage() * 100)
                .addAllOutsideThreshold(balancer.outside())
                .setMovesInFlight(balancer.movesInFlight())
                .setChunksMoved(balancer.chunksMoved())
                .setBytesMoved(balancer.bytesMoved())
                .setDetail(balancer.detail())
                .build();
    }

    /** A chunkserver's decommission state on the wire. */
    public static io.granary.proto.DecommissionStatus toProto(DecommissionStatus decommission) {
        return io.granary.proto.DecommissionStatus.newBuilder()
                .setState(decommission.state().wireName())
                .setSinceMs(decommission.sinceMs())
                .setChunksToMove(decommission.chunksToMove())
                .setChunksUnmovable(decommission.chunksUnmovable())
                .setDetail(decommission.detail())
                .build();
    }

    private static ChunkServerStatus toProto(ChunkServerInfo server, DecommissionStatus decommission) {
        return ChunkServerStatus.newBuilder()
                .setDecommission(toProto(decommission))
                .setId(server.id())
                .setAddress(server.address())
                .setAlive(server.alive())
                .setCapacityBytes(server.capacityBytes())
                .setUsedBytes(server.usedBytes())
                .setChunks(server.chunkCount())
                .setLastHeartbeatMs(server.lastHeartbeatMs())
                .build();
    }

    public static FsckResponse toProto(FsckReport report) {
        FsckResponse.Builder out = FsckResponse.newBuilder().setChunksChecked(report.checked());
        for (FsckReport.Problem p : report.problems()) {
            out.addProblems(FsckChunk.newBuilder()
                    .setHandle(p.handle().value())
                    .setPath(p.path())
                    .setIndex(Math.max(p.index(), 0))
                    .setWantedReplicas(p.wanted())
                    .setGoodReplicas(p.good())
                    .addAllCorruptReplicas(p.corrupt())
                    .setState(p.state().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')));
        }
        return out.build();
    }

    /** A copy order of the master at fencing epoch {@code masterEpoch}. */
    public static CopyChunkRequest copyOrder(ChunkHandle handle, String sourceId, String sourceAddress,
                                             boolean replace, long masterEpoch) {
        return CopyChunkRequest.newBuilder()
                .setHandle(handle.value())
                .setReplace(replace)
                .setMasterEpoch(masterEpoch)
                .setSource(ChunkLocation.newBuilder().setChunkserverId(sourceId).setAddress(sourceAddress))
                .build();
    }

    /** A heartbeat of the master at fencing epoch {@code masterEpoch}. */
    public static HeartbeatRequest toProto(HeartbeatOrder order, long masterEpoch) {
        HeartbeatRequest.Builder out = HeartbeatRequest.newBuilder()
                .setMasterId(order.masterId())
                .setMasterEpoch(masterEpoch)
                .setWantChunkReport(order.wantReport());
        order.deletes().forEach(h -> out.addDeleteHandles(h.value()));
        return out.build();
    }

    public static HeartbeatReply fromProto(HeartbeatResponse response) {
        Optional<List<ChunkHandle>> report = response.getChunkReport()
                ? Optional.of(handles(response.getHandlesList()))
                : Optional.empty();
        return new HeartbeatReply(response.getChunkserverId(), response.getCapacityBytes(), response.getUsedBytes(),
                response.getChunkCount(), report, handles(response.getCorruptHandlesList()));
    }
}
