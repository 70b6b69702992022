package io.granary.common.grpc;

import io.granary.common.NamedThreadFactory;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Bounds the wait between a channel's attempts to reconnect. gRPC backs off exponentially between
 * attempts (1 s growing by 1.6 per failure, up to 2 minutes), and its channel builders have no public
 * setting for it, so a peer that was down for half a minute is reconnected to only ten or more seconds
 * after it returns, and calls meanwhile fail at once. While a watched channel is in TRANSIENT_FAILURE,
 * this calls {@link ManagedChannel#resetConnectBackoff()} every {@link #MAX_BACKOFF}, so it tries again
 * at least that often; a refused connection to a peer that is down costs next to nothing.
 *
 * <p>Driven by the channel's state-change callbacks and one shared daemon timer thread; the watch ends
 * when the channel shuts down. Thread-safe.
 */
public final class ReconnectBackoff {
    /** The longest a watched channel waits before trying to reconnect. */
    public static final Duration MAX_BACKOFF = Duration.ofSeconds(1);

    private static final ScheduledExecutorService TIMER =
            Executors.newSingleThreadScheduledExecutor(new NamedThreadFactory("grpc-reconnect"));

    private ReconnectBackoff() {
    }

    /** Watches {@code channel} with {@link #MAX_BACKOFF}; returns it. */
    public static ManagedChannel bounded(ManagedChannel channel) {
        return bounded(channel, MAX_BACKOFF);
    }

    /** Watches {@code channel} so that it tries to reconnect at least every {@code maxBackoff}; returns it. */
    public static ManagedChannel bounded(ManagedChannel channel, Duration maxBackoff) {
        if (maxBackoff.isNegative() || maxBackoff.isZero()) {
            throw new IllegalArgumentException("the reconnect backoff must be positive, not " + maxBackoff);
        }
        watch(channel, maxBackoff.toMillis());
        return channel;
    }

    private static void watch(ManagedChannel channel, long maxBackoffMs) {
        if (channel.isShutdown()) {
            return;
        }
        ConnectivityState state = channel.getState(false);
        if (state == ConnectivityState.TRANSIENT_FAILURE) {
            TIMER.schedule(() -> retry(channel), maxBackoffMs, TimeUnit.MILLISECONDS);
        }
        // One callback per state change: a reset moves the channel to CONNECTING, and a failed attempt
        // back to TRANSIENT_FAILURE, which schedules the next reset.
        channel.notifyWhenStateChanged(state, () -> watch(channel, maxBackoffMs));
    }

    private static void retry(ManagedChannel channel) {
        if (!channel.isShutdown() && channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE) {
            channel.resetConnectBackoff();
        }
    }
}
