package io.granary.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.granary.common.ByteSize;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.crt.AwsCrtAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.transfer.s3.S3TransferManager;

/**
 * A 200 MiB file through the AWS SDK's transfer manager over its Java multipart client (the CRT only
 * as the HTTP client), in
 * 5 MiB parts sent in parallel, and back: byte for byte, with a multipart ETag.
 */
class S3TransferIT {
    private static final long MIB = ByteSize.MIB;

    @RegisterExtension
    final MiniGranary cluster = MiniGranary.builder().chunkSize("8MiB").s3().build();

    @Test
    void theTransferManagerUploadsTwoHundredMebibytesInFiveMebibyteParts(@TempDir Path dir) throws Exception {
        Path source = dir.resolve("source.bin");
        try (InputStream in = TestBytes.stream(200, 200 * MIB)) {
            Files.copy(in, source);
        }
        try (S3AsyncClient async = S3AsyncClient.builder().httpClient(AwsCrtAsyncHttpClient.create())
                .endpointOverride(URI.create(cluster.s3Endpoint()))
                .region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        cluster.s3AccessKey(), cluster.s3SecretKey())))
                .multipartEnabled(true)
                .multipartConfiguration(c -> c.minimumPartSizeInBytes(5 * MIB).thresholdInBytes(5 * MIB))
                .build();
             S3TransferManager transfers = S3TransferManager.builder().s3Client(async).build()) {
            async.createBucket(b -> b.bucket("transfers")).join();
            transfers.uploadFile(u -> u.source(source).putObjectRequest(p -> p.bucket("transfers").key("big.bin")))
                    .completionFuture().join();

            var head = async.headObject(b -> b.bucket("transfers").key("big.bin")).join();
            assertThat(head.contentLength()).isEqualTo(200 * MIB);
            assertThat(head.eTag()).endsWith("-40\"");

            Path back = dir.resolve("back.bin");
            transfers.downloadFile(d -> d.destination(back).getObjectRequest(g -> g.bucket("transfers").key("big.bin")))
                    .completionFuture().join();
            assertThat(sha256(back)).isEqualTo(sha256(source));
        }
    }

    private static String sha256(Path file) throws IOException, java.security.NoSuchAlgorithmException {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
