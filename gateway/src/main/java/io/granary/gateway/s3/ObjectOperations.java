package io.granary.gateway.s3;

import io.granary.client.GranaryClient;
import io.granary.client.UploadOptions;
import io.granary.common.Actor;
import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.granary.common.GranaryPath;
import io.granary.common.Role;
import io.granary.common.Visibility;
import io.granary.common.meta.FileMeta;
import io.granary.gateway.http.ContentTypes;
import io.granary.gateway.http.DownloadSlots;
import io.granary.gateway.http.GatewayNode;
import io.granary.gateway.http.RangeHeader;
import io.granary.gateway.http.UploadSlots;
import io.granary.gateway.http.UserContent;
import io.granary.gateway.s3.protocol.ObjectKeys;
import io.granary.gateway.s3.protocol.RequestDocuments;
import io.granary.gateway.s3.protocol.S3ErrorCode;
import io.granary.gateway.s3.protocol.S3Exception;
import io.granary.gateway.s3.protocol.S3Times;
import io.granary.gateway.s3.protocol.XmlWriter;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single-object operations: GetObject and HeadObject (ranges, conditions, {@code response-*}
 * overrides), PutObject (streamed; Content-MD5 and {@code x-amz-checksum-*} checked before the object
 * becomes visible), CopyObject (the gateway streams from the chunkservers to new chunks: the client's
 * connection carries no byte of it), DeleteObject and DeleteObjects.
 */
final class ObjectOperations {
    private static final Logger log = LoggerFactory.getLogger(ObjectOperations.class);
    static final String COPY_SOURCE = "x-amz-copy-source";
    private static final int BUFFER_BYTES = 64 * 1024;
    /** The {@code response-*} query parameters of GetObject and the headers they set. */
    private static final Map<String, String> OVERRIDES = Map.of(
            "response-content-type", "Content-Type",
            "response-content-language", "Content-Language",
            "response-expires", "Expires",
            "response-cache-control", "Cache-Control",
            "response-content-disposition", "Content-Disposition",
            "response-content-encoding", "Content-Encoding");

    private final UploadSlots uploads;
    private final DownloadSlots downloads;

    ObjectOperations(UploadSlots uploads, DownloadSlots downloads) {
        this.uploads = uploads;
        this.downloads = downloads;
    }

    void get(Context ctx, GranaryClient client, S3Request request, S3Caller caller, boolean withBody) {
        if (!caller.isAnonymous()) {
            caller.require(Role.READER);
        }
        GranaryPath path = ObjectKeys.path(request.bucket(), request.key());
        FileMeta file = lookup(client, request, caller, path);
        if (!file.isFile()) {
            // a folder: what S3 shows for a "dir/" marker object
            ctx.header("ETag", ObjectHeaders.EMPTY_ETAG).header("Last-Modified", S3Times.http(file.modified()))
                    .contentType("application/x-directory").status(200).res().setContentLengthLong(0);
            return;
        }
        String etag = ObjectHeaders.etag(file);
        ctx.header("ETag", etag).header("Last-Modified", S3Times.http(file.modified()))
                .header("Accept-Ranges", "bytes");
        if (S3Conditions.fail(ctx, file, etag)) {
            throw new S3Exception(S3ErrorCode.PRECONDITION_FAILED, "At least one of the pre-conditions you "
                    + "specified did not hold");
        }
        if (S3Conditions.notModified(ctx, file, etag)) {
            ctx.status(304);
            return;
        }
        ctx.contentType(file.contentType().isEmpty() ? "binary/octet-stream" : file.contentType());
        ObjectHeaders.send(ctx, file);
        overrides(ctx, request, caller);
        // user content: never run as a page of the gateway's origins
        ctx.header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", UserContent.CONTENT_SECURITY_POLICY);
        RangeHeader.Selection selection = withBody ? RangeHeader.select(ctx.header("Range"), file.size())
                : new RangeHeader.Whole();
        if (selection instanceof RangeHeader.Unsatisfiable) {
            ctx.header("Content-Range", RangeHeader.Unsatisfiable.contentRange(file.size()));
            throw new S3Exception(S3ErrorCode.INVALID_RANGE, "The requested range is not satisfiable: the object "
                    + "has " + file.size() + " bytes");
        }
        if (selection instanceof RangeHeader.Part part) {
            ctx.header("Content-Range", part.contentRange(file.size()));
            send(ctx, client, file, 206, part.first(), part.length(), withBody);
        } else {
            send(ctx, client, file, 200, 0, file.size(), withBody);
        }
    }

    private static FileMeta lookup(GranaryClient client, S3Request request, S3Caller caller, GranaryPath path) {
        FileMeta file;
        try {
            file = client.stat(path.toString());
        } catch (GranaryException e) {
            if (e.kind() != ErrorKind.NOT_FOUND) {
                throw e;
            }
            if (caller.isAnonymous()) {
                throw anonymousDenied();
            }
            BucketOperations.existing(client, request.bucket());
            throw noSuchKey(request.key());
        }
        if (caller.isAnonymous() && !(file.isFile() && file.isPublic())) {
            throw anonymousDenied();
        }
        if (!file.isFile() && !ObjectKeys.isFolder(request.key())) {
            throw noSuchKey(request.key());
        }
        return file;
    }

