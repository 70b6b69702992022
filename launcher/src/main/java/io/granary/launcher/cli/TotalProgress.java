package io.granary.launcher.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The one-line progress of a recursive copy on stderr: files and bytes done of the total, the rate
 * and the time left, drawn as {@link ProgressLine} decides. Thread-safe: every transfer thread
 * reports into it.
 */
final class TotalProgress {
    private final ProgressLine display;
    private final String label;
    private long totalFiles;
    private long totalBytes;
    private long files;
    private long bytes;

    TotalProgress(PrintWriter err, String label, long totalFiles, long totalBytes, boolean enabled) {
        this(err, label, totalFiles, totalBytes, enabled, System::nanoTime);
    }

    /** With a clock in nanoseconds, for tests. */
    TotalProgress(PrintWriter err, String label, long totalFiles, long totalBytes, boolean enabled,
                  LongSupplier clock) {
        this.display = new ProgressLine(err, enabled, clock);
        this.label = label;
        this.totalFiles = totalFiles;
        this.totalBytes = totalBytes;
    }

    boolean enabled() {
        return display.enabled();
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
        display.finish(this::line);
    }

    synchronized String line(long now) {
        long rate = (long) (bytes / display.seconds(now));
        String files = totalFiles > 0 ? this.files + "/" + totalFiles : Long.toString(this.files);
        String eta = rate > 0 && totalBytes > bytes ? "  ETA " + clockTime((totalBytes - bytes) / rate) : "";
        String percent = totalBytes > 0 ? String.format(Locale.ROOT, "  %3d%%", Math.min(100, bytes * 100 / totalBytes))
                : "";
        return String.format(Locale.ROOT, "%s  %s files  %s / %s%s  %s/s%s   ", label, files, Progress.human(bytes),
                Progress.human(Math.max(totalBytes, bytes)), percent, Progress.human(rate), eta);
    }

    private void maybePrint() {
        display.offer(this::line);
    }

    private static String clockTime(long seconds) {
        return seconds >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
                : String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }
}
