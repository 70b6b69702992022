package io.granary.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void parsesMillisecondsSecondsMinutesHoursAndDays() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("3s")).isEqualTo(Duration.ofSeconds(3));
        assertThat(Durations.parse(" 2M ")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Durations.parse("24h")).isEqualTo(Duration.ofHours(24));
        assertThat(Durations.parse("7d")).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void rejectsNonsenseWithTheTextInTheMessage() {
        assertThatThrownBy(() -> Durations.parse("soon")).hasMessageContaining("'soon' is not a duration");
        assertThatThrownBy(() -> Durations.parse("30")).hasMessageContaining("'30' is not a duration");
        assertThatThrownBy(() -> Durations.parse("-3s")).hasMessageContaining("is not a duration");
        assertThatThrownBy(() -> Durations.parse("99999999999999999999h")).hasMessageContaining("too long");
    }
}
