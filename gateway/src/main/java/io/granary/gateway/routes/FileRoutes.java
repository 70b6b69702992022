package io.granary.gateway.routes;

import io.granary.client.GranaryClient;
import io.granary.client.UploadOptions;
import io.granary.common.GranaryException;
import io.granary.common.GranaryPath;
import io.granary.common.Visibility;
import io.granary.common.meta.FileMeta;
import io.granary.gateway.auth.AccessControl;
import io.granary.gateway.auth.AuthFailure;
import io.granary.gateway.auth.PresignedUrlGrant;
import io.granary.gateway.auth.UrlSigner;
import io.granary.gateway.http.ContentTypes;
import io.granary.gateway.http.DownloadSlots;
import io.granary.gateway.http.GatewayNode;
import io.granary.gateway.http.Problem;
import io.granary.gateway.http.RequestPaths;
import io.granary.gateway.http.RequestTracing;
import io.granary.gateway.http.UploadSlots;
import io.granary.gateway.http.WritePreconditions;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Header;
import io.javalin.http.HttpStatus;
import io.javalin.openapi.HttpMethod;
import io.javalin.openapi.OpenApi;
import io.javalin.openapi.OpenApiContent;
import io.javalin.openapi.OpenApiContentProperty;
import io.javalin.openapi.OpenApiParam;
import io.javalin.openapi.OpenApiRequestBody;
import io.javalin.openapi.OpenApiResponse;
import java.io.InputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/v1/files/{path}}: upload (PUT with the raw body, POST with a form; both streamed into
 * chunks), download (GET, HEAD; see {@link FileDownloads}) and delete. The path is taken from the raw
 * URI (see {@link RequestPaths}), so it may contain slashes.
 */
final class FileRoutes {
    private static final Logger log = LoggerFactory.getLogger(FileRoutes.class);
    static final String SHA256_HEADER = "X-Granary-SHA256";
    static final String MD5_HEADER = "Content-MD5";
    private static final String PATH = "/api/v1/files/{path}";
    private static final String PATH_DOC = "The file's path: '/'-separated UTF-8, at most 1024 bytes";

    private final GranaryClient client;
    private final FileDownloads downloads;
    private final FormUploads forms;
    private final UploadSlots uploads;

    FileRoutes(GranaryClient client, FormUploads forms, UploadSlots uploads, DownloadSlots downloadSlots) {
        this.uploads = uploads;
        this.client = client;
        this.forms = forms;
        this.downloads = new FileDownloads(client, downloadSlots);
    }

    void register(Javalin app) {
        for (String route : new String[] {RequestPaths.FILES, RequestPaths.FILES + "/<path>"}) {
            app.put(route, this::upload);
            app.post(route, this::uploadForm);
            app.get(route, this::download);
            app.head(route, this::head);
            app.delete(route, this::delete);
        }
    }

