package io.granary.client;

import io.granary.common.Actor;
import io.granary.common.ChunkHandle;
import io.granary.common.Visibility;
import io.granary.common.GranaryPath;
import io.granary.common.grpc.MasterRetry;
import io.granary.common.meta.PartRef;
import io.granary.proto.AbandonUploadRequest;
import io.granary.proto.AllocateChunkRequest;
import io.granary.proto.AllocateChunkResponse;
import io.granary.proto.ClusterInfo;
import io.granary.proto.CommitUploadRequest;
import io.granary.proto.CompleteMultipartUploadRequest;
import io.granary.proto.CompletedPart;
import io.granary.proto.DecommissionChunkServerRequest;
import io.granary.proto.DecommissionStatus;
import io.granary.proto.DeleteDirectoryRequest;
import io.granary.proto.DeleteFileRequest;
import io.granary.proto.FileInfo;
import io.granary.proto.FsckRequest;
import io.granary.proto.FsckResponse;
import io.granary.proto.ListAuditResponse;
import io.granary.proto.GetClusterRequest;
import io.granary.proto.GetFileRequest;
import io.granary.proto.ListDirectoryRequest;
import io.granary.proto.ListDirectoryResponse;
import io.granary.proto.ListMultipartUploadsRequest;
import io.granary.proto.ListMultipartUploadsResponse;
import io.granary.proto.ListPartsRequest;
import io.granary.proto.ListPartsResponse;
import io.granary.proto.MakeDirectoryRequest;
import io.granary.proto.MakeDirectoryResponse;
import io.granary.proto.MasterServiceGrpc;
import io.granary.proto.MasterServiceGrpc.MasterServiceBlockingStub;
import io.granary.proto.PartInfo;
import io.granary.proto.RecordPartRequest;
import io.granary.proto.RenameRequest;
import io.granary.proto.SetReplicationRequest;
import io.granary.proto.SetVisibilityRequest;
import io.granary.proto.ReportBadReplicaRequest;
import io.granary.proto.ReportBadReplicaResponse;
import io.granary.proto.StartUploadRequest;
import io.granary.proto.StartUploadResponse;
import io.granary.proto.WritePrecondition;
import io.grpc.Channel;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Blocking calls to the master, each attempt under the metadata deadline, sent again during a failover
 * as {@link MasterRetry} allows (reads go through {@code read}, everything else through {@code write}),
 * with failures turned into {@link io.granary.common.GranaryException}s. Thread-safe.
 */
final class MasterCalls {
    private static final Logger log = LoggerFactory.getLogger(MasterCalls.class);

    private final MasterServiceBlockingStub stub;
    private final MasterServiceGrpc.MasterServiceStub async;
    private final Duration deadline;
    private final MasterRetry retry;

    MasterCalls(Channel channel, Duration deadline, MasterRetry retry) {
        this.stub = MasterServiceGrpc.newBlockingStub(channel);
        this.async = MasterServiceGrpc.newStub(channel);
        this.deadline = deadline;
        this.retry = retry;
    }

