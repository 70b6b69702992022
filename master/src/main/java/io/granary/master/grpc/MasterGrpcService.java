package io.granary.master.grpc;

import io.granary.common.Actor;
import io.granary.common.GranaryException;
import io.granary.common.Visibility;
import io.granary.common.grpc.ChunkAccess;
import io.granary.common.grpc.GrpcCalls;
import io.granary.master.audit.AuditLog;
import io.granary.master.cluster.ClusterHealth;
import io.granary.master.cluster.Decommissioner;
import io.granary.master.cluster.Membership;
import io.granary.master.model.MetadataStore;
import io.granary.master.model.WritePrecondition;
import io.granary.master.namespace.Directories;
import io.granary.master.namespace.MultipartUploads;
import io.granary.master.namespace.Namespace;
import io.granary.proto.AbandonUploadRequest;
import io.granary.proto.AbandonUploadResponse;
import io.granary.proto.AllocateChunkRequest;
import io.granary.proto.AllocateChunkResponse;
import io.granary.proto.ChunkInfo;
import io.granary.proto.ChunkLocation;
import io.granary.proto.ClusterInfo;
import io.granary.proto.CommitUploadRequest;
import io.granary.proto.CompleteMultipartUploadRequest;
import io.granary.proto.DecommissionChunkServerRequest;
import io.granary.proto.DecommissionChunkServerResponse;
import io.granary.proto.DeleteDirectoryRequest;
import io.granary.proto.DeleteDirectoryResponse;
import io.granary.proto.DeleteFileRequest;
import io.granary.proto.DeleteFileResponse;
import io.granary.proto.FileInfo;
import io.granary.proto.FsckRequest;
import io.granary.proto.FsckResponse;
import io.granary.proto.GetClusterRequest;
import io.granary.proto.GetFileRequest;
import io.granary.proto.ListAuditRequest;
import io.granary.proto.ListAuditResponse;
import io.granary.proto.ListDirectoryRequest;
import io.granary.proto.ListDirectoryResponse;
import io.granary.proto.ListMultipartUploadsRequest;
import io.granary.proto.ListMultipartUploadsResponse;
import io.granary.proto.ListPartsRequest;
import io.granary.proto.ListPartsResponse;
import io.granary.proto.MakeDirectoryRequest;
import io.granary.proto.MakeDirectoryResponse;
import io.granary.proto.MasterServiceGrpc;
import io.granary.proto.PartInfo;
import io.granary.proto.RecordPartRequest;
import io.granary.proto.RegisterChunkServerRequest;
import io.granary.proto.RegisterChunkServerResponse;
import io.granary.proto.RenameRequest;
import io.granary.proto.ReportBadReplicaRequest;
import io.granary.proto.ReportBadReplicaResponse;
import io.granary.proto.SetReplicationRequest;
import io.granary.proto.SetVisibilityRequest;
import io.granary.proto.StartUploadRequest;
import io.granary.proto.StartUploadResponse;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The master's gRPC surface: each rpc converts its request, calls the domain, and converts the answer
 * or the failure. Calls block on Redis, so the server runs them on its own executor, never on an
 * event loop.
 */
public final class MasterGrpcService extends MasterServiceGrpc.MasterServiceImplBase {
    private final Settings settings;
    private final Namespace namespace;
    private final MultipartUploads multipart;
    private final Directories directories;
    private final Membership membership;
    private final ClusterHealth health;
    private final MetadataStore store;
    private final Decommissioner decommissioner;
    private final AuditLog audit;

    /**
     * What this master tells its callers: its id, the defaults of an upload that asks for none
     * (GetCluster), how often a registering chunkserver will be heartbeated, and the chunk access
     * tickets it signs for callers a token admitted (empty on a cluster without a secret, whose
     * chunkservers ask for none).
     */
    public record Settings(String masterId, int defaultReplication, long defaultChunkSizeBytes,
                           Duration heartbeatInterval, Optional<ChunkAccess> chunkAccess) {
    }

