package io.granary.common.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.granary.common.OverloadedException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class GrpcErrorsTest {

    @Test
    void anOverloadedNodeAnswersResourceExhaustedWithARetryPushbackAndItsCallerSeesOverloaded() {
        StatusRuntimeException sent = GrpcErrors.toStatus(
                new OverloadedException("cs-1 is busy", Duration.ofMillis(1500)));

        assertThat(sent.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(sent.getTrailers().get(GrpcErrors.RETRY_PUSHBACK_MS)).isEqualTo("1500");
        GranaryException received = GrpcErrors.fromStatus(sent);
        assertThat(received).isInstanceOfSatisfying(OverloadedException.class, e -> {
            assertThat(e.retryAfter()).isEqualTo(Duration.ofMillis(1500));
            assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE);
            assertThat(e.getMessage()).isEqualTo("cs-1 is busy");
        });
    }

    @Test
    void aFullDiskStaysResourceExhaustedWithoutAPushback() {
        StatusRuntimeException sent = GrpcErrors.toStatus(
                new GranaryException(ErrorKind.RESOURCE_EXHAUSTED, "disk full"));

        assertThat(sent.getTrailers() == null ? null : sent.getTrailers().get(GrpcErrors.RETRY_PUSHBACK_MS)).isNull();
        GranaryException received = GrpcErrors.fromStatus(sent);
        assertThat(received).isNotInstanceOf(OverloadedException.class);
        assertThat(received.kind()).isEqualTo(ErrorKind.RESOURCE_EXHAUSTED);
    }

    @Test
    void anOutOfMemoryErrorIsAnsweredAsOverloadedAndAnyOtherErrorAsInternal() {
        StatusRuntimeException outOfMemory = GrpcErrors.toStatus(new OutOfMemoryError("Cannot reserve 2097152 bytes"));
        StatusRuntimeException other = GrpcErrors.toStatus(new StackOverflowError());

        assertThat(GrpcErrors.fromStatus(outOfMemory)).isInstanceOf(OverloadedException.class)
                .hasMessageContaining("out of memory");
        assertThat(other.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(other.getStatus().getDescription()).isEqualTo("internal error: StackOverflowError");
    }
}
