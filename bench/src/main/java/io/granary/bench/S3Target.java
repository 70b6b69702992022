package io.granary.bench;

import io.granary.common.NamedThreadFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.util.VersionInfo;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * The gateway's S3 port through the AWS SDK for Java v2, configured as a user of an S3-compatible
 * store configures it: the synchronous {@link S3Client} over the SDK's Apache HTTP client,
 * path-style addresses at an endpoint override, region us-east-1, a static key, and otherwise the
 * SDK's defaults, its request checksums and retries included. Bodies stream both ways: an upload is
 * a {@link RequestBody#fromContentProvider content provider} of a generated stream with its length
 * (a retry opens it again), a download is drained through one buffer.
 *
 * <p>A benchmark path {@code /bucket/key} is object {@code key} of bucket {@code bucket}, the file
 * the S3 port maps that object to; {@link #ping} makes the bucket. The SDK retries a throttled or
 * failed request as it does for any user; {@link #retries()} says how often it did, so that a figure
 * that includes retries is reported as such. Thread-safe.
 */
final class S3Target implements Target {
    /** The label of the target with the SDK's default checksums. */
    static final String LABEL = "S3";
    /** How the target reaches the S3 port, as the report says it. */
    static final String CLIENT = "the AWS SDK for Java " + VersionInfo.SDK_VERSION + " (sync S3Client, apache-client, "
            + "path style, us-east-1; the SDK's default request checksums, a CRC32 in an aws-chunked trailer, except "
            + "where a figure says otherwise; its default retries)";
    /** Whether the SDK adds a checksum to every upload it can (its default) or only where S3 demands one. */
    enum Checksums {
        /**
         * The SDK's default ({@link RequestChecksumCalculation#WHEN_SUPPORTED}): a CRC32 of every
         * upload sent as an {@code aws-chunked} trailer, its chunks signed over plain HTTP.
         */
        DEFAULT(LABEL, RequestChecksumCalculation.WHEN_SUPPORTED),
        /** {@link RequestChecksumCalculation#WHEN_REQUIRED}: no CRC32 on a PutObject or UploadPart. */
        WHEN_REQUIRED(LABEL + ", checksums when required", RequestChecksumCalculation.WHEN_REQUIRED);

        private final String label;
        private final RequestChecksumCalculation calculation;

        Checksums(String label, RequestChecksumCalculation calculation) {
            this.label = label;
            this.calculation = calculation;
        }
    }

    private static final String CONTENT_TYPE = "application/octet-stream";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Longest wait for the next byte: a large upload's answer comes after its last chunk is committed. */
    private static final Duration SOCKET_TIMEOUT = Duration.ofMinutes(5);

    private final S3Client s3;
    private final S3Access access;
    private final Checksums checksums;
    private final Attempts attempts;

    /** A target with the SDK's default checksums. */
    S3Target(S3Access access) {
        this(access, Checksums.DEFAULT, new Attempts());
    }

    private S3Target(S3Access access, Checksums checksums, Attempts attempts) {
        this.access = access;
        this.checksums = checksums;
        this.attempts = attempts;
        this.s3 = S3Client.builder()
                .httpClientBuilder(ApacheHttpClient.builder().connectionTimeout(CONNECT_TIMEOUT)
                        .socketTimeout(SOCKET_TIMEOUT))
                .endpointOverride(URI.create(access.endpoint()))
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(access.accessKeyId(), access.secretKey())))
                .requestChecksumCalculation(checksums.calculation)
                .overrideConfiguration(o -> o.addExecutionInterceptor(attempts))
                .build();
    }

    /**
     * Another target at the same port with the same key, whose SDK calculates request checksums as
     * {@code other} says; its retries count with this one's. The caller closes it.
     */
    S3Target withChecksums(Checksums other) {
        return new S3Target(access, other, attempts);
    }

    /** How many times the SDK sent a request again, over this target and its {@link #withChecksums siblings}. */
    long retries() {
        return attempts.sent.get() - attempts.requests.get();
    }

    /** How many requests the SDK was asked to make, over this target and its siblings. */
    long requests() {
        return attempts.requests.get();
    }

    @Override
    public String label() {
        return checksums.label;
    }

    /** Checks that the port answers to the key, and makes the bucket of the benchmark's paths unless it exists. */
    @Override
    public void ping() throws IOException {
        String bucket = bucket(ROOT + "/ping");
        call("CreateBucket", bucket, () -> {
            try {
                s3.createBucket(b -> b.bucket(bucket));
            } catch (BucketAlreadyOwnedByYouException e) {
                // made by an earlier run, or by another target's files: the bucket is a directory
            }
            return null;
        });
    }

    @Override
    public void upload(String path, long size) throws IOException {
        call("PutObject", path, () -> s3.putObject(
                b -> b.bucket(bucket(path)).key(key(path)).contentType(CONTENT_TYPE), body(size)));
    }

    /**
     * Uploads {@code size} generated bytes to {@code path} as one multipart upload of {@code parts}
     * parts sent at once, one thread each: CreateMultipartUpload, the UploadParts in parallel (every
     * part {@code size / parts} bytes, the last one the rest), CompleteMultipartUpload. A failed part
     * aborts the upload, so nothing is left behind.
     */
    void multipartUpload(String path, long size, int parts) throws IOException {
        String bucket = bucket(path);
        String key = key(path);
        String uploadId = call("CreateMultipartUpload", path,
                () -> s3.createMultipartUpload(b -> b.bucket(bucket).key(key).contentType(CONTENT_TYPE)).uploadId());
        ExecutorService senders = Executors.newFixedThreadPool(parts, new NamedThreadFactory("bench-s3-part"));
        try {
            long partSize = size / parts;
            List<Future<CompletedPart>> sent = new ArrayList<>();
            for (int number = 1; number <= parts; number++) {
                int partNumber = number;
                long bytes = number < parts ? partSize : size - partSize * (parts - 1);
                sent.add(senders.submit(() -> call("UploadPart " + partNumber, path, () -> CompletedPart.builder()
                        .partNumber(partNumber)
                        .eTag(s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(partNumber),
                                body(bytes)).eTag())
                        .build())));
            }
            List<CompletedPart> completed = new ArrayList<>();
            for (Future<CompletedPart> part : sent) {
                completed.add(part.get());
            }
            call("CompleteMultipartUpload", path, () -> s3.completeMultipartUpload(b -> b.bucket(bucket).key(key)
                    .uploadId(uploadId).multipartUpload(m -> m.parts(completed))));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abortQuietly(bucket, key, uploadId);
            throw new IOException("interrupted during the multipart upload of " + path, e);
        } catch (ExecutionException e) {
            abortQuietly(bucket, key, uploadId);
            if (e.getCause() instanceof IOException failed) {
                throw failed;
            }
            throw new IllegalStateException("a part of the multipart upload of " + path + " failed: " + e.getCause(),
                    e.getCause());
        } catch (IOException | RuntimeException e) {
            abortQuietly(bucket, key, uploadId);
            throw e;
        } finally {
            senders.shutdownNow(); // stops the other parts after a failure; idle threads otherwise
        }
    }

    @Override
    public long download(String path) throws IOException {
        return call("GetObject", path, () -> {
            try (ResponseInputStream<GetObjectResponse> body =
                         s3.getObject(b -> b.bucket(bucket(path)).key(key(path)))) {
                byte[] buffer = new byte[HttpTarget.DRAIN_BUFFER_BYTES];
                long total = 0;
                for (int n; (n = body.read(buffer)) >= 0; ) {
                    total += n;
                }
                return total;
            }
        });
    }

    @Override
    public void stat(String path) throws IOException {
        call("HeadObject", path, () -> s3.headObject(b -> b.bucket(bucket(path)).key(key(path))));
    }

    /** One page of ListObjectsV2 of the directory's keys, {@code /} as the delimiter. */
    @Override
    public void list(String path) throws IOException {
        call("ListObjectsV2", path, () -> s3.listObjectsV2(b -> b.bucket(bucket(path)).prefix(key(path) + "/")
                .delimiter("/").maxKeys(LIST_PAGE)));
    }

    @Override
    public void delete(String path) throws IOException {
        call("DeleteObject", path, () -> s3.deleteObject(b -> b.bucket(bucket(path)).key(key(path))));
    }

    @Override
    public void close() {
        s3.close();
    }

    private static RequestBody body(long size) {
        return RequestBody.fromContentProvider(() -> new PatternInputStream(size), size, CONTENT_TYPE);
    }

    private void abortQuietly(String bucket, String key, String uploadId) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
        } catch (SdkException e) {
            // the upload is collected with the other abandoned ones; the part's failure is what matters
        }
    }

    /** The bucket of a benchmark path: its first segment. */
    static String bucket(String path) {
        return path.substring(1, separator(path));
    }

    /** The object key of a benchmark path: everything after the bucket. */
    static String key(String path) {
        return path.substring(separator(path) + 1);
    }

    private static int separator(String path) {
        int slash = path.indexOf('/', 1);
        if (!path.startsWith("/") || slash < 2 || slash == path.length() - 1) {
            throw new IllegalArgumentException("not a /bucket/key path: " + path);
        }
        return slash;
    }

    /** An S3 call, whose failure becomes an IOException naming the operation, the path and the endpoint. */
    private <T> T call(String operation, String path, SdkCall<T> call) throws IOException {
        try {
            return call.run();
        } catch (SdkException e) {
            throw new IOException(operation + " " + path + " through the S3 port at " + access.endpoint()
                    + " failed: " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface SdkCall<T> {
        T run() throws IOException;
    }

    /** Counts the requests the SDK is asked to make and the attempts it sends for them. */
    private static final class Attempts implements ExecutionInterceptor {
        private final AtomicLong requests = new AtomicLong();
        private final AtomicLong sent = new AtomicLong();

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            requests.incrementAndGet();
        }

        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            sent.incrementAndGet();
        }
    }
}