    @OpenApi(path = PATH, methods = HttpMethod.PUT, tags = "files", operationId = "putFile",
            summary = "Upload a file from the raw request body",
            description = "The body is streamed into chunks, each written to `replication` chunkservers and "
                    + "fsynced, then the file becomes visible in one atomic step; an existing file at the path "
                    + "is replaced atomically (readers get the old or the new content, never a mix). Missing "
                    + "parent directories are created. A body shorter than its Content-Length, a client that "
                    + "goes away, or a digest that does not match leaves no file.",
            pathParams = @OpenApiParam(name = "path", required = true, description = PATH_DOC,
                    example = "videos/movie.mp4"),
            queryParams = {
                @OpenApiParam(name = "replication", type = Integer.class,
                        description = "Replicas per chunk (default: the master's, 3)", example = "2"),
                @OpenApiParam(name = "visibility", description = "public (readable without a token) or private; "
                        + "default: that of the file replaced, else private", example = "public")},
            headers = {
                @OpenApiParam(name = "Content-Type", description = "Stored and served back; guessed from the "
                        + "extension when absent", example = "video/mp4"),
                @OpenApiParam(name = SHA256_HEADER, description = "Hex SHA-256 the body must have; a mismatch "
                        + "is 400 and no file"),
                @OpenApiParam(name = MD5_HEADER, description = "Base64 MD5 the body must have; a mismatch is "
                        + "400 and no file"),
                @OpenApiParam(name = "If-Match", description = "Replace only this version: its ETag, or * for any "
                        + "existing file; otherwise 412 and no change", example = "\"9f86d081...\""),
                @OpenApiParam(name = "If-None-Match", description = "*: create only, 412 if a file exists",
                        example = "*")},
            requestBody = @OpenApiRequestBody(required = true, description = "The file's bytes",
                    content = @OpenApiContent(mimeType = "application/octet-stream", type = "string",
                            format = "binary")),
            responses = {
                @OpenApiResponse(status = "201", description = "Stored; Location names the file. `underReplicated` above 0: "
                        + "a chunkserver of a chain failed, the file is readable and the master re-replicates it",
                        content = @OpenApiContent(from = GatewayJson.FileJson.class)),
                @OpenApiResponse(status = "400", description = "Bad path, replication, digest or truncated body",
                        content = @OpenApiContent(from = Problem.class, mimeType = ApiDocs.PROBLEM)),
                @OpenApiResponse(status = "409", description = "A parent is a file, or the path is a directory",
                        content = @OpenApiContent(from = Problem.class, mimeType = ApiDocs.PROBLEM)),
                @OpenApiResponse(status = "412", description = "If-Match or If-None-Match does not hold",
                        content = @OpenApiContent(from = Problem.class, mimeType = ApiDocs.PROBLEM)),
                @OpenApiResponse(status = "503", description = "Too few live chunkservers, the metadata "
                        + "store down, or the gateway or a chunkserver at its upload limits (overloaded); "
                        + "Retry-After says when to retry",
                        content = @OpenApiContent(from = Problem.class, mimeType = ApiDocs.PROBLEM)),
                @OpenApiResponse(status = "507", description = "The chunkservers are out of space",
                        content = @OpenApiContent(from = Problem.class, mimeType = ApiDocs.PROBLEM))})
    private void upload(Context ctx) throws Exception {
        GranaryPath path = RequestPaths.entryAfter(ctx, RequestPaths.FILES);
        // The raw servlet stream: ctx.body() would read the whole body into memory.
        store(ctx, path, ctx.req().getInputStream(), ctx.req().getContentType());
    }

    @OpenApi(path = PATH, methods = HttpMethod.POST, tags = "files", operationId = "postFileForm",
            summary = "Upload a file from a multipart/form-data form (curl -F file=@x, a browser form)",
            description = "The form's `file` field is streamed into chunks exactly as PUT does; fields before it "
                    + "are skipped, fields after it are not read. A malformed or truncated form is 400 and "
                    + "leaves no file.",
            pathParams = @OpenApiParam(name = "path", required = true, description = PATH_DOC,
                    example = "photos/cat.jpg"),
            queryParams = {
                @OpenApiParam(name = "replication", type = Integer.class,
                        description = "Replicas per chunk (default: the master's, 3)"),
                @OpenApiParam(name = "visibility", description = "public or private, as for PUT")},
            headers = {
                @OpenApiParam(name = SHA256_HEADER, description = "Hex SHA-256 the file field must have"),
                @OpenApiParam(name = MD5_HEADER, description = "Base64 MD5 the file field must have")},
            requestBody = @OpenApiRequestBody(required = true, description = "A form with a `file` field",
                    content = @OpenApiContent(mimeType = "multipart/form-data", type = "object",
                            properties = @OpenApiContentProperty(name = FormUploads.FILE_FIELD, type = "string",
                                    format = "binary"))),
            responses = {
                @OpenApiResponse(status = "201", description = "Stored; Location names the file. `underReplicated` above 0: "
                        + "a chunkserver of a chain failed, the file is readable and the master re-replicates it",
                        content = @OpenApiContent(from = GatewayJson.FileJson.class)),
                @OpenApiResponse(status = "400", description = "Not a form, no `file` field, malformed or truncated",
                        content = @OpenApiContent(from = Problem.class, mimeType = ApiDocs.PROBLEM)),
                @OpenApiResponse(status = "409", description = "A parent is a file, or the path is a directory",
                        content = @OpenApiContent(from = Problem.class, mimeType = ApiDocs.PROBLEM)),
                @OpenApiResponse(status = "503", description = "Too few live chunkservers, the metadata "
                        + "store down, or the gateway or a chunkserver at its upload limits (overloaded); "
                        + "Retry-After says when to retry",
                        content = @OpenApiContent(from = Problem.class, mimeType = ApiDocs.PROBLEM))})
    private void uploadForm(Context ctx) throws Exception {
        GranaryPath path = RequestPaths.entryAfter(ctx, RequestPaths.FILES);
        FormUploads.FilePart part = forms.filePart(ctx.req());
        store(ctx, path, part.content(), part.contentType());
    }

