package io.granary.client.fake;

import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.granary.common.GranaryPath;
import io.granary.common.grpc.GrpcCalls;
import io.granary.proto.AbandonUploadRequest;
import io.granary.proto.AbandonUploadResponse;
import io.granary.proto.AllocateChunkRequest;
import io.granary.proto.AllocateChunkResponse;
import io.granary.proto.ChunkInfo;
import io.granary.proto.ChunkLocation;
import io.granary.proto.ChunkServerStatus;
import io.granary.proto.ClusterInfo;
import io.granary.proto.CommitUploadRequest;
import io.granary.proto.CommittedChunk;
import io.granary.proto.DecommissionChunkServerRequest;
import io.granary.proto.DecommissionChunkServerResponse;
import io.granary.proto.DecommissionStatus;
import io.granary.proto.DeleteDirectoryRequest;
import io.granary.proto.DeleteDirectoryResponse;
import io.granary.proto.DeleteFileRequest;
import io.granary.proto.DeleteFileResponse;
import io.granary.proto.EntryType;
import io.granary.proto.FileInfo;
import io.granary.proto.FsckRequest;
import io.granary.proto.FsckResponse;
import io.granary.proto.GetClusterRequest;
import io.granary.proto.DirectoryEntry;
import io.granary.proto.GetFileRequest;
import io.granary.proto.ListDirectoryRequest;
import io.granary.proto.ListDirectoryResponse;
import io.granary.proto.MakeDirectoryRequest;
import io.granary.proto.MakeDirectoryResponse;
import io.granary.proto.MasterServiceGrpc;
import io.granary.proto.RenameRequest;
import io.granary.proto.SetReplicationRequest;
import io.granary.proto.ReportBadReplicaRequest;
import io.granary.proto.ReportBadReplicaResponse;
import io.granary.proto.StartUploadRequest;
import io.granary.proto.StartUploadResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A master that keeps its namespace in test memory and records what clients asked of it. Chains are
 * the cluster's chunkservers in order. {@link #failWith} makes every rpc fail with a given status.
 * Directories are a set of paths (uploads create their parents); listings, renames and deletes work
 * on path prefixes, which is enough for the client side's tests, not a model of the real master.
 */
public final class FakeMaster extends MasterServiceGrpc.MasterServiceImplBase {
    public static final long DEFAULT_CHUNK_SIZE = 64 * 1024;
    public static final int DEFAULT_REPLICATION = 2;
    private static final long CREATED_MS = 1_700_000_000_000L;

    private final FakeCluster cluster;
    private final Map<String, FileInfo> files = new ConcurrentHashMap<>();
    private final Set<String> dirs = ConcurrentHashMap.newKeySet();
    private final Map<String, StartUploadRequest> uploads = new ConcurrentHashMap<>();
    private final AtomicLong nextHandle = new AtomicLong(0x1000);
    private final AtomicLong nextInode = new AtomicLong(1);

    /** What {@code Fsck} answers. */
    public volatile FsckResponse fsck = FsckResponse.getDefaultInstance();
    /** Decommission states by chunkserver id, as {@code DecommissionChunkServer} set them; absent is normal. */
    public final Map<String, String> decommissions = new ConcurrentHashMap<>();
    /** Bad-replica reports received, as {@code <handle hex>@<chunkserver id>}. */
    public final List<String> badReplicas = new CopyOnWriteArrayList<>();

    /** Upload ids in the order they were started. */
    public final List<String> started = new CopyOnWriteArrayList<>();
    /** Every AllocateChunk request received. */
    public final List<AllocateChunkRequest> allocations = new CopyOnWriteArrayList<>();
    /** Every CommitUpload request that succeeded. */
    public final List<CommitUploadRequest> commits = new CopyOnWriteArrayList<>();
    /** Upload ids given up with AbandonUpload. */
    public final Set<String> abandoned = ConcurrentHashMap.newKeySet();
    /** Number of rpcs received, of any kind. */
    public final AtomicInteger calls = new AtomicInteger();

    /** Number of CommitUpload calls received, answered or not. */
    public final AtomicInteger commitCalls = new AtomicInteger();

    private volatile Status failure;
    private volatile Status commitFailure;
    private volatile Status abandonFailure;
    private final AtomicInteger commitAnswersToLose = new AtomicInteger();
    /** Committed uploads, as the master remembers them: a repeated commit answers the same file. */
    private final Map<String, FileInfo> committed = new ConcurrentHashMap<>();

