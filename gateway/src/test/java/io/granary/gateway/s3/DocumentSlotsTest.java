package io.granary.gateway.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.granary.gateway.s3.protocol.S3ErrorCode;
import io.granary.gateway.s3.protocol.S3Exception;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DocumentSlotsTest {
    @Test
    void oneDocumentMoreThanTheSlotsIsToldToSlowDownAndASlotComesBackHoweverWorkEnds() throws Exception {
        DocumentSlots slots = new DocumentSlots(1, Duration.ZERO);
        AtomicInteger ran = new AtomicInteger();
        slots.hold(() -> assertThatThrownBy(() -> slots.hold(ran::incrementAndGet))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.code()).isEqualTo(S3ErrorCode.SLOW_DOWN)));
        assertThat(ran).hasValue(0);

        assertThatThrownBy(() -> slots.hold(() -> {
            throw new IllegalStateException("the work failed");
        })).isInstanceOf(IllegalStateException.class);
        slots.hold(ran::incrementAndGet);
        assertThat(ran).hasValue(1);
    }
}
