package io.granary.gateway.s3;

import io.granary.client.CreatedDirectory;
import io.granary.client.GranaryClient;
import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.granary.common.GranaryPath;
import io.granary.common.Role;
import io.granary.common.meta.DirectoryEntry;
import io.granary.common.meta.DirectoryPage;
import io.granary.common.meta.EntryType;
import io.granary.common.meta.FileMeta;
import io.granary.gateway.auth.Principal;
import io.granary.gateway.s3.protocol.BucketNames;
import io.granary.gateway.s3.protocol.ObjectKeys;
import io.granary.gateway.s3.protocol.S3ErrorCode;
import io.granary.gateway.s3.protocol.S3Exception;
import io.granary.gateway.s3.protocol.S3Times;
import io.granary.gateway.s3.protocol.XmlWriter;
import io.javalin.http.Context;

/**
 * The bucket operations: a bucket is a top-level directory, so ListBuckets lists the root's
 * directories, CreateBucket makes one (owned by the caller), DeleteBucket removes an empty one.
 */
final class BucketOperations {
    private final S3Settings settings;

    BucketOperations(S3Settings settings) {
        this.settings = settings;
    }

    void list(Context ctx, GranaryClient client, S3Caller caller) {
        Principal who = caller.require(Role.READER);
        XmlWriter xml = XmlWriter.document("ListAllMyBucketsResult", true)
                .start("Owner").element("ID", who.id()).element("DisplayName", who.name()).end()
                .start("Buckets");
        String after = "";
        do {
            DirectoryPage page = client.list("/", after, KeyWalk.PAGE);
            for (DirectoryEntry entry : page.entries()) {
                if (entry.type() == EntryType.DIRECTORY && BucketNames.isAddressable(entry.name())) {
                    xml.start("Bucket").element("Name", entry.name())
                            .element("CreationDate", S3Times.iso(entry.modified())).end();
                }
            }
            after = page.next();
        } while (!after.isEmpty());
        S3Responses.xml(ctx, 200, xml.end().finish());
    }

    void location(Context ctx, GranaryClient client, S3Request request, S3Caller caller) {
        caller.require(Role.READER);
        existing(client, request.bucket());
        // S3 names us-east-1 with an empty constraint
        String region = S3Settings.DEFAULT_REGION.equals(settings.region()) ? "" : settings.region();
        S3Responses.xml(ctx, 200, XmlWriter.document("LocationConstraint", true).finishWithText(region));
    }

    void head(Context ctx, GranaryClient client, S3Request request, S3Caller caller) {
        caller.require(Role.READER);
        existing(client, request.bucket());
        ctx.header("x-amz-bucket-region", settings.region()).status(200);
    }

    void create(Context ctx, GranaryClient client, S3Request request, S3Caller caller) {
        BucketNames.checkNew(request.bucket());
        CreatedDirectory made;
        try {
            made = client.mkdirs(request.bucket(), caller.actor(Role.WRITER));
        } catch (GranaryException e) {
            if (e.kind() == ErrorKind.FAILED_PRECONDITION || e.kind() == ErrorKind.ALREADY_EXISTS) {
                throw new S3Exception(S3ErrorCode.BUCKET_ALREADY_EXISTS, "The requested bucket name is not "
                        + "available: a file has that name");
            }
            throw e;
        }
        if (!made.created()) {
            throw new S3Exception(S3ErrorCode.BUCKET_ALREADY_OWNED_BY_YOU, "Your previous request to create the "
                    + "named bucket succeeded and you already own it.");
        }
        ctx.header("Location", "/" + request.bucket()).status(200);
    }

    void delete(Context ctx, GranaryClient client, S3Request request, S3Caller caller) {
        var actor = caller.actor(Role.WRITER);
        FileMeta bucket = existing(client, request.bucket());
        if (bucket.files() > 0) {
            throw new S3Exception(S3ErrorCode.BUCKET_NOT_EMPTY, "The bucket you tried to delete is not empty: it "
                    + "holds " + bucket.files() + " objects");
        }
        try {
            // only empty directories are left below it, which S3 would not show
            client.deleteDirectory(request.bucket(), true, actor);
        } catch (GranaryException e) {
            if (e.kind() == ErrorKind.FAILED_PRECONDITION) {
                throw new S3Exception(S3ErrorCode.BUCKET_NOT_EMPTY, "The bucket you tried to delete is not empty");
            }
            throw notFoundAsNoSuchBucket(e, request.bucket());
        }
        ctx.status(204);
    }

    /**
     * The bucket's directory.
     *
     * @throws S3Exception NoSuchBucket when there is none (or a file has its name)
     */
    static FileMeta existing(GranaryClient client, String bucket) {
        GranaryPath path = ObjectKeys.bucketPath(bucket);
        FileMeta meta;
        try {
            meta = client.stat(path.toString());
        } catch (GranaryException e) {
            throw notFoundAsNoSuchBucket(e, bucket);
        }
        if (meta.type() != EntryType.DIRECTORY) {
            throw noSuchBucket(bucket);
        }
        return meta;
    }

    static RuntimeException notFoundAsNoSuchBucket(GranaryException e, String bucket) {
        return e.kind() == ErrorKind.NOT_FOUND ? noSuchBucket(bucket) : e;
    }

    static S3Exception noSuchBucket(String bucket) {
        return new S3Exception(S3ErrorCode.NO_SUCH_BUCKET, "The specified bucket does not exist: " + bucket);
    }
}
