package io.granary.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MultipartTest {

    @Test
    void chunksOfDifferentPartsNeverShareAnIndexAndEveryIndexIsANonNegativeInt() {
        assertThat(Multipart.chunkIndex(1, 0)).isZero();
        assertThat(Multipart.chunkIndex(1, Multipart.MAX_CHUNKS_PER_PART - 1))
                .isLessThan(Multipart.chunkIndex(2, 0));
        assertThat(Multipart.chunkIndex(Multipart.MAX_PART_NUMBER, Multipart.MAX_CHUNKS_PER_PART - 1))
                .isPositive();
    }

    @Test
    void aPartNumberOutOfRangeOrAPartWithTooManyChunksIsInvalid() {
        assertThatThrownBy(() -> Multipart.chunkIndex(0, 0)).isInstanceOfSatisfying(GranaryException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT)).hasMessageContaining("part number 0");
        assertThatThrownBy(() -> Multipart.checkPartNumber(10_001)).hasMessageContaining("not between 1 and 10000");
        assertThatThrownBy(() -> Multipart.chunkIndex(3, Multipart.MAX_CHUNKS_PER_PART))
                .hasMessageContaining("upload it in smaller parts");
    }
}
