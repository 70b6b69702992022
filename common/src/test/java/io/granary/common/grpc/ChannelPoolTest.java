package io.granary.common.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.inprocess.InProcessChannelBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChannelPoolTest {
    private final List<ManagedChannel> opened = new ArrayList<>();

    private ManagedChannel open(String address) {
        ManagedChannel channel = InProcessChannelBuilder.forName(address).build();
        opened.add(channel);
        return channel;
    }

    @Test
    void opensOneChannelPerAddressOnFirstUse() {
        try (ChannelPool pool = new ChannelPool(this::open)) {
            Channel first = pool.channel("a:1");

            assertThat(pool.channel("a:1")).isSameAs(first);
            assertThat(pool.channel("b:2")).isNotSameAs(first);
            assertThat(opened).hasSize(2);
        }
    }

    @Test
    void closingShutsEveryChannelDownAndRefusesNewOnes() {
        ChannelPool pool = new ChannelPool(this::open);
        pool.channel("a:1");
        pool.channel("b:2");

        pool.close();

        assertThat(opened).allMatch(ManagedChannel::isTerminated);
        assertThatThrownBy(() -> pool.channel("c:3")).isInstanceOfSatisfying(GranaryException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE));
    }

    @Test
    void aZeroGraceShutsDownWithoutWaitingAndShutdownNowCancelsWhatRemains() {
        ChannelPool pool = new ChannelPool(this::open, Duration.ZERO);
        pool.channel("a:1");

        pool.close();
        assertThat(opened.get(0).isShutdown()).isTrue();

        pool.shutdownNow();
        assertThat(opened.get(0).isShutdown()).isTrue();
    }

    @Test
    void anInterceptedViewSharesTheChannelsAndClosesNothing() {
        ClientInterceptor passThrough = new ClientInterceptor() {
            @Override
            public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options,
                                                         Channel next) {
                return next.newCall(method, options);
            }
        };
        try (ChannelPool pool = new ChannelPool(this::open)) {
            ChannelPool view = pool.intercepted(passThrough);

            view.channel("a:1");
            view.close();

            assertThat(opened).hasSize(1);
            assertThat(opened.get(0).isShutdown()).isFalse();
            assertThat(pool.channel("a:1")).isSameAs(opened.get(0));
        }
    }

    @Test
    void optionsRefuseANegativeGraceOrWindow() {
        assertThatThrownBy(() -> ChannelPool.Options.DEFAULTS.withCloseGrace(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChannelPool.Options.DEFAULTS.withFlowControlWindowBytes(-1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