    public MasterGrpcService(Settings settings, Namespace namespace, MultipartUploads multipart,
                             Directories directories, Membership membership, ClusterHealth health,
                             Decommissioner decommissioner, MetadataStore store, AuditLog audit) {
        this.audit = audit;
        this.decommissioner = decommissioner;
        this.settings = settings;
        this.namespace = namespace;
        this.multipart = multipart;
        this.directories = directories;
        this.membership = membership;
        this.health = health;
        this.store = store;
    }

    @Override
    public void startUpload(StartUploadRequest request, StreamObserver<StartUploadResponse> observer) {
        GrpcCalls.unary(observer, () -> {
            Actor actor = MasterProtos.actor(request.hasActor(), request.getActor());
            Visibility visibility = MasterProtos.visibility(request.getVisibility());
            WritePrecondition precondition = MasterProtos.precondition(request.getPrecondition());
            if (request.getMultipart()) {
                if (request.getAllocateFirstChunk()) {
                    throw GranaryException.invalid("a multipart upload allocates its chunks part by part: "
                            + "do not ask for a first chunk");
                }
                return MasterProtos.toStartResponse(multipart.start(request.getPath(), request.getReplication(),
                        request.getChunkSizeBytes(), request.getContentType(), precondition, actor, visibility,
                        request.getMetadataMap()));
            }
            return request.getAllocateFirstChunk()
                    ? withTicket(MasterProtos.toProto(namespace.startUploadWithFirstChunk(request.getPath(),
                            request.getReplication(), request.getChunkSizeBytes(), request.getContentType(),
                            precondition, actor, visibility, request.getMetadataMap())))
                    : MasterProtos.toProto(namespace.startUpload(request.getPath(), request.getReplication(),
                            request.getChunkSizeBytes(), request.getContentType(), precondition, actor, visibility,
                            request.getMetadataMap()));
        });
    }

    @Override
    public void allocateChunk(AllocateChunkRequest request, StreamObserver<AllocateChunkResponse> observer) {
        GrpcCalls.unary(observer, () -> withTicket(MasterProtos.toProto(
                namespace.allocateChunk(request.getUploadId(), request.getIndex(),
                        Set.copyOf(request.getAvoidChunkserversList()),
                        MasterProtos.actor(request.hasActor(), request.getActor())))));
    }

    /** With a ticket to write the chunk, forwarded down its chain, for a caller a token admitted. */
    private AllocateChunkResponse withTicket(AllocateChunkResponse chunk) {
        Optional<ChunkAccess> tickets = ticketsForCaller();
        return tickets.isEmpty() ? chunk : chunk.toBuilder().setAccess(tickets.get().write(chunk.getHandle(),
                chunk.getChainList().stream().skip(1).map(ChunkLocation::getAddress).toList())).build();
    }

    private StartUploadResponse withTicket(StartUploadResponse started) {
        return started.hasFirstChunk() && ticketsForCaller().isPresent()
                ? started.toBuilder().setFirstChunk(withTicket(started.getFirstChunk())).build() : started;
    }

    /** With a ticket to read each chunk, for a caller a token admitted. */
    private FileInfo withTickets(FileInfo file) {
        Optional<ChunkAccess> tickets = ticketsForCaller();
        if (tickets.isEmpty() || file.getChunksCount() == 0) {
            return file;
        }
        FileInfo.Builder builder = file.toBuilder();
        for (ChunkInfo.Builder chunk : builder.getChunksBuilderList()) {
            chunk.setAccess(tickets.get().read(chunk.getHandle()));
        }
        return builder.build();
    }

    /** The tickets to sign for the current call: only a token's caller needs them. */
    private Optional<ChunkAccess> ticketsForCaller() {
        return PrincipalAdmission.caller().isPresent() ? settings.chunkAccess() : Optional.empty();
    }

