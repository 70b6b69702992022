package io.granary.chunkserver.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class StagingBuffersTest {

    @Test
    void aReturnedBufferServesTheNextWriterCleared() {
        StagingBuffers pool = new StagingBuffers(2);
        ByteBuffer first = pool.take();
        first.putInt(42);

        pool.give(first);
        ByteBuffer again = pool.take();

        assertThat(again).isSameAs(first);
        assertThat(again.position()).isZero();
        assertThat(again.capacity()).isEqualTo(ChecksumFile.BLOCK_SIZE);
        assertThat(again.isDirect()).isTrue();
    }

    @Test
    void keepsNoMoreIdleBuffersThanItsBound() {
        StagingBuffers pool = new StagingBuffers(1);
        ByteBuffer a = pool.take();
        ByteBuffer b = pool.take();

        pool.give(a);
        pool.give(b);

        assertThat(pool.take()).isSameAs(a);
        assertThat(pool.take()).isNotSameAs(b).isNotSameAs(a);
    }
}
