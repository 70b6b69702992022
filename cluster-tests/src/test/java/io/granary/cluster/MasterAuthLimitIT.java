package io.granary.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.granary.client.ClientOptions;
import io.granary.client.GranaryClient;
import io.granary.client.NewToken;
import io.granary.client.UploadOptions;
import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.granary.common.OverloadedException;
import io.granary.common.net.AuthFailureLimiter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The master limits failed token authentications per caller address as the gateway does: an address
 * out of tries is refused, its valid tokens too, before any token is looked up, until it earns a try
 * back; the cluster's own calls (the secret, no token) from that address are never limited. A cluster
 * of its own, since this test leaves its address short of tries.
 */
class MasterAuthLimitIT {
    private static final String WRONG_TOKEN = "gr_" + "x".repeat(43);

    @RegisterExtension
    static final MiniGranary cluster = MiniGranary.builder().chunkservers(1).replication(1).build();
    private final List<GranaryClient> clients = new ArrayList<>();

    @AfterEach
    void close() {
        clients.forEach(GranaryClient::close);
    }

    @Test
    void anAddressOutOfTriesIsRefusedEvenWithAValidTokenUntilItEarnsOneBackWhileTheClusterGoesOn() {
        cluster.client().upload("limit/kept.bin", TestBytes.stream(1, 1000), UploadOptions.defaults());
        NewToken reader = cluster.client().createToken("it-reader", "reader", Duration.ofHours(1));
        GranaryClient valid = tokenClient(reader.secret());
        GranaryClient guesser = tokenClient(WRONG_TOKEN);
        assertThat(valid.stat("limit/kept.bin").size()).isEqualTo(1000);

        for (int i = 0; i < AuthFailureLimiter.DEFAULT_BURST; i++) {
            assertThatThrownBy(() -> guesser.stat("limit/kept.bin")).isInstanceOfSatisfying(GranaryException.class,
                    e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAUTHENTICATED));
        }

        assertThatThrownBy(() -> guesser.stat("limit/kept.bin")).isInstanceOfSatisfying(OverloadedException.class,
                e -> assertThat(e.retryAfter()).isPositive());
        assertThatThrownBy(() -> valid.stat("limit/kept.bin")).as("a valid token from that address waits too")
                .isInstanceOfSatisfying(OverloadedException.class,
                        e -> assertThat(e).hasMessageContaining("too many failed authentications"));
        // the cluster's own nodes and the gateway call from the same address, with the secret
        cluster.client().upload("limit/after.bin", TestBytes.stream(2, 1000), UploadOptions.defaults());
        assertThat(new Http(cluster.gatewayUrl(), cluster.adminToken()).get("limit/after.bin").status())
                .isEqualTo(200);

        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).ignoreExceptionsInstanceOf(
                OverloadedException.class).until(() -> valid.stat("limit/kept.bin").size() == 1000);
    }

    private GranaryClient tokenClient(String token) {
        GranaryClient client = GranaryClient.connect(cluster.masterAddress(),
                ClientOptions.defaults().withToken(token).withFailoverPatience(Duration.ZERO));
        clients.add(client);
        return client;
    }
}