    @OpenApi(path = PATH, methods = HttpMethod.GET, tags = "files", operationId = "getFile",
            summary = "Download a file, whole or a byte range",
            description = "Streamed from the chunkservers; every byte was checked against its CRC32C. One range "
                    + "(`bytes=a-b`, `bytes=a-`, `bytes=-n`) gives 206 with Content-Range; several ranges are "
                    + "answered with the whole file (200), which RFC 9110 allows. If-Range is honoured.",
            pathParams = @OpenApiParam(name = "path", required = true, description = PATH_DOC,
                    example = "videos/movie.mp4"),
            queryParams = @OpenApiParam(name = "download", type = Integer.class,
                    description = "1: add Content-Disposition: attachment with the file's name"),
            headers = {
                @OpenApiParam(name = "Range", example = "bytes=0-1048575"),
                @OpenApiParam(name = "If-None-Match", description = "An ETag; a match gives 304"),
                @OpenApiParam(name = "If-Range", description = "An ETag or Last-Modified date; when it is not "
                        + "the current one, the whole file is sent")},
            responses = {
                @OpenApiResponse(status = "200", description = "The whole file",
                        content = @OpenApiContent(mimeType = "application/octet-stream", type = "string",
                                format = "binary"),
                        headers = {@OpenApiParam(name = "ETag"), @OpenApiParam(name = "Last-Modified"),
                            @OpenApiParam(name = "Accept-Ranges")}),
                @OpenApiResponse(status = "206", description = "The requested range",
                        content = @OpenApiContent(mimeType = "application/octet-stream", type = "string",
                                format = "binary"),
                        headers = @OpenApiParam(name = "Content-Range", example = "bytes 0-99/1000")),
                @OpenApiResponse(status = "304", description = "Not modified (If-None-Match matched)"),
                @OpenApiResponse(status = "400", description = "A malformed path",
                        content = @OpenApiContent(from = Problem.class, mimeType = ApiDocs.PROBLEM)),
                @OpenApiResponse(status = "404", description = "No file at this path",
                        content = @OpenApiContent(from = Problem.class, mimeType = ApiDocs.PROBLEM)),
                @OpenApiResponse(status = "409", description = "The path is a directory",
                        content = @OpenApiContent(from = Problem.class, mimeType = ApiDocs.PROBLEM)),
                @OpenApiResponse(status = "416", description = "The range starts past the end; Content-Range: "
                        + "bytes */size", content = @OpenApiContent(from = Problem.class, mimeType = ApiDocs.PROBLEM)),
                @OpenApiResponse(status = "502", description = "No replica could serve a chunk intact",
                        content = @OpenApiContent(from = Problem.class, mimeType = ApiDocs.PROBLEM)),
                @OpenApiResponse(status = "503", description = "The metadata store is down, or this gateway "
                        + "streams its most downloads at once (too-many-downloads, with Retry-After)",
                        content = @OpenApiContent(from = Problem.class, mimeType = ApiDocs.PROBLEM))})
    private void download(Context ctx) {
        downloads.serve(ctx, true);
    }

    @OpenApi(path = PATH, methods = HttpMethod.HEAD, tags = "files", operationId = "headFile",
            summary = "A file's download headers (size, ETag, Last-Modified, Accept-Ranges), without its body",
            pathParams = @OpenApiParam(name = "path", required = true, description = PATH_DOC),
            responses = {
                @OpenApiResponse(status = "200", description = "The file exists"),
                @OpenApiResponse(status = "304", description = "Not modified (If-None-Match matched)"),
                @OpenApiResponse(status = "404", description = "No file at this path")})
    private void head(Context ctx) {
        downloads.serve(ctx, false);
    }

