package io.granary.launcher.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The one-line progress of a recursive copy on stderr: files and bytes done of the total, the rate
 * and the time left. Like {@link Progress} it appears only after the first second, at most five
 * times a second, and only when enabled (an interactive terminal, not --no-progress). Thread-safe:
 * every transfer thread reports into it.
 */
final class TotalProgress {
    private static final long FIRST_AFTER_NANOS = 1_000_000_000L;
    private static final long EVERY_NANOS = 200_000_000L;

    private final PrintWriter err;
    private final String label;
    private final boolean enabled;
    private final LongSupplier clock;
    private final long started;
    private long totalFiles;
    private long totalBytes;
    private long files;
    private long bytes;
    private long lastPrinted;
    private boolean printed;

    TotalProgress(PrintWriter err, String label, long totalFiles, long totalBytes, boolean enabled) {
        this(err, label, totalFiles, totalBytes, enabled, System::nanoTime);
    }

    /** With a clock in nanoseconds, for tests. */
    TotalProgress(PrintWriter err, String label, long totalFiles, long totalBytes, boolean enabled,
                  LongSupplier clock) {
        this.err = err;
        this.label = label;
        this.totalFiles = totalFiles;
        this.totalBytes = totalBytes;
        this.enabled = enabled;
        this.clock = clock;
        this.started = clock.getAsLong();
        this.lastPrinted = started;
    }

    boolean enabled() {
        return enabled;
    }

    synchronized void bytes(long count) {
        bytes += count;
        maybePrint();
    }

    /** A file was transferred. */
    synchronized void fileDone() {
        files++;
        maybePrint();
    }

    /** A file of {@code size} bytes needs no transfer (or failed): done, its bytes off the total. */
    synchronized void fileSkipped(long size) {
        files++;
        totalBytes -= size;
        maybePrint();
    }

    /** Ends the line, if one was started. */
    synchronized void finish() {
        if (printed) {
            err.println("\r" + line(clock.getAsLong()));
            err.flush();
        }
    }

    synchronized String line(long now) {
        double seconds = Math.max(1e-3, (now - started) / 1e9);
        long rate = (long) (bytes / seconds);
        String files = totalFiles > 0 ? this.files + "/" + totalFiles : Long.toString(this.files);
        String eta = rate > 0 && totalBytes > bytes ? "  ETA " + clockTime((totalBytes - bytes) / rate) : "";
        String percent = totalBytes > 0 ? String.format(Locale.ROOT, "  %3d%%", Math.min(100, bytes * 100 / totalBytes))
                : "";
        return String.format(Locale.ROOT, "%s  %s files  %s / %s%s  %s/s%s   ", label, files, Progress.human(bytes),
                Progress.human(Math.max(totalBytes, bytes)), percent, Progress.human(rate), eta);
    }

    private void maybePrint() {
        long now = clock.getAsLong();
        if (enabled && now - started >= FIRST_AFTER_NANOS && now - lastPrinted >= EVERY_NANOS) {
            lastPrinted = now;
            printed = true;
            err.print("\r" + line(now));
            err.flush();
        }
    }

    private static String clockTime(long seconds) {
        return seconds >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
                : String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }
}
