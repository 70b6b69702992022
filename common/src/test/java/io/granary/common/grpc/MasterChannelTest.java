package io.granary.common.grpc;

import static io.granary.common.grpc.TestMasters.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MasterChannelTest {
    private final TestMasters masters = new TestMasters(3);

    @AfterEach
    void stop() {
        masters.close();
    }

    @Test
    void aStandbyNamingTheActiveMasterSendsTheNextCallsThere() {
        masters.node(1).standbyOf(masters.node(3));
        masters.node(2).standbyOf(masters.node(3));
        try (MasterChannel channel = masters.channel()) {
            assertThatThrownBy(() -> call(channel)).satisfies(e -> assertRefusal(e));

            assertThat(channel.currentAddress()).isEqualTo(masters.node(3).address);
            assertThat(call(channel)).isEqualTo(masters.node(3).address);
            assertThat(call(channel)).isEqualTo(masters.node(3).address);
            assertThat(masters.node(2).calls).hasValue(0);
        }
    }

    @Test
    void aStandbyNamingNoActiveMasterMovesTheCallsToTheNextAddress() {
        masters.node(1).standby();
        masters.node(2).standby();
        try (MasterChannel channel = masters.channel()) {
            assertThatThrownBy(() -> call(channel)).satisfies(e -> assertRefusal(e));
            assertThat(channel.currentAddress()).isEqualTo(masters.node(2).address);
            assertThatThrownBy(() -> call(channel)).satisfies(e -> assertRefusal(e));

            assertThat(call(channel)).isEqualTo(masters.node(3).address);
            assertThat(masters.nodes).extracting(n -> n.calls.get()).containsExactly(1, 1, 1);
        }
    }

    @Test
    void aStandbyNamingAMasterNotListedMovesTheCallsToTheNextAddress() {
        try (TestMasters other = new TestMasters(1)) {
            masters.node(1).standbyOf(other.node(1));
            try (MasterChannel channel = masters.channel()) {
                assertThatThrownBy(() -> call(channel)).satisfies(e -> assertRefusal(e));

                assertThat(call(channel)).isEqualTo(masters.node(2).address);
            }
        }
    }

    @Test
    void aDeadMasterIsSkipped() {
        masters.node(1).kill();
        try (MasterChannel channel = masters.channel()) {
            assertThatThrownBy(() -> call(channel)).isInstanceOfSatisfying(StatusRuntimeException.class,
                    e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));

            assertThat(call(channel)).isEqualTo(masters.node(2).address);
        }
    }

    @Test
    void afterTheLastAddressTheFirstIsTriedAgain() {
        masters.node(1).unavailableFor(1);
        masters.node(2).kill();
        masters.node(3).standby();
        try (MasterChannel channel = masters.channel()) {
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> call(channel)).isInstanceOf(StatusRuntimeException.class);
            }

            assertThat(call(channel)).isEqualTo(masters.node(1).address);
        }
    }

    @Test
    void onlyAFailureOfTheCurrentTargetMovesIt() {
        try (MasterChannel channel = masters.channel()) {
            channel.learn(0, Status.UNAVAILABLE, new Metadata());
            assertThat(channel.currentAddress()).isEqualTo(masters.node(2).address);

            // a second call that went to the first master, ending after the move, leaves the target alone
            channel.learn(0, Status.UNAVAILABLE, new Metadata());
            channel.learn(0, Status.UNAVAILABLE, StandbyRefusal.of("m1", Optional.of(masters.node(3).address))
                    .getTrailers());
            assertThat(channel.currentAddress()).isEqualTo(masters.node(2).address);
        }
    }

    @Test
    void failuresOtherThanUnavailableOrADeadlineDoNotMoveTheTarget() {
        try (MasterChannel channel = masters.channel()) {
            channel.learn(0, Status.NOT_FOUND, new Metadata());
            channel.learn(0, Status.INTERNAL, new Metadata());
            channel.learn(0, Status.PERMISSION_DENIED, new Metadata());

            assertThat(channel.currentAddress()).isEqualTo(masters.node(1).address);
        }
    }

    @Test
    void aMasterThatLetACallRunOutItsDeadlineIsLeftForTheNext() {
        try (MasterChannel channel = masters.channel()) {
            channel.learn(0, Status.DEADLINE_EXCEEDED, new Metadata());

            assertThat(channel.currentAddress()).isEqualTo(masters.node(2).address);
        }
    }

    @Test
    void aStandbyNamingAMasterThatDidNotAnswerIsAskedAgainRatherThanFollowed() {
        try (MasterChannel channel = masters.channel()) {
            // the first master went silent (its machine is gone), the second is a standby
            channel.learn(0, Status.DEADLINE_EXCEEDED, new Metadata());
            assertThat(channel.currentAddress()).isEqualTo(masters.node(2).address);

            // the standby still names the silent one, as it does until that master's lease lapses
            channel.learn(1, Status.UNAVAILABLE, StandbyRefusal.of("m2", Optional.of(masters.node(1).address))
                    .getTrailers());
            assertThat(channel.currentAddress()).as("the third master, neither silent nor named")
                    .isEqualTo(masters.node(3).address);
            channel.learn(2, Status.UNAVAILABLE, StandbyRefusal.of("m3", Optional.of(masters.node(1).address))
                    .getTrailers());
            assertThat(channel.currentAddress()).as("then the second, not the silent one")
                    .isEqualTo(masters.node(2).address);
            channel.learn(1, Status.UNAVAILABLE, StandbyRefusal.of("m2", Optional.of(masters.node(1).address))
                    .getTrailers());
            channel.learn(2, Status.UNAVAILABLE, StandbyRefusal.of("m3", Optional.of(masters.node(1).address))
                    .getTrailers());

            // once it answers again, it is followed
            channel.learn(0, Status.OK, new Metadata());
            channel.learn(1, Status.UNAVAILABLE, StandbyRefusal.of("m2", Optional.of(masters.node(1).address))
                    .getTrailers());
            assertThat(channel.currentAddress()).isEqualTo(masters.node(1).address);
        }
    }

    @Test
    void oneAddressWorksAsAPlainChannelToIt() {
        masters.node(1).unavailableFor(1);
        try (MasterChannel channel = MasterChannel.open(masters.node(1).address,
                address -> InProcessChannelBuilder.forName(address).directExecutor().build())) {
            assertThatThrownBy(() -> call(channel)).isInstanceOf(StatusRuntimeException.class);

            assertThat(channel.size()).isEqualTo(1);
            assertThat(call(channel)).isEqualTo(masters.node(1).address);
        }
    }

    @Test
    void closingShutsDownTheChannelsItOpenedButNotAPoolsChannels() {
        List<ManagedChannel> opened = new ArrayList<>();
        MasterChannel own = MasterChannel.open(masters.list(), address -> {
            ManagedChannel channel = InProcessChannelBuilder.forName(address).build();
            opened.add(channel);
            return channel;
        });
        own.close();
        assertThat(opened).hasSize(3).allMatch(ManagedChannel::isShutdown);

        List<ManagedChannel> pooled = new ArrayList<>();
        try (ChannelPool pool = new ChannelPool(address -> {
            ManagedChannel channel = InProcessChannelBuilder.forName(address).directExecutor().build();
            pooled.add(channel);
            return channel;
        }, Duration.ZERO)) {
            MasterChannel borrowed = MasterChannel.over(masters.list(), pool);
            borrowed.close();

            assertThat(pooled).hasSize(3).noneMatch(ManagedChannel::isShutdown);
            assertThat(call(borrowed)).isEqualTo(masters.node(1).address);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "m:7070; m:7070",
            "a:1,b:2; a:1|b:2",
            "' a:1 , b:65535 '; a:1|b:65535",
            "[::1]:7070,10.0.0.5:7070; [::1]:7070|10.0.0.5:7070"})
    void parsesAListOfHostPorts(String list, String expected) {
        assertThat(MasterChannel.parseAddresses(list)).containsExactly(expected.split("\\|"));
        assertThat(MasterChannel.firstAddress(list)).isEqualTo(expected.split("\\|")[0]);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "' '; no master address given",
            "localhost; 'localhost' is not host:port",
            "a:1,; empty item",
            "a:1,,b:2; empty item",
            "a:0; has port 0, outside 1 to 65535",
            "a:65536; has port 65536, outside 1 to 65535",
            "::1:7070; '::1:7070' is not host:port",
            "a b:1; 'a b:1' is not host:port",
            "a:1,a:1; 'a:1' is listed twice"})
    void refusesABadListWithAClearMessage(String list, String message) {
        assertThatThrownBy(() -> MasterChannel.parseAddresses(list))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void refusesNoAddressAtAll() {
        assertThatThrownBy(() -> MasterChannel.parseAddresses("")).hasMessageContaining("no master address");
        assertThatThrownBy(() -> MasterChannel.parseAddresses(null)).hasMessageContaining("no master address");
    }

    private static void assertRefusal(Throwable e) {
        assertThat(e).isInstanceOf(StatusRuntimeException.class);
        StatusRuntimeException refusal = (StatusRuntimeException) e;
        assertThat(StandbyRefusal.isRefusal(refusal.getStatus(), refusal.getTrailers())).isTrue();
    }
}
