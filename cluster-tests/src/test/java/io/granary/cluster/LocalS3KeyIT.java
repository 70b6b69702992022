package io.granary.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.granary.client.GranaryClient;
import io.granary.client.S3Credential;
import io.granary.client.S3KeyMeta;
import io.granary.client.TokenMeta;
import io.granary.launcher.local.LocalCluster;
import io.granary.launcher.local.LocalS3Key;
import io.granary.launcher.local.LocalSettings;
import io.granary.master.auth.Tokens;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The S3 key {@code granary local} gives its admin: the one of GRANARY_S3_ACCESS_KEY and
 * GRANARY_S3_SECRET_KEY at every start, or one generated once for a new data directory; a restart never
 * makes a second one.
 */
class LocalS3KeyIT {
    private static final String ACCESS_KEY = "LOCALACCESSKEY0001";
    private static final String SECRET_KEY = "local/secret+key-0123456789";

    @TempDir
    Path data;

    @Test
    void theConfiguredPairActsAsTheAdminAndAfterARestartStillDoesWithoutASecondKey() {
        LocalSettings settings = small().s3Key(ACCESS_KEY, SECRET_KEY).build();
        try (LocalCluster first = LocalCluster.start(settings)) {
            assertThat(first.s3AccessKey()).isEqualTo(ACCESS_KEY);
            assertThat(first.s3SecretKey()).isEqualTo(SECRET_KEY);
            assertThat(first.generatedS3Key()).isEmpty();
            assertActsAsTheAdmin(first, ACCESS_KEY, SECRET_KEY);
        }

        try (LocalCluster again = LocalCluster.start(settings)) {
            assertActsAsTheAdmin(again, ACCESS_KEY, SECRET_KEY);
            assertThat(again.client().s3Keys().list("")).extracting(S3KeyMeta::accessKeyId).containsExactly(ACCESS_KEY);
        }
    }

    @Test
    void withoutAPairAKeyIsGeneratedOnceForANewDataDirectoryAndARestartKeepsIt() throws IOException {
        LocalSettings settings = small().adminToken("").s3Key("", "").build();
        LocalS3Key generated;
        try (LocalCluster first = LocalCluster.start(settings)) {
            generated = first.generatedS3Key().orElseThrow(() -> new AssertionError("no key was generated"));
            assertThat(generated.accessKeyId()).matches("GK[A-Z0-9]{18}");
            assertThat(first.s3AccessKey()).isEqualTo(generated.accessKeyId());
            assertThat(first.s3SecretKey()).isEqualTo(generated.secretKey());
            assertActsAsTheAdmin(first, generated.accessKeyId(), generated.secretKey());
            assertThat(mode(data.resolve(LocalS3Key.FILE))).isEqualTo("rw-------");
            first.s3KeyShown();
        }
        assertThat(data.resolve(LocalS3Key.FILE)).as("forgotten once shown").doesNotExist();

        try (LocalCluster again = LocalCluster.start(settings)) {
            assertThat(again.generatedS3Key()).isEmpty();
            assertThat(again.s3AccessKey()).as("the banner's id").isEqualTo(generated.accessKeyId());
            assertThatThrownBy(again::s3SecretKey).isInstanceOf(IllegalStateException.class);
            assertThat(again.client().s3Keys().resolve(generated.accessKeyId()).map(S3Credential::secretKey))
                    .hasValue(generated.secretKey());
            assertThat(again.client().s3Keys().list("")).hasSize(1);
        }
    }

    @Test
    void aFirstStartThatFailsOnATakenGatewayPortKeepsTheGeneratedKeyForTheNextStart() throws IOException {
        LocalSettings settings;
        try (ServerSocket taken = new ServerSocket(0)) {
            settings = small().gatewayPort(taken.getLocalPort()).s3Key("", "").build();
            assertThatThrownBy(() -> LocalCluster.start(settings))
                    .hasMessageContaining(Integer.toString(taken.getLocalPort()));
        }
        assertThat(mode(data.resolve(LocalS3Key.FILE))).isEqualTo("rw-------");

        try (LocalCluster second = LocalCluster.start(settings.toBuilder().gatewayPort(0).build())) {
            LocalS3Key kept = second.generatedS3Key().orElseThrow(() -> new AssertionError("the key is lost"));
            assertActsAsTheAdmin(second, kept.accessKeyId(), kept.secretKey());
            assertThat(second.client().s3Keys().list("")).hasSize(1);
        }
    }

    /** The key resolves, with this secret, to the admin token the cluster runs with. */
    private static void assertActsAsTheAdmin(LocalCluster cluster, String accessKeyId, String secretKey) {
        GranaryClient client = cluster.client();
        S3Credential credential = client.s3Keys().resolve(accessKeyId).orElseThrow();
        TokenMeta admin = client.resolveToken(Tokens.sha256(cluster.adminToken())).orElseThrow();
        assertThat(credential.secretKey()).isEqualTo(secretKey);
        assertThat(credential.token().id()).isEqualTo(admin.id());
        assertThat(credential.token().role()).isEqualTo("admin");
    }

    /** {@code local}'s defaults with one chunkserver: the S3 key does not need more. */
    private LocalSettings.Builder small() {
        return LocalSettings.builder(data, 0).chunkservers(1).replication(1);
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