    @Override
    public void commitUpload(CommitUploadRequest request, StreamObserver<FileInfo> observer) {
        Duration callerTimeLeft = callerTimeLeft();
        GrpcCalls.unary(observer, () -> MasterProtos.toProto(namespace.commitUpload(request.getUploadId(),
                MasterProtos.committedChunks(request), request.getSizeBytes(), request.getSha256(), request.getEtag(),
                callerTimeLeft, MasterProtos.actor(false, null))));
    }

    /** What the caller still waits, from its gRPC deadline; forever without one. */
    private static Duration callerTimeLeft() {
        Deadline deadline = Context.current().getDeadline();
        return deadline == null ? Namespace.NO_CALLER_DEADLINE
                : Duration.ofNanos(deadline.timeRemaining(TimeUnit.NANOSECONDS));
    }

    @Override
    public void abandonUpload(AbandonUploadRequest request, StreamObserver<AbandonUploadResponse> observer) {
        GrpcCalls.unary(observer, () -> {
            namespace.abandonUpload(request.getUploadId(), MasterProtos.actor(request.hasActor(), request.getActor()));
            return AbandonUploadResponse.getDefaultInstance();
        });
    }

    @Override
    public void recordPart(RecordPartRequest request, StreamObserver<PartInfo> observer) {
        GrpcCalls.unary(observer, () -> MasterProtos.toProto(multipart.recordPart(request.getUploadId(),
                request.getPartNumber(), MasterProtos.partChunks(request), request.getSizeBytes(), request.getMd5Hex(),
                request.getSha256(), MasterProtos.actor(request.hasActor(), request.getActor()))));
    }

    @Override
    public void listParts(ListPartsRequest request, StreamObserver<ListPartsResponse> observer) {
        GrpcCalls.unary(observer, () -> MasterProtos.toProto(multipart.listParts(request.getUploadId(),
                request.getAfterPartNumber(), request.getLimit())));
    }

    @Override
    public void listMultipartUploads(ListMultipartUploadsRequest request,
                                     StreamObserver<ListMultipartUploadsResponse> observer) {
        GrpcCalls.unary(observer, () -> MasterProtos.toProto(multipart.listUploads(request.getPathPrefix(),
                request.getAfterPath(), request.getAfterUploadId(), request.getLimit())));
    }

    @Override
    public void completeMultipartUpload(CompleteMultipartUploadRequest request, StreamObserver<FileInfo> observer) {
        Duration callerTimeLeft = callerTimeLeft();
        GrpcCalls.unary(observer, () -> MasterProtos.toProto(multipart.complete(request.getUploadId(),
                MasterProtos.partRefs(request), request.getEtag(), request.getSha256(), request.getMinPartBytes(),
                MasterProtos.actor(request.hasActor(), request.getActor()), callerTimeLeft)));
    }

    @Override
    public void getFile(GetFileRequest request, StreamObserver<FileInfo> observer) {
        GrpcCalls.unary(observer, () -> withTickets(MasterProtos.toProto(namespace.getFile(request.getPath()))));
    }

    @Override
    public void deleteFile(DeleteFileRequest request, StreamObserver<DeleteFileResponse> observer) {
        GrpcCalls.unary(observer, () -> {
            namespace.deleteFile(request.getPath(), MasterProtos.actor(request.hasActor(), request.getActor()));
            return DeleteFileResponse.getDefaultInstance();
        });
    }

    @Override
    public void makeDirectory(MakeDirectoryRequest request, StreamObserver<MakeDirectoryResponse> observer) {
        GrpcCalls.unary(observer, () -> MasterProtos.toProto(directories.makeDirectory(request.getPath(),
                MasterProtos.actor(request.hasActor(), request.getActor()))));
    }

    @Override
    public void listDirectory(ListDirectoryRequest request, StreamObserver<ListDirectoryResponse> observer) {
        GrpcCalls.unary(observer, () -> MasterProtos.toProto(
                directories.list(request.getPath(), request.getAfter(), request.getLimit())));
    }

