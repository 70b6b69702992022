package io.granary.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FileMetadataTest {

    @Test
    void metadataWithinItsBoundsComesBackInNameOrder() {
        Map<String, String> checked = FileMetadata.check(Map.of("b", "2", "a", "grüße", "content-disposition",
                "attachment; filename=\"a b.txt\""));

        assertThat(checked.keySet()).containsExactly("a", "b", "content-disposition");
        assertThat(FileMetadata.check(null)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a:b", "tab\there", "naïve"})
    void aNameThatIsEmptyNotPrintableAsciiOrHoldsAColonIsInvalid(String name) {
        assertThatThrownBy(() -> FileMetadata.check(Map.of(name, "v")))
                .isInstanceOfSatisfying(GranaryException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT))
                .hasMessageStartingWith("metadata name");
    }

    @Test
    void aValueWithAControlCharacterIsInvalid() {
        assertThatThrownBy(() -> FileMetadata.check(Map.of("a", "line\nbreak")))
                .hasMessage("metadata value of 'a' holds a control character");
    }

    @Test
    void namesAndValuesTogetherHoldAtMost2KiBInUtf8() {
        Map<String, String> full = new HashMap<>();
        full.put("n", "x".repeat(FileMetadata.MAX_BYTES - 4));
        full.put("u", "ü");
        assertThat(FileMetadata.check(full)).hasSize(2);

        full.put("m", "");
        assertThatThrownBy(() -> FileMetadata.check(full)).hasMessage(
                "metadata has 2049 bytes of names and values: at most 2048 are allowed");
    }
}