    FakeMaster(FakeCluster cluster) {
        this.cluster = cluster;
    }

    /** Makes every later rpc fail with {@code status}; {@code null} heals it. */
    public void failWith(Status status) {
        this.failure = status;
    }

    /** Makes CommitUpload fail with {@code status}. */
    public void failCommitWith(Status status) {
        this.commitFailure = status;
    }

    /** Makes AbandonUpload fail with {@code status}, changing nothing; {@code null} heals it. */
    public void failAbandonWith(Status status) {
        this.abandonFailure = status;
    }

    /** The next {@code count} commits take effect, but their answers are lost (UNAVAILABLE). */
    public void loseCommitAnswers(int count) {
        commitAnswersToLose.set(count);
    }

    /** Stores a committed file directly, its chunks on {@code holders}, and returns its description. */
    public FileInfo putFile(String path, byte[] content, long chunkSize, List<FakeChunkServer> holders) {
        FileInfo.Builder info = newFile(GranaryPath.of(path).value(), content.length, holders.size(), chunkSize,
                sha256Hex(content), "application/octet-stream");
        for (int index = 0; (long) index * chunkSize < content.length; index++) {
            int from = (int) (index * chunkSize);
            int to = (int) Math.min(content.length, from + chunkSize);
            long handle = nextHandle.getAndIncrement();
            byte[] bytes = Arrays.copyOfRange(content, from, to);
            holders.forEach(h -> h.chunks.put(handle, bytes));
            info.addChunks(ChunkInfo.newBuilder().setIndex(index).setHandle(handle).setSizeBytes(bytes.length)
                    .addAllReplicas(holders.stream().map(FakeChunkServer::location).toList()));
        }
        FileInfo file = info.build();
        files.put(file.getPath(), file);
        addParents(file.getPath());
        return file;
    }

    @Override
    public void startUpload(StartUploadRequest request, StreamObserver<StartUploadResponse> response) {
        answer(response, () -> {
            checkPrecondition(request);
            String id;
            synchronized (started) { // concurrent uploads must not be handed the same id
                id = "upload-" + (started.size() + 1);
                uploads.put(id, request);
                started.add(id);
            }
            return StartUploadResponse.newBuilder()
                    .setUploadId(id)
                    .setReplication(replicationOf(request))
                    .setChunkSizeBytes(request.getChunkSizeBytes() == 0 ? DEFAULT_CHUNK_SIZE : request.getChunkSizeBytes())
                    .build();
        });
    }

    @Override
    public void allocateChunk(AllocateChunkRequest request, StreamObserver<AllocateChunkResponse> response) {
        answer(response, () -> {
            StartUploadRequest upload = upload(request.getUploadId());
            allocations.add(request);
            List<ChunkLocation> chain = cluster.chunkservers.stream()
                    .filter(s -> !request.getAvoidChunkserversList().contains(s.id))
                    .limit(replicationOf(upload)).map(FakeChunkServer::location).toList();
            return AllocateChunkResponse.newBuilder()
                    .setHandle(nextHandle.getAndIncrement()).addAllChain(chain).build();
        });
    }

    @Override
    public void commitUpload(CommitUploadRequest request, StreamObserver<FileInfo> response) {
        commitCalls.incrementAndGet();
        answer(response, () -> {
            if (commitFailure != null) {
                throw commitFailure.asRuntimeException();
            }
            FileInfo again = committed.get(request.getUploadId());
            if (again != null) {
                return again;
            }
            if (abandoned.contains(request.getUploadId())) {
                throw new GranaryException(ErrorKind.FAILED_PRECONDITION, "upload " + request.getUploadId()
                        + " was abandoned: nothing of it was committed");
            }
            StartUploadRequest upload = upload(request.getUploadId());
            checkPrecondition(upload);
            FileInfo.Builder info = newFile(upload.getPath(), request.getSizeBytes(), replicationOf(upload),
                    upload.getChunkSizeBytes() == 0 ? DEFAULT_CHUNK_SIZE : upload.getChunkSizeBytes(),
                    request.getSha256(), upload.getContentType())
                    .setEtag(request.getEtag()).putAllMetadata(upload.getMetadataMap());
            for (CommittedChunk chunk : request.getChunksList()) {
                info.addChunks(ChunkInfo.newBuilder().setIndex(chunk.getIndex()).setHandle(chunk.getHandle())
                        .setSizeBytes(chunk.getSizeBytes())
                        .addAllReplicas(chunk.getReplicasList().stream().map(cluster::locationOf).toList()));
            }
            FileInfo file = info.build();
            files.put(file.getPath(), file);
            addParents(file.getPath());
            uploads.remove(request.getUploadId());
            commits.add(request);
            committed.put(request.getUploadId(), file);
            if (commitAnswersToLose.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw Status.UNAVAILABLE.withDescription("the answer was lost").asRuntimeException();
            }
            return file;
        });
    }

