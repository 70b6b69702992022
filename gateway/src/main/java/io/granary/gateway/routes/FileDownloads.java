package io.granary.gateway.routes;

import io.granary.client.GranaryClient;
import io.granary.common.ByteSize;
import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.granary.common.GranaryPath;
import io.granary.common.meta.FileMeta;
import io.granary.gateway.auth.AccessControl;
import io.granary.gateway.http.Conditionals;
import io.granary.gateway.http.ContentTypes;
import io.granary.gateway.http.DownloadSlots;
import io.granary.gateway.http.GatewayNode;
import io.granary.gateway.http.HttpErrors;
import io.granary.gateway.http.Problem;
import io.granary.gateway.http.RangeHeader;
import io.granary.gateway.http.RequestPaths;
import io.granary.gateway.http.RequestTracing;
import io.granary.gateway.http.UserContent;
import io.javalin.http.Context;
import io.javalin.http.Header;
import io.javalin.http.HttpStatus;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GET and HEAD of a file: validators, conditional requests, byte ranges, and the body streamed from
 * the chunks straight to the servlet output stream through one small buffer (no compression, no
 * whole-body buffering). HEAD reads no chunk.
 */
final class FileDownloads {
    private static final Logger log = LoggerFactory.getLogger(FileDownloads.class);
    /** Bytes copied from a chunk stream to the HTTP response at a time. */
    static final int BUFFER_BYTES = (int) (64 * ByteSize.KIB);

    private final GranaryClient client;
    private final DownloadSlots slots;

    FileDownloads(GranaryClient client, DownloadSlots slots) {
        this.client = client;
        this.slots = slots;
    }

    void serve(Context ctx, boolean withBody) {
        GranaryPath path = RequestPaths.entryAfter(ctx, RequestPaths.FILES);
        FileMeta file = lookup(ctx, path);
        // decided on the very version served, so a file made private meanwhile is not served anonymously
        AccessControl.requirePublicOrAllowed(ctx, file.isFile() && file.isPublic());
        if (!file.isFile()) {
            throw new GranaryException(ErrorKind.FAILED_PRECONDITION, file.path() + " is a directory, not a file");
        }
        String etag = Conditionals.etag(file);
        String lastModified = Conditionals.lastModified(file);
        ctx.header(Header.ETAG, etag).header(Header.LAST_MODIFIED, lastModified).header(Header.ACCEPT_RANGES, "bytes");
        if (preconditionFailed(ctx, file, etag)) {
            HttpErrors.respond(ctx, HttpErrors.problemForStatus(412, file.path() + " is not the version the "
                    + "request's If-Match or If-Unmodified-Since names", ctx.req().getRequestURI()));
            return;
        }
        if (notModified(ctx, file, etag)) {
            ctx.status(HttpStatus.NOT_MODIFIED);
            return;
        }
        String contentType = ContentTypes.forDownload(file.contentType(), path.name());
        ctx.contentType(contentType);
        UserContent.protect(ctx, contentType, path.name(),
                "1".equals(ctx.queryParam("download")) || "true".equals(ctx.queryParam("download")));
        RangeHeader.Selection selection = selection(ctx, file, etag, lastModified, withBody);
        if (selection instanceof RangeHeader.Part part) {
            ctx.header(Header.CONTENT_RANGE, part.contentRange(file.size()));
            send(ctx, file, HttpStatus.PARTIAL_CONTENT, part.first(), part.length(), withBody);
        } else if (selection instanceof RangeHeader.Unsatisfiable) {
            HttpErrors.respond(ctx, HttpErrors.problemForStatus(416, "no requested range overlaps the "
                    + file.size() + " bytes of " + file.path(), ctx.req().getRequestURI()));
            ctx.header(Header.CONTENT_RANGE, RangeHeader.Unsatisfiable.contentRange(file.size()));
        } else {
            send(ctx, file, HttpStatus.OK, 0, file.size(), withBody);
        }
    }

    private FileMeta lookup(Context ctx, GranaryPath path) {
        try {
            return RequestTracing.client(ctx, client).stat(path.toString());
        } catch (GranaryException e) {
            throw AccessControl.hideFromAnonymous(ctx, e);
        }
    }

    /** RFC 9110 §13.2.2 steps 1 and 2: If-Match, or else If-Unmodified-Since. */
    private static boolean preconditionFailed(Context ctx, FileMeta file, String etag) {
        String ifMatch = ctx.header(Header.IF_MATCH);
        if (ifMatch != null) {
            return Conditionals.ifMatchFails(ifMatch, etag);
        }
        return Conditionals.modifiedSince(ctx.header(Header.IF_UNMODIFIED_SINCE), file).orElse(false);
    }

    /** Steps 3 and 4: If-None-Match, or else If-Modified-Since. */
    private static boolean notModified(Context ctx, FileMeta file, String etag) {
        String ifNoneMatch = ctx.header(Header.IF_NONE_MATCH);
        if (ifNoneMatch != null) {
            return Conditionals.isNotModified(ifNoneMatch, etag);
        }
        return !Conditionals.modifiedSince(ctx.header(Header.IF_MODIFIED_SINCE), file).orElse(true);
    }

    /** Range applies to GET only (RFC 9110 §14.2), and only while If-Range names this version. */
    private static RangeHeader.Selection selection(Context ctx, FileMeta file, String etag, String lastModified,
                                                   boolean withBody) {
        if (!withBody || !Conditionals.rangeStillValid(ctx.header(Header.IF_RANGE), etag, lastModified)) {
            return new RangeHeader.Whole();
        }
        return RangeHeader.select(ctx.header(Header.RANGE), file.size());
    }

    private void send(Context ctx, FileMeta file, HttpStatus status, long offset, long length, boolean withBody) {
        if (!withBody || length == 0) {
            ctx.status(status).res().setContentLengthLong(length);
            return;
        }
        if (!slots.tryAcquire()) {
            refuseBusy(ctx);
            return;
        }
        try {
            HttpServletResponse res = ctx.status(status).res();
            res.setContentLengthLong(length);
            stream(ctx, file, offset, length);
        } finally {
            slots.release();
        }
    }

    private void refuseBusy(Context ctx) {
        HttpErrors.respond(ctx, Problem.of(503, "too-many-downloads", "Service Unavailable", slots.max()
                + " downloads are streaming from this gateway, its most at once; try again later",
                ctx.req().getRequestURI())); // with the Retry-After every 503 carries
    }

    private void stream(Context ctx, FileMeta file, long offset, long length) {
        byte[] buffer = new byte[BUFFER_BYTES];
        try (InputStream in = RequestTracing.client(ctx, client).open(file, offset, length)) {
            OutputStream out = ctx.res().getOutputStream();
            for (int n; (n = in.read(buffer)) > 0; ) {
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            // Writing failed: the HTTP client went away. Closing the stream cancelled the chunk reads.
            log.debug("{}: download of {} stopped: {}", GatewayNode.ID, file.path(), e.toString());
        } catch (GranaryException e) {
            if (!ctx.res().isCommitted()) {
                throw e; // nothing was sent yet: the client gets a problem
            }
            log.warn("{}: download of {} failed after its headers were sent, dropping the connection: {}",
                    GatewayNode.ID, file.path(), e.getMessage());
            HttpErrors.abort(ctx, e);
        }
    }
}
