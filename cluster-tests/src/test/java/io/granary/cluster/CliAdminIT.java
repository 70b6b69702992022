package io.granary.cluster;

import static io.granary.cluster.CliIT.granaryAs;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.granary.launcher.cli.ExitCodes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The command line's sharing and admin commands on a real cluster, each checked by what it changes
 * as seen from outside: a token made with {@code token create} works and stops working once revoked;
 * {@code grant} and {@code chmod public} open reads without a token and close them again; {@code share}
 * prints a link that downloads the file without a token; {@code setrep} changes the replication the
 * file reports; {@code cluster --watch} shows several views.
 */
class CliAdminIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FILE = "shared/report.txt";
    private static final long SEED = 77;
    private static final long SIZE = 5_000;

    @RegisterExtension
    static final MiniGranary cluster = MiniGranary.builder().build();

    private final HttpClient anonymous = HttpClient.newHttpClient();

    @BeforeAll
    static void uploadAFile() {
        assertThat(new Http(cluster).put(FILE, SEED, SIZE).statusCode()).isEqualTo(201);
    }

    @Test
    void aTokenMadeWithTheCliWorksUntilItIsRevoked() throws Exception {
        CliIT.Run created = admin("token", "create", "ci-reader", "--role", "reader", "--expires", "1d", "--json");
        assertThat(created.exitCode()).as(created.stderr()).isZero();
        JsonNode token = JSON.readTree(created.out());
        assertThat(token.path("role").asText()).isEqualTo("reader");
        assertThat(created.stderr()).contains("only this once");

        assertThat(granaryAs(cluster.gatewayUrl(), token.path("token").asText(), "stat", FILE).exitCode()).isZero();
        assertThat(admin("token", "list").out()).contains(token.path("id").asText(), "ci-reader", "reader");

        assertThat(admin("token", "revoke", token.path("id").asText()).exitCode()).isZero();
        assertThat(granaryAs(cluster.gatewayUrl(), token.path("token").asText(), "stat", FILE).exitCode())
                .isEqualTo(ExitCodes.AUTH);
    }

    @Test
    void aGrantOpensReadsFromItsAddressesUntilItIsRevoked() throws Exception {
        assertThat(readWithoutToken(fileUrl())).isEqualTo(401);

        CliIT.Run created = admin("grant", "create", FILE, "--cidr", "127.0.0.0/8", "--expires", "1h", "--json");
        assertThat(created.exitCode()).as(created.stderr()).isZero();
        String id = JSON.readTree(created.out()).path("id").asText();
        assertThat(readWithoutToken(fileUrl())).isEqualTo(200);
        assertThat(admin("grant", "list").out()).contains(id, "127.0.0.0/8");

        assertThat(admin("grant", "revoke", id).exitCode()).isZero();
        assertThat(readWithoutToken(fileUrl())).isEqualTo(401);
    }

    @Test
    void chmodPublicOpensAFileToEveryoneAndPrivateClosesItAgain() throws Exception {
        CliIT.Run open = admin("chmod", "public", FILE);
        assertThat(open.exitCode()).as(open.stderr()).isZero();
        assertThat(open.out()).contains("/" + FILE, "public");
        assertThat(readWithoutToken(fileUrl())).isEqualTo(200);

        assertThat(admin("chmod", "private", FILE).exitCode()).isZero();
        assertThat(readWithoutToken(fileUrl())).isEqualTo(401);
        assertThat(admin("chmod", "secret", FILE).exitCode()).as("not a visibility").isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void sharePrintsALinkThatDownloadsTheFileWithoutAToken() throws Exception {
        CliIT.Run shared = admin("share", FILE, "--expires", "10m");
        assertThat(shared.exitCode()).as(shared.stderr()).isZero();

        HttpResponse<byte[]> download = anonymous.send(HttpRequest.newBuilder(URI.create(shared.out().strip())).build(),
                HttpResponse.BodyHandlers.ofByteArray());

        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(TestBytes.slice(SEED, 0, (int) SIZE));
        assertThat(admin("share", FILE, "--expires", "soon").exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void setrepChangesTheReplicationTheFileReports() throws Exception {
        CliIT.Run set = admin("setrep", "2", FILE);
        assertThat(set.exitCode()).as(set.stderr()).isZero();

        assertThat(JSON.readTree(admin("stat", "--json", FILE).out()).path("replication").asInt()).isEqualTo(2);
        assertThat(admin("setrep", "3", FILE).exitCode()).isZero();
        assertThat(admin("setrep", "2", "shared/missing.txt").exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    }

    @Test
    void clusterWatchShowsAViewAtEachInterval() {
        CliIT.Run watched = admin("cluster", "--watch", "100ms", "--count", "3");

        assertThat(watched.exitCode()).as(watched.stderr()).isZero();
        assertThat(watched.out().split("master ", -1)).as("views shown").hasSize(4);
    }

    private CliIT.Run admin(String... args) {
        return granaryAs(cluster.gatewayUrl(), cluster.adminToken(), args);
    }

    private String fileUrl() {
        return cluster.gatewayUrl() + "/api/v1/files/" + FILE;
    }

    private int readWithoutToken(String url) throws Exception {
        return anonymous.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
