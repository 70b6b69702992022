package io.granary.launcher.cli;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A one-line progress report on stderr for long transfers: bytes so far, of the total when known,
 * and the rate, drawn as {@link ProgressLine} decides. Not thread-safe: one transfer, one thread.
 */
final class Progress {
    private final ProgressLine display;
    private final String label;
    private final long total;
    private long done;

    Progress(PrintWriter err, String label, long total, boolean enabled) {
        this(err, label, total, enabled, System::nanoTime);
    }

    /** With a clock in nanoseconds, for tests. */
    Progress(PrintWriter err, String label, long total, boolean enabled, LongSupplier clock) {
        this.display = new ProgressLine(err, enabled, clock);
        this.label = label;
        this.total = total;
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
        display.offer(this::line);
    }

    /** Ends the line, if one was started. */
    void finish() {
        display.finish(this::line);
    }

    private String line(long now) {
        String rate = human((long) (done / display.seconds(now))) + "/s";
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