    @Override
    public void deleteDirectory(DeleteDirectoryRequest request, StreamObserver<DeleteDirectoryResponse> observer) {
        GrpcCalls.unary(observer, () -> DeleteDirectoryResponse.newBuilder()
                .setFilesDeleted(directories.deleteDirectory(request.getPath(), request.getRecursive(),
                        MasterProtos.actor(request.hasActor(), request.getActor())))
                .build());
    }

    @Override
    public void rename(RenameRequest request, StreamObserver<FileInfo> observer) {
        GrpcCalls.unary(observer, () -> MasterProtos.toProto(
                directories.rename(request.getFrom(), request.getTo(), request.getOverwrite(),
                        MasterProtos.actor(request.hasActor(), request.getActor()))));
    }

    @Override
    public void setReplication(SetReplicationRequest request, StreamObserver<FileInfo> observer) {
        GrpcCalls.unary(observer, () -> MasterProtos.toProto(
                namespace.setReplication(request.getPath(), request.getReplication(),
                        MasterProtos.actor(request.hasActor(), request.getActor()))));
    }

    @Override
    public void setVisibility(SetVisibilityRequest request, StreamObserver<FileInfo> observer) {
        GrpcCalls.unary(observer, () -> {
            Visibility visibility = MasterProtos.visibility(request.getVisibility());
            if (visibility == null) {
                throw GranaryException.invalid("visibility must be private or public");
            }
            return MasterProtos.toProto(namespace.setVisibility(request.getPath(), visibility,
                    MasterProtos.actor(request.hasActor(), request.getActor())));
        });
    }

    @Override
    public void getCluster(GetClusterRequest request, StreamObserver<ClusterInfo> observer) {
        GrpcCalls.unary(observer, () -> MasterProtos.toProto(settings.masterId(), health.status(),
                settings.defaultReplication(), settings.defaultChunkSizeBytes(), metadataStoreError()));
    }

    /** The cluster view is in memory and answers during a Redis outage; readiness needs to know of one. */
    private String metadataStoreError() {
        try {
            store.ping();
            return "";
        } catch (GranaryException e) {
            return e.getMessage();
        }
    }

    @Override
    public void registerChunkServer(RegisterChunkServerRequest request,
                                    StreamObserver<RegisterChunkServerResponse> observer) {
        GrpcCalls.unary(observer, () -> {
            membership.register(request.getId(), request.getAddress(), request.getCapacityBytes(),
                    request.getUsedBytes(), MasterProtos.handles(request.getHandlesList()),
                    MasterProtos.handles(request.getCorruptHandlesList()));
            return RegisterChunkServerResponse.newBuilder()
                    .setMasterId(settings.masterId())
                    .setHeartbeatIntervalMs(settings.heartbeatInterval().toMillis())
                    .build();
        });
    }

    @Override
    public void reportBadReplica(ReportBadReplicaRequest request, StreamObserver<ReportBadReplicaResponse> observer) {
        GrpcCalls.unary(observer, () -> {
            health.reportBad(MasterProtos.handle(request.getHandle()), request.getChunkserverId(), request.getReporter());
            return ReportBadReplicaResponse.getDefaultInstance();
        });
    }

    @Override
    public void decommissionChunkServer(DecommissionChunkServerRequest request,
                                        StreamObserver<DecommissionChunkServerResponse> observer) {
        GrpcCalls.unary(observer, () -> DecommissionChunkServerResponse.newBuilder()
                .setDecommission(MasterProtos.toProto(request.getCancel()
                        ? decommissioner.cancel(request.getChunkserverId())
                        : decommissioner.start(request.getChunkserverId())))
                .build());
    }

    @Override
    public void listAudit(ListAuditRequest request, StreamObserver<ListAuditResponse> observer) {
        GrpcCalls.unary(observer, () -> MasterProtos.toProto(audit.list(MasterProtos.auditQuery(request))));
    }

    @Override
    public void fsck(FsckRequest request, StreamObserver<FsckResponse> observer) {
        GrpcCalls.unary(observer, () -> MasterProtos.toProto(health.fsck()));
    }
}
