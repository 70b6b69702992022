package io.granary.common;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ChunkSizesTest {

    @ParameterizedTest
    @ValueSource(longs = {64 * ByteSize.KIB, ByteSize.MIB, 64 * ByteSize.MIB, ByteSize.GIB})
    void acceptsWholeChecksumBlocksFrom64KiBTo1GiB(long bytes) {
        assertThatCode(() -> ChunkSizes.check(bytes)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0          | chunk size 0B is too small: at least 64KiB",
        "100        | chunk size 100B is too small: at least 64KiB",
        "2147483648 | chunk size 2GiB is too large: at most 1GiB",
        "100000     | chunk size 100000B is not a multiple of 64KiB"})
    void rejectsOthersSayingWhy(long bytes, String message) {
        assertThatThrownBy(() -> ChunkSizes.check(bytes)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }
}
