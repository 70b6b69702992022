package io.granary.common.grpc;

import static io.granary.common.grpc.TestMasters.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MasterRetryTest {
    private static final boolean READ = true;
    private static final boolean WRITE = false;
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final TestMasters masters = new TestMasters(2);
    private final AtomicInteger attempts = new AtomicInteger();

    @AfterEach
    void stop() {
        masters.close();
    }

    @Test
    void aWriteRefusedByAStandbyIsSentAgainToTheActiveMaster() {
        masters.node(1).standbyOf(masters.node(2));
        try (MasterChannel channel = masters.channel()) {
            String answer = new MasterRetry(PATIENCE, 2).call(WRITE, () -> counted(channel));

            assertThat(answer).isEqualTo(masters.node(2).address);
            assertThat(masters.node(1).calls).hasValue(1);
            assertThat(masters.node(2).calls).hasValue(1);
        }
    }

    @Test
    void aWriteThatFailedWithAPlainUnavailableIsNotSentAgain() {
        masters.node(1).unavailableFor(-1);
        try (MasterChannel channel = masters.channel()) {
            MasterRetry retry = new MasterRetry(PATIENCE, 2);

            assertThatThrownBy(() -> retry.call(WRITE, () -> counted(channel)))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
            assertThat(masters.node(1).calls).hasValue(1);
            assertThat(masters.node(2).calls).hasValue(0);
            assertThat(channel.currentAddress()).as("the next call goes to the other master")
                    .isEqualTo(masters.node(2).address);
        }
    }

    @Test
    void aReadIsSentAgainThroughAWindowWhereNoMasterAnswers() {
        masters.node(1).kill();
        masters.node(2).unavailableFor(2);
        try (MasterChannel channel = masters.channel()) {
            String answer = new MasterRetry(PATIENCE, 2).call(READ, () -> counted(channel));

            assertThat(answer).isEqualTo(masters.node(2).address);
            assertThat(masters.node(2).calls).hasValue(3);
            assertThat(attempts.get()).as("the dead master is tried between").isEqualTo(6);
        }
    }

    @Test
    void withOneMasterAReadThatFailedWithAPlainUnavailableIsNotSentAgain() {
        masters.node(1).unavailableFor(1);
        MasterRetry retry = new MasterRetry(PATIENCE, 1);
        try (MasterChannel channel = oneMaster()) {
            assertThatThrownBy(() -> retry.call(READ, () -> counted(channel))).isInstanceOf(StatusRuntimeException.class);

            assertThat(attempts).hasValue(1);
        }
    }

    @Test
    void withOneMasterACallRefusedByAStandbyWaitsForItToBecomeActive() {
        masters.node(1).standbyFor(3);
        MasterRetry retry = new MasterRetry(PATIENCE, 1);
        try (MasterChannel channel = oneMaster()) {
            assertThat(retry.call(WRITE, () -> counted(channel))).isEqualTo(masters.node(1).address);

            assertThat(attempts).hasValue(4);
        }
    }

    @Test
    void thePatienceBoundsTheAttempts() {
        masters.node(1).standby();
        masters.node(2).standby();
        try (MasterChannel channel = masters.channel()) {
            MasterRetry retry = new MasterRetry(Duration.ofMillis(300), 2);

            assertThatThrownBy(() -> retry.call(READ, () -> counted(channel)))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(
                            StandbyRefusal.isRefusal(e.getStatus(), e.getTrailers())).isTrue());
            // pauses of at least 37, 75, 150 ms... fit fewer than 10 times into 300 ms
            assertThat(attempts.get()).isBetween(2, 10);
        }
    }

    @Test
    void noPatienceMeansOneAttempt() {
        masters.node(1).standby();
        try (MasterChannel channel = masters.channel()) {
            MasterRetry retry = new MasterRetry(Duration.ZERO, 2);

            assertThatThrownBy(() -> retry.call(WRITE, () -> counted(channel))).isInstanceOf(StatusRuntimeException.class);
            assertThat(attempts).hasValue(1);
        }
    }

    @Test
    void anIdempotentCallWhoseMasterLetItsDeadlinePassIsSentAgainButAWriteIsNot() {
        MasterRetry retry = new MasterRetry(PATIENCE, 2);

        assertThat(retry.call(READ, () -> {
            if (attempts.incrementAndGet() == 1) {
                throw Status.DEADLINE_EXCEEDED.asRuntimeException();
            }
            return "answered";
        })).isEqualTo("answered");
        assertThat(retry.mayRetry(false, Status.DEADLINE_EXCEEDED.asRuntimeException())).isFalse();
        assertThat(new MasterRetry(PATIENCE, 1).mayRetry(true, Status.DEADLINE_EXCEEDED.asRuntimeException()))
                .as("with one master there is nobody else to ask").isFalse();
    }

    @Test
    void failuresOtherThanUnavailableOrADeadlineAreNotSentAgain() {
        MasterRetry retry = new MasterRetry(PATIENCE, 2);

        assertThatThrownBy(() -> retry.call(READ, () -> {
            attempts.incrementAndGet();
            throw Status.NOT_FOUND.asRuntimeException();
        })).isInstanceOf(StatusRuntimeException.class);
        assertThat(attempts).hasValue(1);
    }

    @Test
    void anInterruptEndsTheLoopWithTheLastFailure() throws InterruptedException {
        masters.node(1).standby();
        masters.node(2).standby();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean interruptedAfter = new AtomicBoolean();
        try (MasterChannel channel = masters.channel()) {
            Thread caller = new Thread(() -> {
                try {
                    new MasterRetry(PATIENCE, 2).call(READ, () -> counted(channel));
                } catch (StatusRuntimeException e) {
                    thrown.set(e);
                }
                interruptedAfter.set(Thread.currentThread().isInterrupted());
            });
            caller.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> attempts.get() >= 2);
            caller.interrupt();
            caller.join(5_000);

            assertThat(thrown.get()).isInstanceOf(StatusRuntimeException.class);
            assertThat(interruptedAfter).isTrue();
        }
    }

    private String counted(MasterChannel channel) {
        attempts.incrementAndGet();
        return call(channel);
    }

    private MasterChannel oneMaster() {
        return MasterChannel.open(masters.node(1).address,
                address -> InProcessChannelBuilder.forName(address).directExecutor().build());
    }
}