    private static S3Exception anonymousDenied() {
        return new S3Exception(S3ErrorCode.ACCESS_DENIED, "Access Denied: this object is not public; sign the "
                + "request with an S3 key");
    }

    static S3Exception noSuchKey(String key) {
        return new S3Exception(S3ErrorCode.NO_SUCH_KEY, "The specified key does not exist: " + key);
    }

    /** {@code response-*} parameters set response headers; S3 allows them on signed requests only. */
    private static void overrides(Context ctx, S3Request request, S3Caller caller) {
        for (Map.Entry<String, String> override : OVERRIDES.entrySet()) {
            String value = request.param(override.getKey());
            if (value == null) {
                continue;
            }
            if (caller.isAnonymous()) {
                throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "Request specific response headers cannot be "
                        + "used for anonymous GET requests.");
            }
            if (value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, override.getKey() + " holds a control character");
            }
            if (override.getValue().equals("Content-Type")) {
                ctx.contentType(value);
            } else {
                ctx.header(override.getValue(), value);
            }
        }
    }

    private void send(Context ctx, GranaryClient client, FileMeta file, int status, long offset, long length,
                      boolean withBody) {
        ctx.status(status);
        ctx.res().setContentLengthLong(length);
        if (!withBody || length == 0) {
            return;
        }
        if (!downloads.tryAcquire()) {
            throw new S3Exception(S3ErrorCode.SLOW_DOWN, "Please reduce your request rate: " + downloads.max()
                    + " downloads are streaming from this S3 port, its most at once");
        }
        try (InputStream in = client.open(file, offset, length)) {
            OutputStream out = ctx.res().getOutputStream();
            byte[] buffer = new byte[BUFFER_BYTES];
            for (int n; (n = in.read(buffer)) > 0; ) {
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            log.debug("{}: S3 download of {} stopped: {}", GatewayNode.ID, file.path(), e.toString());
        } catch (GranaryException e) {
            if (!ctx.res().isCommitted()) {
                ctx.res().reset();
                throw e;
            }
            log.warn("{}: S3 download of {} failed after its headers were sent, dropping the connection: {}",
                    GatewayNode.ID, file.path(), e.getMessage());
            io.granary.gateway.http.HttpErrors.abort(ctx, e);
        } finally {
            downloads.release();
        }
    }

    void put(Context ctx, GranaryClient client, S3Request request, S3Caller caller) {
        Actor actor = caller.actor(Role.WRITER);
        GranaryPath path = ObjectKeys.path(request.bucket(), request.key());
        BucketOperations.existing(client, request.bucket());
        S3Body body = S3Body.open(ctx, caller);
        if (ObjectKeys.isFolder(request.key())) {
            folder(ctx, client, request, path, body, actor);
            return;
        }
        UploadOptions options = uploadOptions(ctx, path, ctx.req().getContentType(), ObjectHeaders.fromRequest(ctx),
                actor);
        FileMeta file = store(client, path, body, options);
        ctx.header("ETag", ObjectHeaders.etag(file));
        body.echoChecksums(ctx);
        ctx.status(200);
    }

    /** A key ending in {@code /} with no bytes makes a directory, as S3 consoles make "folders". */
    private static void folder(Context ctx, GranaryClient client, S3Request request, GranaryPath path, S3Body body,
                               Actor actor) {
        if (body.hasBytes()) {
            throw new S3Exception(S3ErrorCode.KEY_CONFLICT, "the key '" + request.key() + "' ends with '/', which "
                    + "names a directory in Granary: only an empty body can be stored there");
        }
        client.mkdirs(path.toString(), actor);
        ctx.header("ETag", ObjectHeaders.EMPTY_ETAG).status(200);
    }

    /** Streams {@code body} into the file; a failure of the body's own checks is answered as such. */
    FileMeta store(GranaryClient client, GranaryPath path, S3Body body, UploadOptions options) {
        try {
            return uploads.run(S3Server.UPLOAD_SLOT_PATIENCE,
                    () -> client.upload(path.toString(), body.stream(), options));
        } catch (GranaryException e) {
            throw body.failure().orElseGet(() -> S3Errors.translate(e));
        }
    }

    static UploadOptions uploadOptions(Context ctx, GranaryPath path, String contentType, Map<String, String> metadata,
                                       Actor actor) {
        UploadOptions options = new UploadOptions(0, 0, contentType == null || contentType.isBlank()
                ? ContentTypes.forUpload(null, path) : contentType.trim())
                .withActor(actor).withMetadata(metadata).withMd5(true);
        Visibility visibility = visibility(ctx.header("x-amz-acl"));
        if (visibility != null) {
            options = options.withVisibility(visibility);
        }
        String ifNoneMatch = ctx.header("If-None-Match");
        if (ifNoneMatch != null) {
            if (!ifNoneMatch.trim().equals("*")) {
                throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED, "If-None-Match on a write takes only *");
            }
            options = options.withIfNoneMatch(true);
        }
        return options;
    }

    /** {@code x-amz-acl}: {@code public-read} makes the file public, {@code private} private. */
    static Visibility visibility(String acl) {
        if (acl == null) {
            return null;
        }
        return switch (acl.trim().toLowerCase(Locale.ROOT)) {
            case "private" -> Visibility.PRIVATE;
            case "public-read" -> Visibility.PUBLIC;
            default -> throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED, "Granary keeps only the canned ACLs "
                    + "private and public-read, not '" + acl.trim() + "'");
        };
    }

    void copy(Context ctx, GranaryClient client, S3Request request, S3Caller caller) {
        Actor actor = caller.actor(Role.WRITER);
        GranaryPath target = ObjectKeys.path(request.bucket(), request.key());
        FileMeta source = CopySource.parse(ctx.header(COPY_SOURCE)).lookup(client);
        S3Conditions.checkCopySource(ctx, source);
        String directive = ctx.header("x-amz-metadata-directive");
        boolean replace = directive != null && directive.trim().equalsIgnoreCase("REPLACE");
        if (!replace && source.path().equals(target.toString())) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "This copy request is illegal because it is trying "
                    + "to copy an object to itself without changing the object's metadata.");
        }
        BucketOperations.existing(client, request.bucket());
        UploadOptions options = replace
                ? uploadOptions(ctx, target, ctx.req().getContentType(), ObjectHeaders.fromRequest(ctx), actor)
                : uploadOptions(ctx, target, source.contentType(), source.metadata(), actor);
        FileMeta copied;
        try (InputStream in = client.open(source, 0, source.size())) {
            copied = uploads.run(S3Server.UPLOAD_SLOT_PATIENCE,
                    () -> client.upload(target.toString(), in, options));
        } catch (IOException e) {
            throw new S3Exception(S3ErrorCode.INTERNAL_ERROR, "reading the copy source failed: " + e.getMessage());
        }
        S3Responses.xml(ctx, 200, XmlWriter.document("CopyObjectResult", true)
                .element("LastModified", S3Times.iso(copied.modified()))
                .element("ETag", ObjectHeaders.etag(copied)).finish());
    }

    void delete(Context ctx, GranaryClient client, S3Request request, S3Caller caller) {
        Actor actor = caller.actor(Role.WRITER);
        BucketOperations.existing(client, request.bucket());
        deleteKey(client, request.bucket(), request.key(), actor);
        ctx.status(204);
    }

    /**
     * Deletes one key; a key that is not there is no error (S3 answers 204 either way). The
     * directories the key leaves empty go too, so a prefix disappears with its last object as in S3.
     */
    static void deleteKey(GranaryClient client, String bucket, String key, Actor actor) {
        GranaryPath path = ObjectKeys.path(bucket, key);
        try {
            if (ObjectKeys.isFolder(key)) {
                client.deleteDirectory(path.toString(), false, actor);
            } else {
                client.delete(path.toString(), actor);
            }
        } catch (GranaryException e) {
            if (e.kind() != ErrorKind.NOT_FOUND && e.kind() != ErrorKind.FAILED_PRECONDITION) {
                throw e;
            }
            return; // nothing there, or a folder that still holds objects and so stays
        }
        pruneEmptyParents(client, path.parent(), actor);
    }

    private static void pruneEmptyParents(GranaryClient client, GranaryPath dir, Actor actor) {
        for (GranaryPath at = dir; at.segments().size() > 1; at = at.parent()) {
            try {
                client.deleteDirectory(at.toString(), false, actor);
            } catch (GranaryException e) {
                return; // not empty, not the caller's, or gone: the directories above stay
            }
        }
    }

    void deleteMany(Context ctx, GranaryClient client, S3Request request, S3Caller caller) {
        Actor actor = caller.actor(Role.WRITER);
        BucketOperations.existing(client, request.bucket());
        S3Body body = S3Body.open(ctx, caller);
        RequestDocuments.DeleteRequest delete = body.parse(RequestDocuments::deleteRequest);
        XmlWriter xml = XmlWriter.document("DeleteResult", true);
        for (String key : delete.keys()) {
            try {
                deleteKey(client, request.bucket(), key, actor);
                if (!delete.quiet()) {
                    xml.start("Deleted").element("Key", key).end();
                }
            } catch (S3Exception e) {
                xml.start("Error").element("Key", key).element("Code", e.code().code())
                        .element("Message", e.getMessage()).end();
            } catch (GranaryException e) {
                S3Exception s3 = S3Errors.translate(e);
                xml.start("Error").element("Key", key).element("Code", s3.code().code())
                        .element("Message", s3.getMessage()).end();
            }
        }
        S3Responses.xml(ctx, 200, xml.finish());
    }
}