    @Override
    public void abandonUpload(AbandonUploadRequest request, StreamObserver<AbandonUploadResponse> response) {
        answer(response, () -> {
            if (abandonFailure != null) {
                throw abandonFailure.asRuntimeException();
            }
            if (committed.containsKey(request.getUploadId())) {
                throw new GranaryException(ErrorKind.ALREADY_EXISTS, "upload " + request.getUploadId()
                        + " was committed: it can no longer be abandoned");
            }
            abandoned.add(request.getUploadId());
            uploads.remove(request.getUploadId());
            return AbandonUploadResponse.getDefaultInstance();
        });
    }

    @Override
    public void getFile(GetFileRequest request, StreamObserver<FileInfo> response) {
        answer(response, () -> {
            GranaryPath path = GranaryPath.of(request.getPath());
            if (path.isRoot()) {
                return FileInfo.newBuilder().setType(EntryType.ENTRY_TYPE_DIRECTORY).setInode(1)
                        .setCreatedMs(CREATED_MS).setModifiedMs(CREATED_MS).build();
            }
            FileInfo file = files.get(path.value());
            if (file == null && dirs.contains(path.value())) {
                return directory(path.value());
            }
            if (file == null) {
                throw GranaryException.notFound("no file or directory at " + path);
            }
            return file;
        });
    }

    @Override
    public void deleteFile(DeleteFileRequest request, StreamObserver<DeleteFileResponse> response) {
        answer(response, () -> {
            GranaryPath path = GranaryPath.of(request.getPath());
            if (files.remove(path.value()) == null) {
                throw GranaryException.notFound("no file at " + path);
            }
            return DeleteFileResponse.getDefaultInstance();
        });
    }

    @Override
    public void makeDirectory(MakeDirectoryRequest request, StreamObserver<MakeDirectoryResponse> response) {
        answer(response, () -> {
            GranaryPath path = GranaryPath.of(request.getPath());
            for (GranaryPath p = path; !p.isRoot(); p = p.parent()) {
                if (files.containsKey(p.value())) {
                    throw conflict("'" + p.value() + "' is a file");
                }
            }
            boolean created = !path.isRoot() && !dirs.contains(path.value());
            addParents(path.value() + "/x");
            return MakeDirectoryResponse.newBuilder().setDirectory(directory(path.value())).setCreated(created).build();
        });
    }

    @Override
    public void listDirectory(ListDirectoryRequest request, StreamObserver<ListDirectoryResponse> response) {
        answer(response, () -> {
            String dir = requireDirectory(GranaryPath.of(request.getPath()));
            int limit = request.getLimit() == 0 ? 100 : request.getLimit();
            List<String> names = children(dir).stream().filter(n -> n.compareTo(request.getAfter()) > 0).toList();
            ListDirectoryResponse.Builder out = ListDirectoryResponse.newBuilder();
            for (String name : names.subList(0, Math.min(limit, names.size()))) {
                String child = dir.isEmpty() ? name : dir + "/" + name;
                FileInfo info = files.containsKey(child) ? files.get(child) : directory(child);
                out.addEntries(DirectoryEntry.newBuilder().setName(name).setType(info.getType())
                        .setSizeBytes(info.getSizeBytes()).setModifiedMs(info.getModifiedMs())
                        .setEtag(info.getEtag()).setSha256(info.getSha256()));
            }
            if (names.size() > limit) {
                out.setNext(names.get(limit - 1));
            }
            return out.build();
        });
    }

