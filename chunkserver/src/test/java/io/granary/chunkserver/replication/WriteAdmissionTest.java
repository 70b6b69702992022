package io.granary.chunkserver.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.granary.common.ErrorKind;
import io.granary.common.OverloadedException;
import org.junit.jupiter.api.Test;

class WriteAdmissionTest {

    @Test
    void refusesAWriteBeyondTheConcurrentWriteLimitAndAdmitsItOnceOneEnds() {
        WriteAdmission admission = new WriteAdmission("cs-test", 2, 1000);
        WriteAdmission.Ticket first = admission.admit();
        admission.admit();

        assertThatThrownBy(admission::admit).isInstanceOf(OverloadedException.class)
                .hasMessageContaining("2 chunk writes in progress")
                .satisfies(e -> assertThat(((OverloadedException) e).kind()).isEqualTo(ErrorKind.UNAVAILABLE));
        first.close();
        assertThat(admission.admit()).isNotNull();
        assertThat(admission.refused()).isEqualTo(1);
        assertThat(admission.peakWrites()).isEqualTo(2);
    }

    @Test
    void refusesAPieceThatWouldTakeTheBufferedBytesPastTheLimit() {
        WriteAdmission admission = new WriteAdmission("cs-test", 10, 1000);
        WriteAdmission.Ticket a = admission.admit();
        WriteAdmission.Ticket b = admission.admit();
        a.hold(300, 2);

        assertThatThrownBy(() -> b.hold(500, 1)).isInstanceOf(OverloadedException.class)
                .hasMessageContaining("buffer");
        b.hold(400, 1);
        assertThat(admission.bufferedBytes()).isEqualTo(1000);
        assertThat(admission.peakBufferedBytes()).isEqualTo(1000);
    }

    @Test
    void aWriteReservesItsLargestPieceOnceSoSmallerPiecesCostNothingMore() {
        WriteAdmission admission = new WriteAdmission("cs-test", 10, 1000);
        WriteAdmission.Ticket ticket = admission.admit();

        ticket.hold(400, 2);
        ticket.hold(100, 2);
        ticket.hold(400, 2);

        assertThat(ticket.reservedBytes()).isEqualTo(800);
        assertThat(admission.bufferedBytes()).isEqualTo(800);
    }

    @Test
    void closingAWriteReturnsItsSlotAndBytesOnceHoweverOftenItIsClosed() {
        WriteAdmission admission = new WriteAdmission("cs-test", 1, 1000);
        WriteAdmission.Ticket ticket = admission.admit();
        ticket.hold(700, 1);

        ticket.close();
        ticket.close();

        assertThat(admission.activeWrites()).isZero();
        assertThat(admission.bufferedBytes()).isZero();
        WriteAdmission.Ticket next = admission.admit();
        next.hold(1000, 1);
        assertThat(admission.activeWrites()).isEqualTo(1);
    }

    @Test
    void aRefusedPieceLeavesTheWriteAdmittedUntilItIsClosed() {
        WriteAdmission admission = new WriteAdmission("cs-test", 1, 100);
        WriteAdmission.Ticket ticket = admission.admit();

        assertThatThrownBy(() -> ticket.hold(101, 1)).isInstanceOf(OverloadedException.class);
        assertThat(admission.activeWrites()).isEqualTo(1);
        ticket.close();
        assertThat(admission.activeWrites()).isZero();
        assertThat(admission.bufferedBytes()).isZero();
    }
}
