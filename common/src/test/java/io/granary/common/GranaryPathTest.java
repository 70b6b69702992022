package io.granary.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GranaryPathTest {

    @Test
    void normalisesLeadingAndTrailingSlashes() {
        GranaryPath path = GranaryPath.of("/videos/cats/a.mp4/");
        assertThat(path.value()).isEqualTo("videos/cats/a.mp4");
        assertThat(path.segments()).containsExactly("videos", "cats", "a.mp4");
        assertThat(path.name()).isEqualTo("a.mp4");
        assertThat(path.parent()).isEqualTo(GranaryPath.of("videos/cats"));
        assertThat(GranaryPath.of("/").isRoot()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a//b", "a/../b", "..", "a/./b", "a/\u0000b", "a\nb", "tab\there", "del\u007f"})
    void rejectsMalformedPaths(String raw) {
        assertThatThrownBy(() -> GranaryPath.of(raw))
                .isInstanceOfSatisfying(GranaryException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT));
    }

    @Test
    void rejectsPathsLongerThan1024Bytes() {
        String ok = "é".repeat(512);             // 1024 bytes in UTF-8
        assertThat(GranaryPath.of(ok).value()).isEqualTo(ok);
        assertThatThrownBy(() -> GranaryPath.of(ok + "x"))
                .hasMessageContaining("longer than 1024 bytes");
    }

    @Test
    void acceptsUnicodeNames() {
        assertThat(GranaryPath.of("фото/猫 1.jpg").segments()).containsExactly("фото", "猫 1.jpg");
    }
}