    @Override
    public void deleteDirectory(DeleteDirectoryRequest request, StreamObserver<DeleteDirectoryResponse> response) {
        answer(response, () -> {
            String dir = requireDirectory(GranaryPath.of(request.getPath()));
            if (!children(dir).isEmpty() && !request.getRecursive()) {
                throw conflict("directory '" + dir + "' is not empty");
            }
            long deleted = files.keySet().stream().filter(p -> p.startsWith(dir + "/")).count();
            files.keySet().removeIf(p -> p.startsWith(dir + "/"));
            dirs.removeIf(p -> p.equals(dir) || p.startsWith(dir + "/"));
            return DeleteDirectoryResponse.newBuilder().setFilesDeleted(deleted).build();
        });
    }

    @Override
    public void rename(RenameRequest request, StreamObserver<FileInfo> response) {
        answer(response, () -> {
            String from = GranaryPath.of(request.getFrom()).value();
            String to = GranaryPath.of(request.getTo()).value();
            if (!files.containsKey(from) && !dirs.contains(from)) {
                throw GranaryException.notFound("nothing at '" + from + "' to move");
            }
            if (to.startsWith(from + "/")) {
                throw GranaryException.invalid("cannot move directory '" + from + "' into its own subtree '" + to + "'");
            }
            if ((files.containsKey(to) || dirs.contains(to)) && !request.getOverwrite()) {
                throw new GranaryException(ErrorKind.ALREADY_EXISTS, "'" + to + "' already exists");
            }
            for (String p : List.copyOf(files.keySet())) {
                if (p.equals(from) || p.startsWith(from + "/")) {
                    FileInfo file = files.remove(p);
                    files.put(to + p.substring(from.length()), file.toBuilder().setPath(to + p.substring(from.length())).build());
                }
            }
            for (String p : List.copyOf(dirs)) {
                if (p.equals(from) || p.startsWith(from + "/")) {
                    dirs.remove(p);
                    dirs.add(to + p.substring(from.length()));
                }
            }
            addParents(to);
            return files.containsKey(to) ? files.get(to) : directory(to);
        });
    }

    @Override
    public void setReplication(SetReplicationRequest request, StreamObserver<FileInfo> response) {
        answer(response, () -> {
            String path = GranaryPath.of(request.getPath()).value();
            FileInfo file = files.get(path);
            if (file == null) {
                throw GranaryException.notFound("no file at '" + path + "'");
            }
            FileInfo changed = file.toBuilder().setReplication(request.getReplication()).build();
            files.put(path, changed);
            return changed;
        });
    }

    @Override
    public void fsck(FsckRequest request, StreamObserver<FsckResponse> response) {
        answer(response, () -> fsck);
    }

    @Override
    public void reportBadReplica(ReportBadReplicaRequest request, StreamObserver<ReportBadReplicaResponse> response) {
        answer(response, () -> {
            badReplicas.add(String.format("%016x@%s", request.getHandle(), request.getChunkserverId()));
            return ReportBadReplicaResponse.getDefaultInstance();
        });
    }

    @Override
    public void decommissionChunkServer(DecommissionChunkServerRequest request,
                                        StreamObserver<DecommissionChunkServerResponse> response) {
        answer(response, () -> {
            String id = request.getChunkserverId();
            if (cluster.chunkservers.stream().noneMatch(cs -> cs.id.equals(id))) {
                throw GranaryException.notFound("no chunkserver " + id + " is registered");
            }
            if (request.getCancel()) {
                decommissions.remove(id);
            } else {
                decommissions.putIfAbsent(id, "draining");
            }
            return DecommissionChunkServerResponse.newBuilder().setDecommission(decommission(id)).build();
        });
    }

    private DecommissionStatus decommission(String id) {
        String state = decommissions.getOrDefault(id, "normal");
        DecommissionStatus.Builder out = DecommissionStatus.newBuilder().setState(state);
        if (!state.equals("normal")) {
            out.setSinceMs(CREATED_MS);
        }
        if (state.equals("draining")) {
            long held = cluster.chunkservers.stream().filter(cs -> cs.id.equals(id)).mapToLong(cs -> cs.chunks.size())
                    .sum();
            out.setChunksToMove(held);
        }
        return out.build();
    }

