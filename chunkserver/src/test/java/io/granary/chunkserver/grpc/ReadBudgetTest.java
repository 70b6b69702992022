package io.granary.chunkserver.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReadBudgetTest {
    private final ReadBudget budget = new ReadBudget(100);
    private final AtomicInteger woken = new AtomicInteger();
    private final Runnable wake = woken::incrementAndGet;

    @Test
    void reservesWhileTheBytesFitAndRefusesBeyondTheLimit() {
        assertThat(budget.tryReserve(60, wake)).isTrue();
        assertThat(budget.tryReserve(40, wake)).isTrue();
        assertThat(budget.tryReserve(1, wake)).isFalse();
        assertThat(budget.usedBytes()).isEqualTo(100);
    }

    @Test
    void aRefusedCallIsWokenOnceWhenBytesComeBack() {
        budget.tryReserve(100, () -> { });
        assertThat(budget.tryReserve(10, wake)).isFalse();

        budget.release(50);
        budget.release(50);

        assertThat(woken.get()).isEqualTo(1);
        assertThat(budget.tryReserve(10, wake)).isTrue();
    }

    @Test
    void aMessageLargerThanTheBudgetGoesThroughAloneSoNoCallWaitsForever() {
        assertThat(budget.tryReserve(500, wake)).isTrue();
        assertThat(budget.tryReserve(1, wake)).isFalse();
    }

    @Test
    void messagesShrinkAsTheBudgetFillsSoStalledStreamsCannotTakeItAll() {
        ReadBudget node = new ReadBudget(ChunkServerGrpcService.DEFAULT_READ_BUDGET_BYTES);
        int wanted = 512 * 1024;
        int stalled = 0;
        int size;
        while (node.tryReserve(size = node.messageBytes(wanted), () -> { })) {
            assertThat(size).isBetween(ReadBudget.MIN_MESSAGE_BYTES, wanted);
            stalled++; // each stream holds its message and never drains
        }

        assertThat(node.messageBytes(wanted)).isEqualTo(ReadBudget.MIN_MESSAGE_BYTES);
        assertThat(stalled).isGreaterThanOrEqualTo(20); // 8 at a fixed 512 KiB, 16 at 256 KiB
        node.release(node.usedBytes());
        assertThat(node.messageBytes(wanted)).isEqualTo(wanted);
    }

    @Test
    void aForgottenCallIsNotWoken() {
        budget.tryReserve(100, () -> { });
        budget.tryReserve(10, wake);

        budget.forget(wake);
        budget.release(100);

        assertThat(woken.get()).isZero();
        assertThat(budget.usedBytes()).isZero();
    }
}
