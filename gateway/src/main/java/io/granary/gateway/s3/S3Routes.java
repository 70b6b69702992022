package io.granary.gateway.s3;

import io.granary.client.GranaryClient;
import io.granary.gateway.http.DownloadSlots;
import io.granary.gateway.http.RequestTracing;
import io.granary.gateway.http.UploadSlots;
import io.granary.gateway.s3.protocol.S3ErrorCode;
import io.granary.gateway.s3.protocol.S3Exception;
import io.javalin.http.Context;
import java.util.Set;

/**
 * Picks the S3 operation a request names, by S3's rules: the method, whether a bucket and a key are
 * addressed, and the query's subresources ({@code ?uploads}, {@code ?uploadId}, {@code ?delete},
 * {@code ?location}, {@code ?list-type=2}). Subresources Granary does not keep (ACLs, policies,
 * versioning, tagging, lifecycle, …) answer NotImplemented rather than something that looks like
 * success.
 */
final class S3Routes {
    /** Subresources of buckets and objects that Granary has no notion of. */
    private static final Set<String> UNSUPPORTED = Set.of("acl", "policy", "policyStatus", "versioning", "versions",
            "tagging", "lifecycle", "cors", "website", "logging", "notification", "replication", "encryption",
            "object-lock", "retention", "legal-hold", "accelerate", "requestPayment", "analytics", "inventory",
            "metrics", "ownershipControls", "publicAccessBlock", "intelligent-tiering", "restore", "select",
            "torrent", "attributes");

    private final GranaryClient client;
    private final BucketOperations buckets;
    private final ObjectOperations objects;
    private final Listings listings;
    private final MultipartOperations multipart;
    private final DocumentSlots documents = new DocumentSlots();

    S3Routes(GranaryClient client, S3Settings settings, UploadSlots uploads, int maxThreads) {
        this.client = client;
        this.buckets = new BucketOperations(settings);
        DownloadSlots downloads = DownloadSlots.forThreads(maxThreads, Math.min(uploads.max(), maxThreads / 2));
        this.objects = new ObjectOperations(uploads, downloads);
        this.listings = new Listings();
        this.multipart = new MultipartOperations(uploads);
    }

    void handle(Context ctx, S3Request request, S3Caller caller) throws Exception {
        GranaryClient traced = RequestTracing.client(ctx, client);
        for (String parameter : request.query().keySet()) {
            if (UNSUPPORTED.contains(parameter)) {
                throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED, "Granary does not implement the ?" + parameter
                        + " subresource; see docs/s3.md for the operations it supports");
            }
        }
        if (request.bucket().isEmpty()) {
            if (!request.method().equals("GET")) {
                throw notAllowed();
            }
            buckets.list(ctx, traced, caller);
            return;
        }
        if (request.key().isEmpty()) {
            if (carriesLargeDocument(request)) {
                documents.hold(() -> bucket(ctx, traced, request, caller));
            } else {
                bucket(ctx, traced, request, caller);
            }
        } else if (carriesLargeDocument(request)) {
            documents.hold(() -> object(ctx, traced, request, caller));
        } else {
            object(ctx, traced, request, caller);
        }
    }

    /**
     * Listings (of keys, parts, uploads) and the XML bodies of DeleteObjects and a completion: the
     * requests whose documents run to MiBs.
     */
    private static boolean carriesLargeDocument(S3Request request) {
        return switch (request.method()) {
            case "GET" -> request.key().isEmpty() ? !request.has("location") : request.has("uploadId");
            case "POST" -> request.has("delete") || request.has("uploadId");
            default -> false;
        };
    }

    private void bucket(Context ctx, GranaryClient client, S3Request request, S3Caller caller) throws Exception {
        switch (request.method()) {
            case "GET" -> {
                if (request.has("location")) {
                    buckets.location(ctx, client, request, caller);
                } else if (request.has("uploads")) {
                    multipart.listUploads(ctx, client, request, caller);
                } else if ("2".equals(request.param("list-type"))) {
                    listings.listV2(ctx, client, request, caller);
                } else {
                    listings.listV1(ctx, client, request, caller);
                }
            }
            case "HEAD" -> buckets.head(ctx, client, request, caller);
            case "PUT" -> buckets.create(ctx, client, request, caller);
            case "DELETE" -> buckets.delete(ctx, client, request, caller);
            case "POST" -> {
                if (!request.has("delete")) {
                    throw notAllowed();
                }
                objects.deleteMany(ctx, client, request, caller);
            }
            default -> throw notAllowed();
        }
    }

    private void object(Context ctx, GranaryClient client, S3Request request, S3Caller caller) throws Exception {
        switch (request.method()) {
            case "GET" -> {
                if (request.has("uploadId")) {
                    multipart.listParts(ctx, client, request, caller);
                } else {
                    objects.get(ctx, client, request, caller, true);
                }
            }
            case "HEAD" -> objects.get(ctx, client, request, caller, false);
            case "PUT" -> {
                if (request.has("uploadId") || request.has("partNumber")) {
                    multipart.uploadPart(ctx, client, request, caller);
                } else if (ctx.header(ObjectOperations.COPY_SOURCE) != null) {
                    objects.copy(ctx, client, request, caller);
                } else {
                    objects.put(ctx, client, request, caller);
                }
            }
            case "POST" -> {
                if (request.has("uploads")) {
                    multipart.create(ctx, client, request, caller);
                } else if (request.has("uploadId")) {
                    multipart.complete(ctx, client, request, caller);
                } else {
                    throw notAllowed();
                }
            }
            case "DELETE" -> {
                if (request.has("uploadId")) {
                    multipart.abort(ctx, client, request, caller);
                } else {
                    objects.delete(ctx, client, request, caller);
                }
            }
            default -> throw notAllowed();
        }
    }

    private static S3Exception notAllowed() {
        return new S3Exception(S3ErrorCode.METHOD_NOT_ALLOWED, "The specified method is not allowed against this "
                + "resource.");
    }
}