    @Override
    public void getCluster(GetClusterRequest request, StreamObserver<ClusterInfo> response) {
        answer(response, () -> ClusterInfo.newBuilder()
                .setMasterId("fake-master")
                .addAllChunkservers(cluster.chunkservers.stream().map(cs -> ChunkServerStatus.newBuilder()
                        .setId(cs.id).setAddress(cs.address).setAlive(cs.alive).setCapacityBytes(1 << 30)
                        .setUsedBytes(cs.chunks.values().stream().mapToLong(c -> c.length).sum())
                        .setChunks(cs.chunks.size()).setLastHeartbeatMs(cs.alive ? CREATED_MS : 0)
                        .setDecommission(decommission(cs.id)).build()).toList())
                .setDefaultReplication(DEFAULT_REPLICATION)
                .setDefaultChunkSizeBytes(DEFAULT_CHUNK_SIZE)
                .build());
    }

    private <T> void answer(StreamObserver<T> response, Supplier<T> work) {
        calls.incrementAndGet();
        Status injected = failure;
        GrpcCalls.unary(response, injected == null ? work : () -> {
            throw injected.asRuntimeException();
        });
    }

    private void checkPrecondition(StartUploadRequest request) {
        FileInfo current = files.get(GranaryPath.of(request.getPath()).value());
        String ifMatch = request.getPrecondition().getIfMatchSha256();
        if (request.getPrecondition().getIfNoneMatch() && current != null) {
            throw new GranaryException(ErrorKind.PRECONDITION_FAILED, "a file exists at '" + request.getPath() + "'");
        }
        if (!ifMatch.isEmpty() && (current == null || !(ifMatch.equals("*") || ifMatch.equals(current.getSha256())))) {
            throw new GranaryException(ErrorKind.PRECONDITION_FAILED, "the file at '" + request.getPath() + "' changed");
        }
    }

    private void addParents(String path) {
        for (GranaryPath p = GranaryPath.of(path).parent(); !p.isRoot(); p = p.parent()) {
            dirs.add(p.value());
        }
    }

    private String requireDirectory(GranaryPath path) {
        if (files.containsKey(path.value())) {
            throw conflict("'" + path.value() + "' is a file, not a directory");
        }
        if (!path.isRoot() && !dirs.contains(path.value())) {
            throw GranaryException.notFound("no directory at '" + path.value() + "'");
        }
        return path.value();
    }

    /** Names directly in a directory, sorted. */
    private Set<String> children(String dir) {
        Set<String> names = new TreeSet<>();
        String prefix = dir.isEmpty() ? "" : dir + "/";
        for (String p : files.keySet()) {
            if (p.startsWith(prefix) && p.indexOf('/', prefix.length()) < 0) {
                names.add(p.substring(prefix.length()));
            }
        }
        for (String p : dirs) {
            if (p.startsWith(prefix) && !p.equals(dir) && p.indexOf('/', prefix.length()) < 0) {
                names.add(p.substring(prefix.length()));
            }
        }
        return names;
    }

    /** A directory's info with its recursive size and file count. */
    private FileInfo directory(String dir) {
        String prefix = dir.isEmpty() ? "" : dir + "/";
        List<FileInfo> below = files.values().stream().filter(f -> f.getPath().startsWith(prefix)).toList();
        return FileInfo.newBuilder().setPath(dir).setType(EntryType.ENTRY_TYPE_DIRECTORY).setInode(dir.hashCode())
                .setSizeBytes(below.stream().mapToLong(FileInfo::getSizeBytes).sum()).setFiles(below.size())
                .setCreatedMs(CREATED_MS).setModifiedMs(CREATED_MS).build();
    }

    private static GranaryException conflict(String message) {
        return new GranaryException(ErrorKind.FAILED_PRECONDITION, message);
    }

    private StartUploadRequest upload(String id) {
        StartUploadRequest upload = uploads.get(id);
        if (upload == null) {
            throw GranaryException.notFound("no open upload " + id);
        }
        return upload;
    }

    private static String sha256Hex(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int replicationOf(StartUploadRequest request) {
        return request.getReplication() == 0 ? DEFAULT_REPLICATION : request.getReplication();
    }

    private FileInfo.Builder newFile(String path, long size, int replication, long chunkSize, String sha256,
                                     String contentType) {
        return FileInfo.newBuilder().setPath(path).setType(EntryType.ENTRY_TYPE_FILE)
                .setInode(nextInode.incrementAndGet()).setSizeBytes(size).setReplication(replication)
                .setChunkSizeBytes(chunkSize).setSha256(sha256).setContentType(contentType)
                .setCreatedMs(CREATED_MS).setModifiedMs(CREATED_MS);
    }
}
