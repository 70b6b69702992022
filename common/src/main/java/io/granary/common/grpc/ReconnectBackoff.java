package io.granary.common.grpc;

import io.granary.common.NamedThreadFactory;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Bounds the wait between a channel's attempts to reconnect. gRPC backs off exponentially between
 * attempts (1 s growing by 1.6 per failure, up to 2 minutes), and its channel builders have no public
 * setting for it, so a peer that was down for half a minute is reconnected to only ten or more seconds
 * after it returns, and calls meanwhile fail at once. While a watched channel is in TRANSIENT_FAILURE,
 * this calls {@link ManagedChannel#resetConnectBackoff()} every {@link #MAX_BACKOFF}, so it tries again
 * at least that often; a refused connection to a peer that is down costs next to nothing.
 *
 * <p>Driven by the channel's state-change callbacks and one shared daemon timer thread, which runs only
 * while a watched channel fails; the watch ends when the channel shuts down. Thread-safe.
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
        new Watch(channel, maxBackoff.toMillis()).stateChanged();
        return channel;
    }

    /**
     * One channel's watch. The channel's state is TRANSIENT_FAILURE from its first failed attempt until
     * it connects (later attempts do not show as CONNECTING), so a timer resets the backoff every
     * {@code maxBackoffMs} for as long as the state stays there, and a state change restarts it.
     */
    private static final class Watch {
        private final ManagedChannel channel;
        private final long maxBackoffMs;
        private final AtomicBoolean ticking = new AtomicBoolean();

        Watch(ManagedChannel channel, long maxBackoffMs) {
            this.channel = channel;
            this.maxBackoffMs = maxBackoffMs;
        }

        void stateChanged() {
            if (channel.isShutdown()) {
                return;
            }
            ConnectivityState state = channel.getState(false);
            if (state == ConnectivityState.TRANSIENT_FAILURE) {
                startTicking();
            }
            channel.notifyWhenStateChanged(state, this::stateChanged);
        }

        private void startTicking() {
            if (ticking.compareAndSet(false, true)) {
                TIMER.schedule(this::tick, maxBackoffMs, TimeUnit.MILLISECONDS);
            }
        }

        private void tick() {
            if (!channel.isShutdown() && failing()) {
                channel.resetConnectBackoff();
                TIMER.schedule(this::tick, maxBackoffMs, TimeUnit.MILLISECONDS);
                return;
            }
            ticking.set(false);
            // the state may have gone back to TRANSIENT_FAILURE after we looked, its callback finding us still ticking
            if (!channel.isShutdown() && failing()) {
                startTicking();
            }
        }

        private boolean failing() {
            return channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE;
        }
    }
}
