package io.granary.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The total progress of a recursive copy: files and bytes of the total, rate and time left. */
class TotalProgressTest {
    static final long SECOND = 1_000_000_000L;
    static final long MIB = 1024 * 1024;

    final StringWriter err = new StringWriter();
    final AtomicLong now = new AtomicLong();

    @Test
    void showsFilesAndBytesOfTheTotalTheRateAndTheTimeLeft() {
        TotalProgress progress = new TotalProgress(new PrintWriter(err), "cp", 10, 40 * MIB, true, now::get);

        now.set(2 * SECOND);
        progress.bytes(20 * MIB);
        progress.fileDone();
        progress.finish();

        assertThat(err.toString()).contains("cp  1/10 files  20.0 MiB / 40.0 MiB   50%  10.0 MiB/s  ETA 0:02")
                .endsWith(System.lineSeparator());
    }

    @Test
    void aSkippedFileCountsAsDoneAndLeavesTheByteTotal() {
        TotalProgress progress = new TotalProgress(new PrintWriter(err), "mirror", 2, 30 * MIB, true, now::get);

        progress.fileSkipped(10 * MIB);
        now.set(2 * SECOND);
        progress.bytes(20 * MIB);
        progress.finish();

        assertThat(err.toString()).contains("mirror  1/2 files  20.0 MiB / 20.0 MiB  100%");
    }

    @Test
    void disabledOrShorterThanASecondPrintsNothing() {
        TotalProgress quiet = new TotalProgress(new PrintWriter(err), "cp", 1, MIB, false, now::get);
        now.set(5 * SECOND);
        TotalProgress quick = new TotalProgress(new PrintWriter(err), "cp", 1, MIB, true, now::get);

        quiet.bytes(MIB);
        quiet.finish();
        now.set(5 * SECOND + SECOND / 2);
        quick.bytes(MIB);
        quick.finish();

        assertThat(err.toString()).isEmpty();
    }
}
