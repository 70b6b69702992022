package io.granary.gateway.s3;

import io.granary.client.GranaryClient;
import io.granary.client.UploadOptions;
import io.granary.common.Actor;
import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.granary.common.GranaryPath;
import io.granary.common.Multipart;
import io.granary.common.Role;
import io.granary.common.meta.FileMeta;
import io.granary.common.meta.MultipartUpload;
import io.granary.common.meta.PartListing;
import io.granary.common.meta.PartMeta;
import io.granary.common.meta.PartRef;
import io.granary.common.meta.UploadListing;
import io.granary.gateway.auth.Principal;
import io.granary.gateway.http.UploadSlots;
import io.granary.gateway.s3.protocol.ObjectKeys;
import io.granary.gateway.s3.protocol.RequestDocuments;
import io.granary.gateway.s3.protocol.S3ErrorCode;
import io.granary.gateway.s3.protocol.S3Exception;
import io.granary.gateway.s3.protocol.S3Times;
import io.granary.gateway.s3.protocol.XmlWriter;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Multipart uploads, which are also Granary's resumable uploads: each part streams into chunks as it
 * arrives and is recorded by the master; completion is one atomic metadata step that strings the
 * parts' chunks together without copying a byte; an upload abandoned long enough is collected like
 * any other. A client that lost its connection lists the parts the master has and sends the rest.
 */
final class MultipartOperations {
    /** S3's least size of every part but the last. */
    static final long MIN_PART_BYTES = 5L * 1024 * 1024;
    static final int MAX_PART_NUMBER = Multipart.MAX_PART_NUMBER;
    private static final Pattern COPY_RANGE = Pattern.compile("bytes=(\\d+)-(\\d+)");

    private final UploadSlots uploads;

    MultipartOperations(UploadSlots uploads) {
        this.uploads = uploads;
    }

    void create(Context ctx, GranaryClient client, S3Request request, S3Caller caller) {
        Actor actor = caller.actor(Role.WRITER);
        GranaryPath path = objectPath(request);
        BucketOperations.existing(client, request.bucket());
        UploadOptions options = ObjectOperations.uploadOptions(ctx, path, ctx.req().getContentType(),
                ObjectHeaders.fromRequest(ctx), actor);
        MultipartUpload upload = client.startMultipart(path.toString(), options);
        S3Responses.xml(ctx, 200, XmlWriter.document("InitiateMultipartUploadResult", true)
                .element("Bucket", request.bucket()).element("Key", request.key())
                .element("UploadId", upload.uploadId()).finish());
    }

    void uploadPart(Context ctx, GranaryClient client, S3Request request, S3Caller caller) {
        Actor actor = caller.actor(Role.WRITER);
        objectPath(request);
        int number = partNumber(request.param("partNumber"));
        String uploadId = uploadId(request);
        String copySource = ctx.header(ObjectOperations.COPY_SOURCE);
        if (copySource != null) {
            copyPart(ctx, client, uploadId, number, copySource, actor);
            return;
        }
        S3Body body = S3Body.open(ctx, caller);
        PartMeta part;
        try {
            part = uploads.run(S3Server.UPLOAD_SLOT_PATIENCE,
                    () -> client.uploadPart(uploadId, number, body.stream(), "", actor));
        } catch (GranaryException e) {
            throw body.failure().orElseGet(() -> translate(e, uploadId));
        }
        ctx.header("ETag", '"' + part.md5Hex() + '"');
        body.echoChecksums(ctx);
        ctx.status(200);
    }

