package io.granary.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.granary.client.fake.FakeCluster;
import io.granary.client.fake.FakeStandby;
import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A client given several masters finds the active one, over TCP as {@link GranaryClient#connect} makes it. */
class MasterFailoverTest {
    private final FakeCluster cluster = FakeCluster.startThreaded(0);
    private final String active = cluster.serveMasterOnLoopback();

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void aWriteRefusedByAStandbyIsDoneByTheActiveMasterItNames() {
        try (FakeStandby standby = new FakeStandby(active);
             GranaryClient client = GranaryClient.connect(standby.address() + "," + active)) {
            assertThat(client.mkdirs("/a").created()).isTrue();
            assertThat(client.stat("/a").isDirectory()).isTrue();

            assertThat(standby.refused).as("later calls go straight to the active master").hasValue(1);
        }
    }

    @Test
    void aStandbyThatKnowsNoActiveMasterIsPassedByInListOrder() {
        try (FakeStandby standby = new FakeStandby(null);
             GranaryClient client = GranaryClient.connect(standby.address() + ", " + active)) {
            assertThat(client.mkdirs("/b").created()).isTrue();
            assertThat(standby.refused).hasValue(1);
        }
    }

    @Test
    void aReadSkipsADeadMasterButAWriteThatMetItFails() throws IOException {
        String dead = "127.0.0.1:" + closedPort();
        try (GranaryClient client = GranaryClient.connect(dead + "," + active)) {
            assertThatThrownBy(() -> client.mkdirs("/c")).isInstanceOfSatisfying(GranaryException.class,
                    e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE));
            assertThat(client.mkdirs("/c").created()).as("the next call goes to the other master").isTrue();
        }
        try (GranaryClient client = GranaryClient.connect(dead + "," + active)) {
            assertThat(client.stat("/c").isDirectory()).isTrue();
        }
    }

    @Test
    void withOneDeadMasterAReadFailsAtOnce() throws IOException {
        try (GranaryClient client = GranaryClient.connect("127.0.0.1:" + closedPort(),
                ClientOptions.defaults().withFailoverPatience(Duration.ofMinutes(5)))) {
            assertThatThrownBy(() -> client.stat("/")).isInstanceOfSatisfying(GranaryException.class,
                    e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE));
        }
    }

    @Test
    void aBadMasterListIsRefusedBeforeAnyConnection() {
        assertThatThrownBy(() -> GranaryClient.connect(active + ",")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty item");
    }

    /** A loopback port nothing listens on: one the system just gave out and took back. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
