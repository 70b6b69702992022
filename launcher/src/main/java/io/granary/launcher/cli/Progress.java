package io.granary.launcher.cli;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A one-line progress report on stderr for long transfers: bytes so far, of the total when known,
 * and the rate. It appears only after the first second (short transfers print nothing), at most
 * five times a second, and only when {@link #enabled} (an interactive terminal, not --quiet).
 * Not thread-safe: one transfer, one thread.
 */
final class Progress {
    private static final long FIRST_AFTER_NANOS = 1_000_000_000L;
    private static final long EVERY_NANOS = 200_000_000L;

    private final PrintWriter err;
    private final String label;
    private final long total;
    private final boolean enabled;
    private final LongSupplier clock;
    private final long started;
    private long done;
    private long lastPrinted;
    private boolean printed;

    Progress(PrintWriter err, String label, long total, boolean enabled) {
        this(err, label, total, enabled, System::nanoTime);
    }

    /** With a clock in nanoseconds, for tests. */
    Progress(PrintWriter err, String label, long total, boolean enabled, LongSupplier clock) {
        this.err = err;
        this.label = label;
        this.total = total;
        this.enabled = enabled;
        this.clock = clock;
        this.started = clock.getAsLong();
        this.lastPrinted = started; // nanoTime may be negative: never compare with 0
    }

    /** Whether stderr is taken to be a terminal; Java 17 cannot ask about stderr alone. */
    static boolean interactive() {
        return System.console() != null;
    }

    /** {@code in}, counting what is read through it. */
    InputStream counting(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    advance(1);
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    advance(n);
                }
                return n;
            }
        };
    }

    void advance(long bytes) {
        done += bytes;
        long now = clock.getAsLong();
        if (enabled && now - started >= FIRST_AFTER_NANOS && now - lastPrinted >= EVERY_NANOS) {
            lastPrinted = now;
            printed = true;
            err.print("\r" + line(now));
            err.flush();
        }
    }

    /** Ends the line, if one was started. */
    void finish() {
        if (printed) {
            err.println("\r" + line(clock.getAsLong()));
            err.flush();
        }
    }

    private String line(long now) {
        double seconds = Math.max(1e-3, (now - started) / 1e9);
        String rate = human((long) (done / seconds)) + "/s";
        if (total > 0) {
            return String.format(Locale.ROOT, "%s  %s / %s  %3d%%  %s   ", label, human(done), human(total),
                    done * 100 / total, rate);
        }
        return String.format(Locale.ROOT, "%s  %s  %s   ", label, human(done), rate);
    }

    static String human(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