    @OpenApi(path = PATH, methods = HttpMethod.DELETE, tags = "files", operationId = "deleteFile",
            summary = "Delete a file",
            description = "The file disappears at once; its chunks are collected from the chunkservers later.",
            pathParams = @OpenApiParam(name = "path", required = true, description = PATH_DOC),
            responses = {
                @OpenApiResponse(status = "204", description = "Deleted"),
                @OpenApiResponse(status = "404", description = "No file at this path",
                        content = @OpenApiContent(from = Problem.class, mimeType = ApiDocs.PROBLEM)),
                @OpenApiResponse(status = "409", description = "The path is a directory",
                        content = @OpenApiContent(from = Problem.class, mimeType = ApiDocs.PROBLEM)),
                @OpenApiResponse(status = "503", description = "The metadata store is down",
                        content = @OpenApiContent(from = Problem.class, mimeType = ApiDocs.PROBLEM))})
    private void delete(Context ctx) {
        GranaryPath path = RequestPaths.entryAfter(ctx, RequestPaths.FILES);
        RequestTracing.client(ctx, client).delete(path.toString(), AccessControl.actor(ctx));
        log.info("{}: deleted {}", GatewayNode.ID, path);
        ctx.status(HttpStatus.NO_CONTENT);
    }

    private void store(Context ctx, GranaryPath path, InputStream body, String contentType) {
        UploadOptions options = uploadOptions(ctx, uploadType(ctx, contentType, path));
        FileMeta file = uploads.run(() -> RequestTracing.client(ctx, client).upload(path.toString(), body, options));
        log.info("{}: stored {} ({} bytes, {} chunks)", GatewayNode.ID, file.path(), file.size(),
                file.chunks().size());
        ctx.status(HttpStatus.CREATED).header(Header.LOCATION, RequestPaths.fileUri(path)).json(GatewayJson.file(file));
    }

    /**
     * The content type to store. A presigned upload stores the type its signer signed; without one, it
     * may not choose an active type (HTML, SVG, script: {@link ContentTypes#isActive}), which would
     * then carry the signer's name.
     */
    private static String uploadType(Context ctx, String given, GranaryPath path) {
        if (PresignedUrlGrant.VIA.equals(AccessControl.access(ctx).via())) {
            String signed = ctx.queryParam(UrlSigner.CONTENT_TYPE); // verified with the signature
            if (signed != null) {
                return signed;
            }
            if (given != null && !given.isBlank() && ContentTypes.isActive(given)) {
                throw AuthFailure.forbidden("this presigned URL does not allow storing Content-Type " + given.trim()
                        + ": ask its signer for a URL that names it");
            }
        }
        return ContentTypes.forUpload(given, path);
    }

    private static UploadOptions uploadOptions(Context ctx, String contentType) {
        try {
            return WritePreconditions.apply(ctx, new UploadOptions(replication(ctx), 0, contentType)
                    .withExpectedSha256(ctx.header(SHA256_HEADER))
                    .withExpectedMd5(ctx.header(MD5_HEADER))
                    .withActor(AccessControl.actor(ctx))
                    .withVisibility(visibility(ctx)));
        } catch (IllegalArgumentException e) {
            throw GranaryException.invalid(SHA256_HEADER + " or " + MD5_HEADER + ": " + e.getMessage());
        }
    }

    /** {@code ?visibility=public|private}; absent keeps the replaced file's (private for a new file). */
    private static Visibility visibility(Context ctx) {
        String text = ctx.queryParam("visibility");
        return text == null ? null : Visibility.parse(text);
    }

    private static int replication(Context ctx) {
        String text = ctx.queryParam("replication");
        if (text == null) {
            return 0;
        }
        try {
            int replication = Integer.parseInt(text.trim());
            if (replication >= 1) {
                return replication;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw GranaryException.invalid("replication must be a whole number of at least 1, not '" + text + "'");
    }
}
