package io.granary.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The progress line: silent for short transfers, then bytes, percent and rate, on one line. */
class ProgressTest {
    static final long SECOND = 1_000_000_000L;

    final StringWriter err = new StringWriter();
    final AtomicLong now = new AtomicLong();

    @Test
    void aTransferShorterThanASecondPrintsNothing() throws IOException {
        Progress progress = new Progress(new PrintWriter(err), "put x", 4096, true, now::get);

        try (InputStream in = progress.counting(new ByteArrayInputStream(new byte[4096]))) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        progress.finish();

        assertThat(err.toString()).isEmpty();
    }

    @Test
    void aLongTransferShowsBytesPercentAndRateOnOneLineThenEndsIt() {
        Progress progress = new Progress(new PrintWriter(err), "get x", 4 * 1024 * 1024, true, now::get);

        now.set(2 * SECOND);
        progress.advance(2 * 1024 * 1024);
        progress.finish();

        assertThat(err.toString()).startsWith("\rget x  2.0 MiB / 4.0 MiB   50%  1.0 MiB/s").endsWith("\n")
                .doesNotContain("\n\r");
    }

    @Test
    void disabledMeansSilentWhateverTheDuration() {
        Progress progress = new Progress(new PrintWriter(err), "get x", -1, false, now::get);

        now.set(10 * SECOND);
        progress.advance(1);
        progress.finish();

        assertThat(err.toString()).isEmpty();
    }

    @Test
    void sizesAreHumanReadable() {
        assertThat(Progress.human(999)).isEqualTo("999 B");
        assertThat(Progress.human(1536)).isEqualTo("1.5 KiB");
        assertThat(Progress.human(3L * 1024 * 1024 * 1024)).isEqualTo("3.0 GiB");
    }
}
