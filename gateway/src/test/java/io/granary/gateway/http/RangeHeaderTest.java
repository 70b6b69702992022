package io.granary.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.granary.gateway.http.RangeHeader.Part;
import io.granary.gateway.http.RangeHeader.Unsatisfiable;
import io.granary.gateway.http.RangeHeader.Whole;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class RangeHeaderTest {
    private static final long SIZE = 1000;

    @ParameterizedTest(name = "{0} -> {1}-{2}")
    @CsvSource(delimiter = ';', value = {
            "bytes=0-0; 0; 0",
            "bytes=0-499; 0; 499",
            "bytes=500-; 500; 999",
            "bytes=-1; 999; 999",
            "bytes=-300; 700; 999",
            "bytes=-5000; 0; 999",
            "bytes=900-5000; 900; 999",
            "bytes=999-999; 999; 999",
            "BYTES=10-20; 10; 20",
            "bytes= 10-20 ; 10; 20",
            "bytes=10-20,; 10; 20"})
    void singleSatisfiableRangeSelectsThosePartsBytes(String header, long first, long last) {
        assertThat(RangeHeader.select(header, SIZE)).isEqualTo(new Part(first, last));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes=1000-", "bytes=1000-2000", "bytes=-0", "bytes=5000-,-0"})
    void rangesThatMissTheFileAreUnsatisfiable(String header) {
        assertThat(RangeHeader.select(header, SIZE)).isInstanceOf(Unsatisfiable.class);
        assertThat(Unsatisfiable.contentRange(SIZE)).isEqualTo("bytes */1000");
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "bytes", "bytes=", "items=0-10", "bytes=abc", "bytes=10-5", "bytes=1-2-3",
            "bytes=--5", "bytes=0 -5", "bytes=+1-2", "bytes=99999999999999999999-"})
    void absentOrMalformedHeaderIsIgnored(String header) {
        assertThat(RangeHeader.select(header, SIZE)).isInstanceOf(Whole.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes=0-10,20-30", "bytes=0-10, 5000-6000", "bytes=-5,0-1"})
    void severalRangesFallBackToTheWholeBody(String header) {
        assertThat(RangeHeader.select(header, SIZE)).isInstanceOf(Whole.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes=0-", "bytes=0-0", "bytes=-5", "bytes=0-1,-1"})
    void anyRangeOfAnEmptyFileIsUnsatisfiable(String header) {
        assertThat(RangeHeader.select(header, 0)).isInstanceOf(Unsatisfiable.class);
    }

    @Test
    void anEmptyFileWithoutARangeIsWhole() {
        assertThat(RangeHeader.select(null, 0)).isInstanceOf(Whole.class);
    }

    @ParameterizedTest
    @CsvSource({"0, 499, bytes 0-499/1000", "999, 999, bytes 999-999/1000"})
    void partDescribesItselfAsAContentRange(long first, long last, String contentRange) {
        assertThat(new Part(first, last).contentRange(SIZE)).isEqualTo(contentRange);
        assertThat(new Part(first, last).length()).isEqualTo(last - first + 1);
    }
}
