package io.granary.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which side of a copy is local and which is in Granary. */
class CopyEndsTest {
    @TempDir
    Path dir;

    @Test
    void aMarkedGranaryPathMakesTheOtherSideLocal() {
        assertThat(CopyEnds.of("gr:/videos", "/no/such/dir")).isEqualTo(new CopyEnds(false, "/videos", "/no/such/dir"));
        assertThat(CopyEnds.of("/no/such/dir", "gr:videos")).isEqualTo(new CopyEnds(true, "/no/such/dir", "videos"));
    }

    @Test
    void aDotPathIsLocalAndMakesTheOtherSideGranary() {
        assertThat(CopyEnds.of("./missing", "/videos").upload()).isTrue();
        assertThat(CopyEnds.of("/videos", "./here").upload()).isFalse();
        assertThat(CopyEnds.of("/videos", ".").upload()).isFalse();
    }

    @Test
    void unmarkedASourceThatExistsLocallyIsUploadedAndAnyOtherDownloaded() throws IOException {
        Path local = Files.createDirectories(dir.resolve("photos"));

        assertThat(CopyEnds.of(local.toString(), "/photos").upload()).isTrue();
        assertThat(CopyEnds.of(dir.resolve("absent").toString(), local.toString()).upload()).isFalse();
    }

    @Test
    void twoPathsOfTheSameKindAreAUsageError() {
        assertThatThrownBy(() -> CopyEnds.of("gr:/a", "gr:/b")).isInstanceOf(CliException.class)
                .extracting(e -> ((CliException) e).exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThatThrownBy(() -> CopyEnds.of("./a", "../b")).isInstanceOf(CliException.class);
    }
}