    private void copyPart(Context ctx, GranaryClient client, String uploadId, int number, String copySource,
                          Actor actor) {
        FileMeta source = CopySource.parse(copySource).lookup(client);
        S3Conditions.checkCopySource(ctx, source);
        long first = 0;
        long length = source.size();
        String range = ctx.header("x-amz-copy-source-range");
        if (range != null) {
            Matcher m = COPY_RANGE.matcher(range.trim());
            if (!m.matches()) {
                throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "The x-amz-copy-source-range value must be of "
                        + "the form bytes=first-last where first and last are the zero-based offsets of the first "
                        + "and last bytes to copy");
            }
            first = Long.parseLong(m.group(1));
            long last = Long.parseLong(m.group(2));
            if (last < first || last >= source.size()) {
                throw new S3Exception(S3ErrorCode.INVALID_RANGE, "The x-amz-copy-source-range " + range.trim()
                        + " is not inside the source's " + source.size() + " bytes");
            }
            length = last - first + 1;
        }
        PartMeta part;
        try (InputStream in = client.open(source, first, length)) {
            part = uploads.run(S3Server.UPLOAD_SLOT_PATIENCE,
                    () -> client.uploadPart(uploadId, number, in, "", actor));
        } catch (IOException e) {
            throw new S3Exception(S3ErrorCode.INTERNAL_ERROR, "reading the copy source failed: " + e.getMessage());
        } catch (GranaryException e) {
            throw translate(e, uploadId);
        }
        S3Responses.xml(ctx, 200, XmlWriter.document("CopyPartResult", true)
                .element("LastModified", S3Times.iso(part.lastModified()))
                .element("ETag", '"' + part.md5Hex() + '"').finish());
    }

    void complete(Context ctx, GranaryClient client, S3Request request, S3Caller caller) {
        Actor actor = caller.actor(Role.WRITER);
        objectPath(request);
        String uploadId = uploadId(request);
        List<RequestDocuments.CompletedPart> given = S3Body.open(ctx, caller).parse(RequestDocuments::completedParts);
        int previous = 0;
        List<PartRef> refs = new ArrayList<>(given.size());
        for (RequestDocuments.CompletedPart part : given) {
            if (part.number() <= previous) {
                throw new S3Exception(S3ErrorCode.INVALID_PART_ORDER, "The list of parts was not in ascending order. "
                        + "Parts must be ordered by part number.");
            }
            previous = part.number();
            refs.add(new PartRef(part.number(), unquote(part.etag())));
        }
        Map<Integer, PartMeta> stored = storedParts(client, uploadId);
        MessageDigest md5 = digest("MD5");
        MessageDigest sha256 = digest("SHA-256");
        for (PartRef ref : refs) {
            PartMeta part = stored.get(ref.partNumber());
            if (part == null || !part.md5Hex().equals(ref.md5Hex())) {
                throw new S3Exception(S3ErrorCode.INVALID_PART, "One or more of the specified parts could not be "
                        + "found: part " + ref.partNumber() + " with ETag " + ref.md5Hex());
            }
            md5.update(hex(ref.md5Hex()));
            sha256.update(hex(part.sha256()));
        }
        String etag = HexFormat.of().formatHex(md5.digest()) + "-" + refs.size();
        String composite = HexFormat.of().formatHex(sha256.digest());
        FileMeta file;
        try {
            file = client.completeMultipart(uploadId, refs, etag, composite, MIN_PART_BYTES, actor);
        } catch (GranaryException e) {
            throw translate(e, uploadId);
        }
        S3Responses.xml(ctx, 200, XmlWriter.document("CompleteMultipartUploadResult", true)
                .element("Location", "/" + request.bucket() + "/" + request.key())
                .element("Bucket", request.bucket()).element("Key", request.key())
                .element("ETag", ObjectHeaders.etag(file)).finish());
    }

    void abort(Context ctx, GranaryClient client, S3Request request, S3Caller caller) {
        Actor actor = caller.actor(Role.WRITER);
        String uploadId = uploadId(request);
        try {
            client.abortMultipart(uploadId, actor);
        } catch (GranaryException e) {
            throw translate(e, uploadId);
        }
        ctx.status(204);
    }

    void listParts(Context ctx, GranaryClient client, S3Request request, S3Caller caller) {
        Principal who = caller.require(Role.READER);
        String uploadId = uploadId(request);
        int after = partNumberOrZero(request.param("part-number-marker"));
        int max = request.pageSize("max-parts", 1000);
        PartListing listing;
        try {
            listing = client.listParts(uploadId, after, max);
        } catch (GranaryException e) {
            throw translate(e, uploadId);
        }
        XmlWriter xml = XmlWriter.document("ListPartsResult", true)
                .element("Bucket", request.bucket()).element("Key", request.key()).element("UploadId", uploadId)
                .start("Initiator").element("ID", who.id()).element("DisplayName", who.name()).end()
                .start("Owner").element("ID", who.id()).element("DisplayName", who.name()).end()
                .element("StorageClass", "STANDARD")
                .element("PartNumberMarker", after)
                .element("NextPartNumberMarker", listing.nextPartNumber())
                .element("MaxParts", max)
                .element("IsTruncated", listing.truncated());
        for (PartMeta part : listing.parts()) {
            xml.start("Part").element("PartNumber", part.partNumber())
                    .element("LastModified", S3Times.iso(part.lastModified()))
                    .element("ETag", '"' + part.md5Hex() + '"').element("Size", part.size()).end();
        }
        S3Responses.xml(ctx, 200, xml.finish());
    }

    void listUploads(Context ctx, GranaryClient client, S3Request request, S3Caller caller) {
        Principal who = caller.require(Role.READER);
        BucketOperations.existing(client, request.bucket());
        String prefix = request.param("prefix") == null ? "" : request.param("prefix");
        String keyMarker = request.param("key-marker") == null ? "" : request.param("key-marker");
        String idMarker = request.param("upload-id-marker") == null ? "" : request.param("upload-id-marker");
        int max = request.pageSize("max-uploads", 1000);
        String bucketPath = "/" + request.bucket() + "/";
        UploadListing listing = client.listMultipartUploads(bucketPath + prefix,
                keyMarker.isEmpty() ? "" : bucketPath + keyMarker, idMarker, max);
        XmlWriter xml = XmlWriter.document("ListMultipartUploadsResult", true)
                .element("Bucket", request.bucket()).element("KeyMarker", keyMarker)
                .element("UploadIdMarker", idMarker)
                .element("NextKeyMarker", listing.nextPath().isEmpty() ? ""
                        : listing.nextPath().substring(bucketPath.length()))
                .element("NextUploadIdMarker", listing.nextUploadId())
                .element("Prefix", prefix)
                .element("MaxUploads", max)
                .element("IsTruncated", listing.truncated());
        for (MultipartUpload upload : listing.uploads()) {
            xml.start("Upload").element("Key", upload.path().substring(bucketPath.length()))
                    .element("UploadId", upload.uploadId())
                    .start("Initiator").element("ID", upload.owner()).element("DisplayName", upload.owner()).end()
                    .start("Owner").element("ID", upload.owner()).element("DisplayName", upload.owner()).end()
                    .element("StorageClass", "STANDARD")
                    .element("Initiated", S3Times.iso(upload.initiated())).end();
        }
        S3Responses.xml(ctx, 200, xml.finish());
    }

    private static Map<Integer, PartMeta> storedParts(GranaryClient client, String uploadId) {
        Map<Integer, PartMeta> parts = new HashMap<>();
        int after = 0;
        PartListing listing;
        do {
            try {
                listing = client.listParts(uploadId, after, 1000);
            } catch (GranaryException e) {
                throw translate(e, uploadId);
            }
            for (PartMeta part : listing.parts()) {
                parts.put(part.partNumber(), part);
                after = part.partNumber();
            }
        } while (listing.truncated());
        return parts;
    }

    /** The master's refusals of a completion, by the prefix its message starts with (see the client's javadoc). */
    private static S3Exception translate(GranaryException e, String uploadId) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (e.kind() == ErrorKind.NOT_FOUND || message.contains("abandoned")) {
            return new S3Exception(S3ErrorCode.NO_SUCH_UPLOAD, "The specified multipart upload does not exist: "
                    + uploadId + " (it may have been aborted or completed)");
        }
        if (message.startsWith(Multipart.INVALID_PART_ORDER)) {
            return new S3Exception(S3ErrorCode.INVALID_PART_ORDER, message);
        }
        if (message.startsWith(Multipart.INVALID_PART)) {
            return new S3Exception(S3ErrorCode.INVALID_PART, message);
        }
        if (message.startsWith(Multipart.ENTITY_TOO_SMALL)) {
            return new S3Exception(S3ErrorCode.ENTITY_TOO_SMALL, "Your proposed upload is smaller than the minimum "
                    + "allowed object size: " + message);
        }
        return S3Errors.translate(e);
    }

    private static GranaryPath objectPath(S3Request request) {
        if (ObjectKeys.isFolder(request.key())) {
            throw new S3Exception(S3ErrorCode.KEY_CONFLICT, "the key '" + request.key() + "' ends with '/', which "
                    + "names a directory in Granary, not an object");
        }
        return ObjectKeys.path(request.bucket(), request.key());
    }

    private static String uploadId(S3Request request) {
        String id = request.param("uploadId");
        if (id == null || id.isEmpty()) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "this request needs an uploadId");
        }
        return id;
    }

    private static int partNumber(String text) {
        int number = partNumberOrZero(text);
        if (number < 1 || number > MAX_PART_NUMBER) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Part number must be an integer between 1 and "
                    + MAX_PART_NUMBER + ", inclusive");
        }
        return number;
    }

    private static int partNumberOrZero(String text) {
        try {
            return text == null ? 0 : Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Part number must be an integer between 1 and "
                    + MAX_PART_NUMBER + ", inclusive, not '" + text + "'");
        }
    }

    private static String unquote(String etag) {
        String tag = etag.trim();
        if (tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\"")) {
            tag = tag.substring(1, tag.length() - 1);
        }
        return tag.toLowerCase(java.util.Locale.ROOT);
    }

    private static byte[] hex(String text) {
        try {
            return HexFormat.of().parseHex(text);
        } catch (IllegalArgumentException e) {
            throw new S3Exception(S3ErrorCode.INVALID_PART, "One or more of the specified parts could not be found: "
                    + "the ETag '" + text + "' is not an MD5");
        }
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has " + algorithm, e);
        }
    }
}
