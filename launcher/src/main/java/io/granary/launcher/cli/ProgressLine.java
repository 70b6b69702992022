package io.granary.launcher.cli;

import java.io.PrintWriter;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;

/**
 * When a progress line on stderr is drawn, for {@link Progress} and {@link TotalProgress}: only when
 * enabled (an interactive terminal, not --no-progress), only after the first second (short transfers
 * print nothing), then at most five times a second, each drawing over the last. Not thread-safe: its
 * owner serializes the calls.
 */
final class ProgressLine {
    private static final long FIRST_AFTER_NANOS = 1_000_000_000L;
    private static final long EVERY_NANOS = 200_000_000L;

    private final PrintWriter err;
    private final boolean enabled;
    private final LongSupplier clock;
    private final long started;
    private long lastPrinted;
    private boolean printed;

    /** @param clock nanoseconds, {@link System#nanoTime} but in tests */
    ProgressLine(PrintWriter err, boolean enabled, LongSupplier clock) {
        this.err = err;
        this.enabled = enabled;
        this.clock = clock;
        this.started = clock.getAsLong();
        this.lastPrinted = started; // nanoTime may be negative: never compare with 0
    }

    boolean enabled() {
        return enabled;
    }

    /** Seconds since the transfer started, at {@code now}; never 0, so a rate can be divided by it. */
    double seconds(long now) {
        return Math.max(1e-3, (now - started) / 1e9);
    }

    /** Draws {@code line} (given the time in nanoseconds) when one is due. */
    void offer(LongFunction<String> line) {
        long now = clock.getAsLong();
        if (enabled && now - started >= FIRST_AFTER_NANOS && now - lastPrinted >= EVERY_NANOS) {
            lastPrinted = now;
            printed = true;
            err.print("\r" + line.apply(now));
            err.flush();
        }
    }

    /** Draws {@code line} a last time and ends it, if one was drawn. */
    void finish(LongFunction<String> line) {
        if (printed) {
            err.println("\r" + line.apply(clock.getAsLong()));
            err.flush();
        }
    }
}
