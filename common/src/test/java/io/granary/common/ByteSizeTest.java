package io.granary.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ByteSizeTest {

    @Test
    void parsesBinaryUnits() {
        assertThat(ByteSize.parse("64MiB")).isEqualTo(64L << 20);
        assertThat(ByteSize.parse("256KiB")).isEqualTo(256L << 10);
        assertThat(ByteSize.parse("1gib")).isEqualTo(1L << 30);
        assertThat(ByteSize.parse("4096")).isEqualTo(4096);
        assertThat(ByteSize.parse("2M")).isEqualTo(2L << 20);
    }

    @Test
    void rejectsNonsenseWithTheTextInTheMessage() {
        assertThatThrownBy(() -> ByteSize.parse("lots")).hasMessageContaining("'lots' is not a size");
        assertThatThrownBy(() -> ByteSize.parse("-5MiB")).hasMessageContaining("is not a size");
        assertThatThrownBy(() -> ByteSize.parse("99999999999TiB")).hasMessageContaining("too large");
    }

    @Test
    void formatsWithTheLargestExactUnit() {
        assertThat(ByteSize.format(64L << 20)).isEqualTo("64MiB");
        assertThat(ByteSize.format(1536)).isEqualTo("1536B");
        assertThat(ByteSize.format(3 * 1024)).isEqualTo("3KiB");
    }
}
