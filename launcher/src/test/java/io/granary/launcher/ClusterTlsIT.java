package io.granary.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.granary.client.ClientOptions;
import io.granary.client.GranaryClient;
import io.granary.client.UploadOptions;
import io.granary.common.GranaryException;
import io.granary.common.grpc.ClusterSecret;
import io.granary.common.grpc.ClusterSecurity;
import io.granary.common.grpc.GrpcTls;
import io.granary.gateway.HttpTls;
import io.granary.master.testing.RedisFixture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real cluster whose every gRPC hop (gateway to master and chunkservers, master to chunkservers,
 * chunkserver to chunkserver and to the master) is mutual TLS with certificates made by the test,
 * and whose gateway serves HTTPS only.
 */
class ClusterTlsIT {
    private static final long SIZE = 200_000;

    @TempDir
    static Path dir;
    static RedisFixture redis;
    static LocalCluster cluster;
    static TestCertificates ca;
    static TestCertificates.Issued node;
    static HttpClient https;

    @BeforeAll
    static void startCluster() {
        redis = RedisFixture.start(dir);
        ca = TestCertificates.authority(dir.resolve("pki"), "granary-test-ca");
        node = ca.issue("node");
        cluster = LocalCluster.start(LocalSettings.builder(dir, 0).redisUri(redis.uri())
                        .replication(2).chunkservers(2).chunkSizeBytes(64 * 1024).build(),
                ClusterSecret.generate(), new GrpcTls(node.cert(), node.key(), ca.ca()),
                new HttpTls(node.cert(), node.key()));
        https = HttpClient.newBuilder().sslContext(ca.trustingSslContext()).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void aFileRoundTripsOverHttpsAndMutualTlsThroughEveryHop() throws Exception {
        assertThat(cluster.gatewayUrl()).startsWith("https://");
        byte[] content = TestBytes.slice(7, 0, (int) SIZE);

        HttpResponse<String> put = https.send(HttpRequest.newBuilder(URI.create(cluster.gatewayUrl()
                        + "/api/v1/files/tls/round.bin")).header("Authorization", "Bearer " + cluster.adminToken()).PUT(HttpRequest.BodyPublishers.ofByteArray(content)).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<byte[]> get = https.send(HttpRequest.newBuilder(URI.create(cluster.gatewayUrl()
                + "/api/v1/files/tls/round.bin")).header("Authorization", "Bearer " + cluster.adminToken()).GET()
                .build(), HttpResponse.BodyHandlers.ofByteArray());

        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEqualTo(content);
        // every chunk reached its second replica through the chain, chunkserver to chunkserver over TLS
        assertThat(cluster.client().stat("tls/round.bin").chunks())
                .allSatisfy(chunk -> assertThat(chunk.replicas()).hasSize(2));
    }

    @Test
    void plainHttpIsNotServed() {
        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        String url = cluster.gatewayUrl().replace("https://", "http://") + "/health/live";
        assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
    }

    @Test
    void aJavaClientWithItsOwnCertificateAndTheSecretIsServed() {
        TestCertificates.Issued app = ca.issue("app");
        ClusterSecurity security = ClusterSecurity.of(ClusterSecret.of(cluster.clusterSecret()))
                .withTls(new GrpcTls(app.cert(), app.key(), ca.ca()));
        try (GranaryClient client = GranaryClient.connect(cluster.masterAddress(),
                ClientOptions.defaults().withSecurity(security))) {
            client.upload("tls/app.bin", TestBytes.stream(8, SIZE), UploadOptions.defaults());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            client.download("tls/app.bin", 0, -1, out);
            assertThat(out.toByteArray()).isEqualTo(TestBytes.slice(8, 0, (int) SIZE));
        }
    }

    @Test
    void aClientWithoutACertificateIsRefusedEvenWithTheSecret() {
        ClusterSecurity noCertificate = ClusterSecurity.of(ClusterSecret.of(cluster.clusterSecret()))
                .withTls(new GrpcTls(null, null, ca.ca()));
        try (GranaryClient client = GranaryClient.connect(cluster.masterAddress(),
                ClientOptions.defaults().withSecurity(noCertificate).withMetadataDeadline(Duration.ofSeconds(10)))) {
            assertThatThrownBy(() -> client.cluster()).isInstanceOf(GranaryException.class);
        }
    }

    @Test
    void aClientWithACertificateFromAnotherAuthorityIsRefused() {
        TestCertificates other = TestCertificates.authority(dir.resolve("other-pki"), "someone-else");
        TestCertificates.Issued stranger = other.issue("stranger");
        ClusterSecurity foreign = ClusterSecurity.of(ClusterSecret.of(cluster.clusterSecret()))
                .withTls(new GrpcTls(stranger.cert(), stranger.key(), ca.ca()));
        try (GranaryClient client = GranaryClient.connect(cluster.masterAddress(),
                ClientOptions.defaults().withSecurity(foreign).withMetadataDeadline(Duration.ofSeconds(10)))) {
            assertThatThrownBy(() -> client.cluster()).isInstanceOf(GranaryException.class);
        }
    }

    @Test
    void aPlaintextClientIsRefused() {
        try (GranaryClient client = GranaryClient.connect(cluster.masterAddress(), ClientOptions.defaults()
                .withClusterSecret(cluster.clusterSecret()).withMetadataDeadline(Duration.ofSeconds(10)))) {
            assertThatThrownBy(() -> client.cluster()).isInstanceOf(GranaryException.class);
        }
    }
}
