package io.granary.chunkserver.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import org.junit.jupiter.api.Test;

class MasterFenceTest {
    private final MasterFence fence = new MasterFence("cs1");

    @Test
    void ordersOfAMasterSupersededByOneHeardFromAreRefused() {
        fence.admit(3);
        fence.admit(4);

        assertThatThrownBy(() -> fence.admit(3)).isInstanceOfSatisfying(GranaryException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.FAILED_PRECONDITION));
        assertThat(fence.highest()).isEqualTo(4);
    }

    @Test
    void theCurrentMasterKeepsBeingAdmitted() {
        fence.admit(5);
        fence.admit(5);

        assertThat(fence.highest()).isEqualTo(5);
    }

    @Test
    void callersWithoutALeaseAreNotFenced() {
        fence.admit(9);
        fence.admit(0);

        assertThat(fence.highest()).isEqualTo(9);
    }
}
