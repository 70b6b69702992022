package io.granary.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class S3TargetTest {

    @Test
    void aBenchmarkPathIsAnObjectOfTheBucketNamedByItsFirstSegment() {
        assertThat(S3Target.bucket("/bench/1GiB/S3-0")).isEqualTo("bench");
        assertThat(S3Target.key("/bench/1GiB/S3-0")).isEqualTo("1GiB/S3-0");
    }

    @Test
    void aPathWithoutAKeyIsRefused() {
        assertThatThrownBy(() -> S3Target.key("/bench/")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("/bucket/key");
        assertThatThrownBy(() -> S3Target.bucket("bench")).isInstanceOf(IllegalArgumentException.class);
    }
}
