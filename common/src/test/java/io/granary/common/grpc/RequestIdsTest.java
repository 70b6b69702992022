package io.granary.common.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.MDC;

class RequestIdsTest {

    @ParameterizedTest
    @ValueSource(strings = {"abc", "req-1.2_3", "0123456789012345678901234567890123456789012345678901234567890123"})
    void saneIdsAreKept(String id) {
        assertThat(RequestIds.orNew(id)).isEqualTo(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "has space", "new\nline", "semi;colon", "é",
            "01234567890123456789012345678901234567890123456789012345678901234"})
    void anythingElseIsReplacedByANewId(String id) {
        String replaced = RequestIds.orNew(id);

        assertThat(replaced).isNotEqualTo(id).matches("[0-9a-f]{32}");
    }

    @Test
    void aMissingIdIsReplacedToo() {
        assertThat(RequestIds.orNew(null)).matches("[0-9a-f]{32}");
        assertThat(RequestIds.generate()).isNotEqualTo(RequestIds.generate());
    }

    @Test
    void anExecutorInMdcRunsEachTaskWithTheIdAndRestoresWhatWasThere() {
        MDC.put(RequestIds.MDC_KEY, "outer");
        String[] seen = new String[1];

        RequestIds.inMdc(Runnable::run, "inner").execute(() -> seen[0] = MDC.get(RequestIds.MDC_KEY));

        assertThat(seen[0]).isEqualTo("inner");
        assertThat(MDC.get(RequestIds.MDC_KEY)).isEqualTo("outer");
        MDC.remove(RequestIds.MDC_KEY);
    }
}