    /**
     * Tells the master a replica failed its checksum, without waiting: the read has moved on to the
     * next replica already, and a lost report only delays the repair until the chunkserver's own.
     */
    void reportBadReplica(ChunkHandle handle, String chunkserverId, String reporter) {
        async.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS).reportBadReplica(
                ReportBadReplicaRequest.newBuilder().setHandle(handle.value()).setChunkserverId(chunkserverId)
                        .setReporter(reporter).build(),
                new StreamObserver<>() {
                    @Override
                    public void onNext(ReportBadReplicaResponse value) {
                        // nothing to read in the answer
                    }

                    @Override
                    public void onError(Throwable t) {
                        log.debug("{}: reporting the bad replica of chunk {} on {} failed: {}", reporter,
                                handle.hex(), chunkserverId, t.getMessage());
                    }

                    @Override
                    public void onCompleted() {
                        log.debug("{}: reported the bad replica of chunk {} on {}", reporter, handle.hex(),
                                chunkserverId);
                    }
                });
    }

    StartUploadResponse startUpload(GranaryPath path, UploadOptions options) {
        return write(s -> s.startUpload(startRequest(path, options).setAllocateFirstChunk(true).build()));
    }

    /**
     * Opens a multipart upload to {@code path} with the options' replication, chunk size, content type,
     * metadata, write precondition, actor and visibility (digest options do not apply to a session).
     */
    StartUploadResponse startMultipart(GranaryPath path, UploadOptions options) {
        return write(s -> s.startUpload(startRequest(path, options).setMultipart(true).build()));
    }

    /** What every upload asks of the master at its start: where, how, on whose behalf, under which condition. */
    private static StartUploadRequest.Builder startRequest(GranaryPath path, UploadOptions options) {
        StartUploadRequest.Builder request = StartUploadRequest.newBuilder()
                .setPath(path.value())
                .setReplication(options.replication())
                .setChunkSizeBytes(options.chunkSizeBytes())
                .setContentType(options.contentType())
                .setPrecondition(WritePrecondition.newBuilder()
                        .setIfMatchSha256(options.ifMatchSha256())
                        .setIfNoneMatch(options.ifNoneMatch()))
                .putAllMetadata(options.metadata());
        ClientProtos.toProto(options.actor()).ifPresent(request::setActor);
        if (options.visibility() != null) {
            request.setVisibility(ClientProtos.toProto(options.visibility()));
        }
        return request;
    }

    /**
     * A new handle and chain for chunk {@code index}, the chain without the chunkservers in {@code avoid},
     * for {@code actor} (who must have started a multipart upload, or be an admin).
     */
    AllocateChunkResponse allocateChunk(String uploadId, int index, Collection<String> avoid, Actor actor) {
        AllocateChunkRequest.Builder request = AllocateChunkRequest.newBuilder()
                .setUploadId(uploadId).setIndex(index).addAllAvoidChunkservers(avoid);
        ClientProtos.toProto(actor).ifPresent(request::setActor);
        return write(s -> s.allocateChunk(request.build()));
    }

    PartInfo recordPart(String uploadId, int partNumber, List<WrittenChunk> chunks, long size, String md5Hex,
                        String sha256, Actor actor) {
        RecordPartRequest.Builder request = RecordPartRequest.newBuilder()
                .setUploadId(uploadId)
                .setPartNumber(partNumber)
                .addAllChunks(chunks.stream().map(ClientProtos::toPartChunk).toList())
                .setSizeBytes(size)
                .setMd5Hex(md5Hex)
                .setSha256(sha256);
        ClientProtos.toProto(actor).ifPresent(request::setActor);
        return write(s -> s.recordPart(request.build()));
    }

    ListPartsResponse listParts(String uploadId, int afterPart, int limit) {
        return read(s -> s.listParts(ListPartsRequest.newBuilder()
                .setUploadId(uploadId).setAfterPartNumber(afterPart).setLimit(limit).build()));
    }

    ListMultipartUploadsResponse listMultipartUploads(String pathPrefix, String afterPath, String afterUploadId,
                                                      int limit) {
        return read(s -> s.listMultipartUploads(ListMultipartUploadsRequest.newBuilder()
                .setPathPrefix(pathPrefix).setAfterPath(afterPath).setAfterUploadId(afterUploadId).setLimit(limit)
                .build()));
    }

    FileInfo completeMultipart(String uploadId, List<PartRef> parts, String etag, String sha256, long minPartBytes,
                               Actor actor) {
        CompleteMultipartUploadRequest.Builder request = CompleteMultipartUploadRequest.newBuilder()
                .setUploadId(uploadId)
                .setEtag(etag)
                .setSha256(sha256)
                .setMinPartBytes(minPartBytes);
        parts.forEach(p -> request.addParts(CompletedPart.newBuilder()
                .setPartNumber(p.partNumber()).setMd5Hex(p.md5Hex())));
        ClientProtos.toProto(actor).ifPresent(request::setActor);
        return settle(s -> s.completeMultipartUpload(request.build()));
    }

    FileInfo commitUpload(String uploadId, List<WrittenChunk> chunks, long size, String sha256, String etag) {
        return settle(s -> s.commitUpload(CommitUploadRequest.newBuilder()
                .setUploadId(uploadId)
                .addAllChunks(chunks.stream().map(ClientProtos::toCommittedChunk).toList())
                .setSizeBytes(size)
                .setSha256(sha256)
                .setEtag(etag)
                .build()));
    }

    void abandonUpload(String uploadId) {
        abandonUpload(uploadId, Actor.SYSTEM);
    }

    /** Abandons an upload for {@code actor}, who must have started it or be an admin. */
    void abandonUpload(String uploadId, Actor actor) {
        AbandonUploadRequest.Builder request = AbandonUploadRequest.newBuilder().setUploadId(uploadId);
        ClientProtos.toProto(actor).ifPresent(request::setActor);
        settle(s -> s.abandonUpload(request.build()));
    }

    FileInfo getFile(GranaryPath path) {
        return read(s -> s.getFile(GetFileRequest.newBuilder().setPath(path.value()).build()));
    }

    void deleteFile(GranaryPath path, Actor actor) {
        DeleteFileRequest.Builder request = DeleteFileRequest.newBuilder().setPath(path.value());
        ClientProtos.toProto(actor).ifPresent(request::setActor);
        write(s -> s.deleteFile(request.build()));
    }

    MakeDirectoryResponse makeDirectory(GranaryPath path, Actor actor) {
        MakeDirectoryRequest.Builder request = MakeDirectoryRequest.newBuilder().setPath(path.value());
        ClientProtos.toProto(actor).ifPresent(request::setActor);
        return write(s -> s.makeDirectory(request.build()));
    }

    ListDirectoryResponse listDirectory(GranaryPath path, String after, int limit) {
        return read(s -> s.listDirectory(ListDirectoryRequest.newBuilder()
                .setPath(path.value()).setAfter(after).setLimit(limit).build()));
    }

    long deleteDirectory(GranaryPath path, boolean recursive, Actor actor) {
        DeleteDirectoryRequest.Builder request = DeleteDirectoryRequest.newBuilder()
                .setPath(path.value()).setRecursive(recursive);
        ClientProtos.toProto(actor).ifPresent(request::setActor);
        return write(s -> s.deleteDirectory(request.build())).getFilesDeleted();
    }

    FileInfo rename(GranaryPath from, GranaryPath to, boolean overwrite, Actor actor) {
        RenameRequest.Builder request = RenameRequest.newBuilder()
                .setFrom(from.value()).setTo(to.value()).setOverwrite(overwrite);
        ClientProtos.toProto(actor).ifPresent(request::setActor);
        return write(s -> s.rename(request.build()));
    }

    FileInfo setReplication(GranaryPath path, int replication, Actor actor) {
        SetReplicationRequest.Builder request = SetReplicationRequest.newBuilder()
                .setPath(path.value()).setReplication(replication);
        ClientProtos.toProto(actor).ifPresent(request::setActor);
        return write(s -> s.setReplication(request.build()));
    }

    FileInfo setVisibility(GranaryPath path, Visibility visibility, Actor actor) {
        SetVisibilityRequest.Builder request = SetVisibilityRequest.newBuilder()
                .setPath(path.value()).setVisibility(ClientProtos.toProto(visibility));
        ClientProtos.toProto(actor).ifPresent(request::setActor);
        return write(s -> s.setVisibility(request.build()));
    }

    ListAuditResponse listAudit(AuditFilter filter) {
        return read(s -> s.listAudit(ClientProtos.toProto(filter)));
    }

    FsckResponse fsck() {
        return read(s -> s.fsck(FsckRequest.getDefaultInstance()));
    }

    /** Idempotent both ways, so it is settled like a commit: sent again across a failover. */
    DecommissionStatus decommission(String chunkServerId, boolean cancel) {
        return settle(s -> s.decommissionChunkServer(DecommissionChunkServerRequest.newBuilder()
                .setChunkserverId(chunkServerId).setCancel(cancel).build())).getDecommission();
    }

    ClusterInfo getCluster() {
        return read(s -> s.getCluster(GetClusterRequest.getDefaultInstance()));
    }

    private <T> T read(Function<MasterServiceBlockingStub, T> rpc) {
        return retry.call(stub, deadline, true, rpc);
    }

    private <T> T write(Function<MasterServiceBlockingStub, T> rpc) {
        return retry.call(stub, deadline, false, rpc);
    }

    /**
     * A write the master settles once however often it is sent (a commit, a completion, an abandon:
     * see the master's {@code MetadataStore}), so it is sent again across a failover as a read is.
     */
    private <T> T settle(Function<MasterServiceBlockingStub, T> rpc) {
        return retry.call(stub, deadline, true, rpc);
    }
}
