package io.granary.client;

import io.granary.common.Actor;
import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.granary.common.GranaryPath;
import io.granary.common.NamedThreadFactory;
import io.granary.common.Visibility;
import io.granary.common.grpc.ChannelPool;
import io.granary.common.grpc.MasterChannel;
import io.granary.common.grpc.MasterRetry;
import io.granary.common.grpc.ReconnectBackoff;
import io.granary.common.grpc.RequestIds;
import io.granary.common.meta.DirectoryPage;
import io.granary.common.meta.FileMeta;
import io.granary.common.meta.MultipartUpload;
import io.granary.common.meta.PartListing;
import io.granary.common.meta.PartMeta;
import io.granary.common.meta.PartRef;
import io.granary.common.meta.UploadListing;
import io.grpc.Channel;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Granary client library: upload (whole or in parts: multipart uploads), download, stat and delete
 * of files, directories (mkdir, list, delete), rename and replication changes over the master's and the
 * chunkservers' gRPC services. Thread-safe: one client serves any number of concurrent calls.
 * Every method blocks the calling thread and reports failures as {@link GranaryException}s whose
 * {@link ErrorKind} says what went wrong; a path a user wrote that is not valid fails with
 * INVALID_ARGUMENT before any call is made.
 */
public final class GranaryClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GranaryClient.class);
    private static final int COPY_BUFFER_BYTES = 64 * 1024;

    private final Channel masterChannel;
    private final MasterRetry retry;
    private final MasterCalls master;
    private final AuthCalls auth;
    private final ChannelPool chunkservers;
    private final ClientOptions options;
    private final Uploader uploader;
    private final PartUploader parts;
    private final MultipartCompletion completion;
    private final Runnable onClose;
    private final GrantClient grants;
    private final ReadAheadBudget readAhead;
    private final ChunkReadHealth readHealth;
    private final ChunkCache chunkCache;

    /**
     * A client over channels the caller provides (in-process ones in tests). The channels carry whatever
     * credentials the caller gave them: {@link ClientOptions#token()} is sent by {@link #connect} only.
     *
     * @param master       channel to the master (a {@link MasterChannel} to follow the active one of
     *                     several); the caller keeps ownership of it
     * @param chunkservers channels to chunkservers by address; {@link #close()} closes it
     */
    public GranaryClient(Channel master, ChannelPool chunkservers, ClientOptions options) {
        this(master, chunkservers, options, new ReadAheadBudget(options.readAheadTotalBytes(), System::nanoTime),
                new ChunkReadHealth(System::nanoTime), chunkCache(options), () -> { });
    }

    private GranaryClient(Channel master, ChannelPool chunkservers, ClientOptions options, ReadAheadBudget readAhead,
                          ChunkReadHealth readHealth, ChunkCache chunkCache, Runnable onClose) {
        this(master, MasterRetry.forChannel(master, options.failoverPatience()), chunkservers, options, readAhead,
                readHealth, chunkCache, onClose);
    }

    private GranaryClient(Channel master, MasterRetry retry, ChannelPool chunkservers, ClientOptions options,
                          ReadAheadBudget readAhead, ChunkReadHealth readHealth, ChunkCache chunkCache,
                          Runnable onClose) {
        this.readAhead = readAhead;
        this.readHealth = readHealth;
        this.chunkCache = chunkCache;
        this.masterChannel = master;
        this.retry = retry;
        this.master = new MasterCalls(master, options.metadataDeadline(), retry);
        this.auth = new AuthCalls(master, options.metadataDeadline(), retry);
        this.chunkservers = chunkservers;
        this.options = options;
        this.uploader = new Uploader(this.master, chunkservers, options);
        this.parts = new PartUploader(this.master, chunkservers, options);
        this.completion = new MultipartCompletion(this.master, options);
        this.onClose = onClose;
        this.grants = new GrantClient(master, options.metadataDeadline(), retry);
    }

    /**
     * A client of the masters at {@code masterAddresses} ({@code host:port[,host:port...]}, see
     * {@link #connect(String, ClientOptions)}), with default options (no cluster secret).
     */
    public static GranaryClient connect(String masterAddresses) {
        return connect(masterAddresses, ClientOptions.defaults());
    }

    /**
     * A client of the masters at {@code masterAddresses}: one {@code host:port}, or several separated by
     * commas, of which the client follows the active one (a {@link MasterChannel}); every call to them and
     * to the chunkservers carries {@link ClientOptions#security()} (the cluster secret, TLS), and every
     * call to the masters {@link ClientOptions#token()} when one is set.
     *
     * @throws IllegalArgumentException when the list is not valid (see {@link MasterChannel#parseAddresses})
     */
    public static GranaryClient connect(String masterAddresses, ClientOptions options) {
        List<String> addresses = MasterChannel.parseAddresses(masterAddresses);
        ExecutorService callbacks = Executors.newCachedThreadPool(new NamedThreadFactory(options.name() + "-grpc"));
        MasterChannel master = MasterChannel.open(masterAddresses, address -> {
            ManagedChannelBuilder<?> builder = options.security().channelBuilder(address).executor(callbacks);
            if (!options.token().isEmpty()) {
                builder.intercept(new BearerToken(options.token()));
            }
            return ReconnectBackoff.bounded(builder.build());
        });
        log.info("{}: connecting to {} {} with {}{}", options.name(), addresses.size() == 1 ? "master at" : "masters",
                String.join(", ", addresses), options.security(), options.token().isEmpty() ? "" : ", as a token");
        ChannelPool chunkservers = ChannelPool.secured(options.security(),
                chunkServerChannels(callbacks, options.chunkStreamWindowBytes()));
        return new GranaryClient(master, chunkservers, options,
                new ReadAheadBudget(options.readAheadTotalBytes(), System::nanoTime),
                new ChunkReadHealth(System::nanoTime), chunkCache(options), () -> {
            master.close();
            callbacks.shutdown();
        });
    }

    private static ChunkCache chunkCache(ClientOptions options) {
        return new ChunkCache(options.chunkCacheBytes(), ChunkCache.MAX_ENTRY_BYTES);
    }

    /**
     * How the channels to chunkservers are built: callbacks on {@code executor}, and a fixed HTTP/2
     * window per stream (see {@link ClientOptions#chunkStreamWindowBytes}) instead of gRPC's, which
     * grows with its estimate of the bandwidth-delay product: what a chunkserver sends beyond what a
     * read asked for waits in this window as direct memory.
     */
    private static ChannelPool.Options chunkServerChannels(Executor executor, int windowBytes) {
        return ChannelPool.Options.DEFAULTS.withExecutor(executor).withFlowControlWindowBytes(windowBytes);
    }

    /**
     * This client, with every call it makes (to the master and to chunkservers, read-ahead on other
     * threads included) carrying {@code requestId} as gRPC metadata, so the servers' log lines for
     * the request show it. Shares this client's connections; closing the view closes nothing. A
     * null or insane id (see {@link RequestIds#isSane}) gives a view without one.
     */
    public GranaryClient withRequestId(String requestId) {
        return withRequestOrigin(requestId, null);
    }

    /**
     * As {@link #withRequestId}, every call also carrying the client's address (an IP literal; null for
     * none) for which it acts, so the master's audit log records where each change came from.
     */
    public GranaryClient withRequestOrigin(String requestId, String clientAddress) {
        ClientInterceptor tag = RequestIds.attaching(RequestIds.isSane(requestId) ? requestId : null, clientAddress);
        return new GranaryClient(ClientInterceptors.intercept(masterChannel, tag), retry,
                chunkservers.intercepted(tag), options, readAhead, readHealth, chunkCache, () -> { });
    }

    /**
     * Streams {@code body} into a new file at {@code path}, replacing any file there once every chunk
     * is written. On any failure (the body cannot be read, a chunkserver or the master fails) the
     * upload is abandoned, nothing becomes visible, and the failure is thrown; a body that cannot be
     * read is INVALID_ARGUMENT "upload body ended early: …". Does not close {@code body}.
     */
    public FileMeta upload(String path, InputStream body, UploadOptions uploadOptions) {
        return uploader.upload(filePath(path), body, uploadOptions);
    }

    /**
     * Opens a multipart upload to {@code path} (S3's CreateMultipartUpload; also a resumable upload):
     * nothing is visible until {@link #completeMultipart} makes the file from the parts that
     * {@link #uploadPart} recorded. Takes the options' replication, chunk size, content type, metadata,
     * write precondition (checked now and again at completion), actor (the owner: only it or an admin may
     * add parts, complete or abort) and visibility; digest options do not apply. Fails as
     * {@link #upload} does before any byte: INVALID_ARGUMENT (bad path, options or metadata), UNAVAILABLE,
     * FAILED_PRECONDITION (a file in the way, or a directory at the path), PRECONDITION_FAILED,
     * PERMISSION_DENIED (it would replace a file the actor may not change). An upload left idle for the
     * master's multipart timeout (default 7 days) is aborted.
     */
    public MultipartUpload startMultipart(String path, UploadOptions options) {
        return ClientProtos.toMultipartUpload(master.startMultipart(filePath(path), options).getMultipartUpload());
    }

    /**
     * Streams {@code body} as part {@code partNumber} (1 to {@link io.granary.common.Multipart#MAX_PART_NUMBER})
     * of an open multipart upload, exactly as {@link #upload} streams a file (a failed chunkserver chain
     * is replaced; memory holds one piece at a time), computing its MD5 and SHA-256 on the way, and
     * records it; a part uploaded again under the same number replaces the earlier one. On any failure
     * nothing is recorded (the upload stays open, and its chunks written so far are collected when it is
     * completed, aborted or expires) and the failure is thrown: INVALID_ARGUMENT for a bad part number, a
     * malformed {@code expectedMd5Base64}, a body whose MD5 is not the expected one, or a body that cannot
     * be read ("upload body ended early: …"); NOT_FOUND when the upload is not open; PERMISSION_DENIED
     * when {@code actor} neither started it nor is an admin (before any byte is sent); FAILED_PRECONDITION
     * when it is not a multipart upload; UNAVAILABLE, RESOURCE_EXHAUSTED and the like from the cluster.
     * Does not close {@code body}.
     *
     * @param expectedMd5Base64 the MD5 the part must have, base64 as in {@code Content-MD5}; "" or
     *                          {@code null} to accept any
     * @return the recorded part: its number, size, hex MD5 (S3's part ETag), hex SHA-256 and record time
     */
    public PartMeta uploadPart(String uploadId, int partNumber, InputStream body, String expectedMd5Base64,
                               Actor actor) {
        return parts.upload(requireUploadId(uploadId), partNumber, body, expectedMd5Base64, actor);
    }

    /**
     * Up to {@code limit} (1 to 1000; 0 for 1000) parts of an open multipart upload numbered above
     * {@code afterPart} (0 for the first page), in part-number order, with the upload; the next page
     * starts after {@link PartListing#nextPartNumber()}. NOT_FOUND when the upload is unknown, completed,
     * aborted, expired or not a multipart upload; INVALID_ARGUMENT for a bad limit.
     */
    public PartListing listParts(String uploadId, int afterPart, int limit) {
        return ClientProtos.toPartListing(master.listParts(requireUploadId(uploadId), afterPart, limit));
    }

    /**
     * Up to {@code limit} (1 to 1000; 0 for 1000) open multipart uploads whose absolute path starts with
     * {@code pathPrefix} (a string prefix with the leading '/', such as {@code "/bucket/photos/"}; "" for
     * all), ordered by path then upload id. A next page passes {@link UploadListing#nextPath()} and
     * {@link UploadListing#nextUploadId()}: it starts after that path and id; with {@code afterPath} alone
     * ({@code afterUploadId} "" or {@code null}), after every upload of that path. INVALID_ARGUMENT for a
     * bad limit.
     */
    public UploadListing listMultipartUploads(String pathPrefix, String afterPath, String afterUploadId, int limit) {
        return ClientProtos.toUploadListing(master.listMultipartUploads(pathPrefix == null ? "" : pathPrefix,
                afterPath == null ? "" : afterPath, afterUploadId == null ? "" : afterUploadId, limit));
    }

    /**
     * Completes a multipart upload in one atomic step that copies no byte: the file at its path becomes
     * the listed parts' chunks in order, replacing what was there, with the upload's content type and
     * metadata, size the sum of the parts', and {@code etag} and {@code sha256} as given. Chunks of parts
     * not listed, or replaced, are collected. Idempotent: completing a completed upload again with the
     * same etag and SHA-256 answers the same file. An unknown outcome is settled before this answers
     * (the completion is asked again; see {@link UploadOutcomeUnknownException} when it stays unknown, the
     * upload then being completed or still open).
     *
     * <p>Refused, nothing visible and the upload still open, with FAILED_PRECONDITION and a message
     * starting with {@link io.granary.common.Multipart#INVALID_PART} ({@code "invalid part: "}: a listed
     * part was not uploaded, or has another MD5: S3's InvalidPart),
     * {@link io.granary.common.Multipart#INVALID_PART_ORDER} ({@code "invalid part order: "}: part numbers not strictly ascending: InvalidPartOrder) or
     * {@link io.granary.common.Multipart#ENTITY_TOO_SMALL} ({@code "entity too small: "}: a part but the
     * last has fewer than {@code minPartBytes}: EntityTooSmall). Otherwise INVALID_ARGUMENT (no part, a
     * malformed etag, MD5 or SHA-256), NOT_FOUND (no such upload), FAILED_PRECONDITION without those
     * prefixes (aborted or expired, not multipart, completed with another etag or SHA-256, a file in the
     * way), PRECONDITION_FAILED (the write precondition no longer holds), PERMISSION_DENIED (the actor
     * neither started the upload nor is an admin, or may not replace the file at the path).
     *
     * @param parts        the parts of the file, by number and the hex MD5 each was uploaded with
     * @param etag         the file's entity tag: 32 hex digits, optionally followed by {@code -<parts>} (S3's
     *                     multipart ETag, {@code hex(md5(concat(binary part MD5s)))-N}); "" for none
     * @param sha256       what {@link FileMeta#sha256()} holds for the file: 64 hex digits the caller composes
     *                     from the parts' SHA-256s (no one streams the whole content at completion), or ""
     * @param minPartBytes the least every part but the last must have (S3: 5 MiB); 0 for no minimum
     */
    public FileMeta completeMultipart(String uploadId, List<PartRef> parts, String etag, String sha256,
                                      long minPartBytes, Actor actor) {
        return completion.complete(requireUploadId(uploadId), List.copyOf(parts), etag == null ? "" : etag,
                sha256 == null ? "" : sha256, minPartBytes, actor);
    }

    /**
     * Aborts a multipart upload: it is settled for good (a completion arriving later is refused) and the
     * chunks of its parts are collected. Idempotent: an upload aborted, expired or unknown is answered
     * without change. ALREADY_EXISTS when it was completed; PERMISSION_DENIED when {@code actor} neither
     * started it nor is an admin.
     */
    public void abortMultipart(String uploadId, Actor actor) {
        master.abandonUpload(requireUploadId(uploadId), actor);
    }

    /** The entry at {@code path} with, for a file, its chunk layout. NOT_FOUND when nothing is there. */
    public FileMeta stat(String path) {
        return ClientProtos.toFileMeta(master.getFile(GranaryPath.of(path)));
    }

    /** Removes the file at {@code path}; its space comes back through garbage collection. */
    public void delete(String path) {
        delete(path, Actor.SYSTEM);
    }

    /** Removes a file on behalf of {@code actor}: PERMISSION_DENIED unless it owns the file or is an admin. */
    public void delete(String path, Actor actor) {
        master.deleteFile(filePath(path), actor);
    }

    /**
     * Creates a directory and its missing parents, like {@code mkdir -p}. Idempotent: the answer says
     * whether this call created it. FAILED_PRECONDITION when a file is at the path or a parent.
     */
    public CreatedDirectory mkdirs(String path) {
        return mkdirs(path, Actor.SYSTEM);
    }

    /** Like {@link #mkdirs(String)}, recording {@code actor} as the creator of the directories it makes. */
    public CreatedDirectory mkdirs(String path, Actor actor) {
        var answer = master.makeDirectory(GranaryPath.of(path), actor);
        return new CreatedDirectory(ClientProtos.toFileMeta(answer.getDirectory()), answer.getCreated());
    }

    /**
     * Up to {@code limit} entries (1 to 1000; 0 for 100) of a directory whose names sort after
     * {@code after} ("" or {@code null} for the first page). NOT_FOUND when nothing is at the path;
     * FAILED_PRECONDITION when it is a file.
     */
    public DirectoryPage list(String path, String after, int limit) {
        return ClientProtos.toDirectoryPage(master.listDirectory(GranaryPath.of(path), after == null ? "" : after,
                limit));
    }

    /**
     * Deletes a directory; with {@code recursive}, everything below it, whose space comes back through
     * garbage collection. FAILED_PRECONDITION when it is not empty and not recursive, or a file.
     *
     * @return the number of files deleted with it
     */
    public long deleteDirectory(String path, boolean recursive) {
        return deleteDirectory(path, recursive, Actor.SYSTEM);
    }

    /**
     * Like {@link #deleteDirectory(String, boolean)} on behalf of {@code actor}: a non-admin may delete
     * only a directory it created that holds no file (else PERMISSION_DENIED, nothing deleted).
     */
    public long deleteDirectory(String path, boolean recursive, Actor actor) {
        return master.deleteDirectory(GranaryPath.of(path), recursive, actor);
    }

    /**
     * Moves a file or a whole directory to {@code to} in one atomic step; missing parents of
     * {@code to} are created. ALREADY_EXISTS when something is at {@code to} and not
     * {@code overwrite}; INVALID_ARGUMENT for a directory moved into its own subtree; NOT_FOUND
     * without a source; FAILED_PRECONDITION when {@code to} is a non-empty directory.
     *
     * @return the entry at its new path
     */
    public FileMeta rename(String from, String to, boolean overwrite) {
        return rename(from, to, overwrite, Actor.SYSTEM);
    }

    /**
     * Like {@link #rename(String, String, boolean)} on behalf of {@code actor}, who must own what it moves
     * and what it replaces (a directory: created by it and holding no file), else PERMISSION_DENIED.
     */
    public FileMeta rename(String from, String to, boolean overwrite, Actor actor) {
        return ClientProtos.toFileMeta(master.rename(GranaryPath.of(from), GranaryPath.of(to), overwrite, actor));
    }

    /**
     * Changes a file's replication. The master records it at once; replicas are added or trimmed
     * afterwards, in the background, by its repair machinery.
     *
     * @return the file with its new replication
     */
    public FileMeta setReplication(String path, int replication) {
        return setReplication(path, replication, Actor.SYSTEM);
    }

    /** Like {@link #setReplication(String, int)} on behalf of {@code actor}: PERMISSION_DENIED unless it may. */
    public FileMeta setReplication(String path, int replication, Actor actor) {
        return ClientProtos.toFileMeta(master.setReplication(filePath(path), replication, actor));
    }

    /**
     * Makes a file public (readable without a token through the gateway) or private, on behalf of
     * {@code actor}: PERMISSION_DENIED unless it owns the file or is an admin.
     *
     * @return the file with its new visibility
     */
    public FileMeta setVisibility(String path, Visibility visibility, Actor actor) {
        return ClientProtos.toFileMeta(master.setVisibility(filePath(path), visibility, actor));
    }

    /**
     * Creates an API token with a role ({@code reader}, {@code writer}, {@code admin}) and a lifetime
     * (zero: none). The secret is in this answer only. INVALID_ARGUMENT for a bad name, role or lifetime.
     */
    public NewToken createToken(String name, String role, Duration expiresIn) {
        return createToken(name, role, expiresIn, Actor.SYSTEM);
    }

    /** As {@link #createToken(String, String, Duration)}, asked by {@code actor} (for the audit log). */
    public NewToken createToken(String name, String role, Duration expiresIn, Actor actor) {
        return auth.create(name, role, expiresIn, actor);
    }

    /** Every API token, without secrets, oldest first. */
    public List<TokenMeta> listTokens() {
        return auth.list();
    }

    /**
     * Deletes an API token; gateways refuse it within a second (they keep a found token that long).
     * NOT_FOUND when no token has this id.
     */
    public void revokeToken(String id) {
        revokeToken(id, Actor.SYSTEM);
    }

    /** As {@link #revokeToken(String)}, asked by {@code actor} (for the audit log). */
    public void revokeToken(String id, Actor actor) {
        auth.revoke(id, actor);
    }

    /**
     * One page of the master's audit log, newest first (see {@link AuditFilter}); a page may be short,
     * even empty, with a {@link AuditPage#next()} to go on from. INVALID_ARGUMENT for a bad filter.
     */
    public AuditPage audit(AuditFilter filter) {
        return ClientProtos.toAuditPage(master.listAudit(filter));
    }

    /**
     * The live token whose secret has this lower-case hex SHA-256; empty when it is unknown, revoked or
     * expired. Asks the master every time: nothing is cached, so a revocation counts at once.
     */
    public Optional<TokenMeta> resolveToken(String tokenSha256) {
        return auth.resolve(tokenSha256);
    }

    /** The master's fsck: chunks missing, corrupt or under-replicated, with their files. */
    public FsckView fsck() {
        return ClientProtos.toFsckView(master.fsck());
    }

    /**
     * Starts draining a chunkserver (or, with {@code cancel}, returns it to service): see the master's
     * {@code DecommissionChunkServer}. Idempotent.
     *
     * @return its decommission state after the call
     * @throws io.granary.common.GranaryException NOT_FOUND for a chunkserver the master does not know
     */
    public DecommissionView decommission(String chunkServerId, boolean cancel) {
        return ClientProtos.toDecommissionView(master.decommission(chunkServerId, cancel));
    }

    /** The master's view of the cluster. */
    public ClusterView cluster() {
        return ClientProtos.toClusterView(master.getCluster());
    }

    /**
     * The bytes [offset, offset + length) of exactly the version of the file that {@code file}
     * describes. Chunks stream lazily with bounded read-ahead; a failing replica is replaced by the
     * next one without repeating or skipping a byte; a replica that stalls is raced by the next one
     * after {@link ClientOptions#hedgeAfter()} and tried last for the rest of the stream. A chunk of at
     * most {@link ChunkCache#MAX_ENTRY_BYTES} read whole is kept in the client's {@link ChunkCache}
     * (within {@link ClientOptions#chunkCacheBytes()}), and any range of it is then served from there,
     * without a chunkserver. {@code read} throws a {@link GranaryException}
     * (UNAVAILABLE, or DATA_LOSS when every replica is corrupt) when no replica of a chunk can be
     * read. Closing the stream cancels the transfers in flight.
     *
     * @throws GranaryException INVALID_ARGUMENT when the range is not inside the file,
     *                          FAILED_PRECONDITION when {@code file} is a directory
     */
    public InputStream open(FileMeta file, long offset, long length) {
        if (!file.isFile()) {
            throw new GranaryException(ErrorKind.FAILED_PRECONDITION, file.path() + " is a directory, not a file");
        }
        if (offset < 0 || length < 0 || offset > file.size() || length > file.size() - offset) {
            throw GranaryException.invalid("bytes " + offset + "+" + length + " are not inside " + file.path()
                    + ", which has " + file.size() + " bytes");
        }
        ReadSession session = new ReadSession(); // what one chunk's read learns, the next ones use
        TicketRenewal tickets = new TicketRenewal(file, () -> stat(file.path()), System::currentTimeMillis);
        return new ChunkedInputStream(ChunkRange.plan(file, offset, length), planned -> {
            byte[] cached = chunkCache.get(planned.chunk());
            if (cached != null) {
                return new CachedRange(cached, planned);
            }
            ChunkRange range = tickets.renewed(planned);
            return new ChunkFetch(chunkservers, options, range, session, readAhead, readHealth,
                    (handle, id) -> master.reportBadReplica(handle, id, options.name()), chunkCache);
        });
    }

    /**
     * The current version of the file at {@code path} as a read-only {@link java.nio.channels.SeekableByteChannel},
     * with positional reads: for programs that seek. Its reads go through {@link #open}.
     *
     * @throws GranaryException NOT_FOUND when there is no such file, FAILED_PRECONDITION for a directory
     */
    public GranaryFileChannel openChannel(String path) {
        return openChannel(stat(path));
    }

    /** The version of the file {@code file} describes as a read-only channel; see {@link #openChannel(String)}. */
    public GranaryFileChannel openChannel(FileMeta file) {
        if (!file.isFile()) {
            throw new GranaryException(ErrorKind.FAILED_PRECONDITION, file.path() + " is a directory, not a file");
        }
        return new GranaryFileChannel(file, (offset, length) -> open(file, offset, length));
    }

    /**
     * Copies bytes [offset, offset + length) of the file at {@code path} to {@code out}; a negative
     * length means up to the end.
     *
     * @return the number of bytes copied
     * @throws UncheckedIOException when {@code out} fails
     */
    public long download(String path, long offset, long length, OutputStream out) {
        FileMeta file = stat(path);
        long wanted = length < 0 ? Math.max(0, file.size() - offset) : length;
        try (InputStream in = open(file, offset, wanted)) {
            byte[] buffer = new byte[COPY_BUFFER_BYTES];
            long copied = 0;
            for (int n; (n = in.read(buffer)) > 0; ) {
                out.write(buffer, 0, n);
                copied += n;
            }
            return copied;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file.path(), e);
        }
    }

    /** The bytes all open streams of this client (and its request-id views) buffer ahead of their readers. */
    public ReadAheadBudget readAheadBudget() {
        return readAhead;
    }

    /** The small chunks this client (and its request-id views) keeps in memory, with their counts. */
    public ChunkCache chunkCache() {
        return chunkCache;
    }

    /** Whether this client's chunk reads (and its request-id views') are being served. */
    public ChunkReadHealth chunkReadHealth() {
        return readHealth;
    }

    /** The master's IP grants, over the same channel. */
    public GrantClient grants() {
        return grants;
    }

    /** The master's S3 keys, over the same channel (a light view: cheap to ask for on every request). */
    public S3KeyClient s3Keys() {
        return new S3KeyClient(masterChannel, options.metadataDeadline(), retry);
    }

    /** Closes the chunkserver channels (cancelling transfers in flight) and, if this client made it, the master's. */
    @Override
    public void close() {
        chunkservers.close();
        onClose.run();
    }

    private static String requireUploadId(String uploadId) {
        if (uploadId == null || uploadId.isBlank()) {
            throw GranaryException.invalid("an upload id is required");
        }
        return uploadId;
    }

    private static GranaryPath filePath(String raw) {
        GranaryPath path = GranaryPath.of(raw);
        if (path.isRoot()) {
            throw GranaryException.invalid("the root is a directory: give the path of a file");
        }
        return path;
    }
}
