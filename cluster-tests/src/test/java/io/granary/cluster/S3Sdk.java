package io.granary.cluster;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** AWS SDK clients of a test cluster's S3 port, path style, as a user would configure them. */
final class S3Sdk {
    private S3Sdk() {
    }

    static S3Client client(MiniGranary cluster, String accessKey, String secretKey) {
        return S3Client.builder().endpointOverride(URI.create(cluster.s3Endpoint())).region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .build();
    }

    static S3Presigner presigner(MiniGranary cluster) {
        return S3Presigner.builder().endpointOverride(URI.create(cluster.s3Endpoint())).region(Region.US_EAST_1)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        cluster.s3AccessKey(), cluster.s3SecretKey()))).build();
    }
}
