package io.granary.client;

import static org.assertj.core.api.Assertions.assertThat;
import io.granary.common.meta.Replica;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReadSessionTest {
    private static final Replica A = new Replica("cs-a", "a:1");
    private static final Replica B = new Replica("cs-b", "b:1");
    private static final Replica C = new Replica("cs-c", "c:1");

    private final ReadSession session = new ReadSession();

    @Test
    void aFreshSessionKeepsTheMastersOrder() {
        assertThat(session.order(List.of(B, A, C))).containsExactly(B, A, C);
    }

    @Test
    void healthyReplicasComeBeforeSlowOnesAndSlowOnesBeforeFailedOnes() {
        session.failed("cs-a");
        session.slow("cs-b");

        assertThat(session.order(List.of(A, B, C))).containsExactly(C, B, A);
    }

    @Test
    void aReplicaStaysRememberedForEveryLaterChunkOfTheTransfer() {
        session.slow("cs-a");

        assertThat(session.order(List.of(A, B))).containsExactly(B, A);
        assertThat(session.order(List.of(A, C))).containsExactly(C, A);
        assertThat(session.order(List.of(C, A, B))).containsExactly(C, B, A);
    }

    @Test
    void aFailedReplicaIsNotUpgradedToSlowByALaterStall() {
        session.failed("cs-a");
        session.slow("cs-a");
        session.slow("cs-b");

        assertThat(session.health("cs-a")).isEqualTo(ReadSession.Health.FAILED);
        assertThat(session.order(List.of(A, B))).containsExactly(B, A);
    }

    @Test
    void replicasOfEqualHealthKeepTheirGivenOrder() {
        session.slow("cs-a");
        session.slow("cs-c");

        assertThat(session.order(List.of(C, B, A))).containsExactly(B, C, A);
    }
}
