package io.granary.gateway.s3.sigv4;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SignedRequestTest {

    @Test
    void headersAreFoundInAnyCaseAndValuesOfOneNameSentInTwoCasesMerge() {
        Map<String, List<String>> received = new LinkedHashMap<>();
        received.put("X-Amz-Meta-List", List.of("one"));
        received.put("x-amz-meta-list", List.of("two", "three"));
        received.put("Host", List.of("localhost:9000"));

        SignedRequest request = new SignedRequest("PUT", "/bucket/a%20b", null, received);

        assertThat(request.headers()).containsOnlyKeys("x-amz-meta-list", "host");
        assertThat(request.headerValues("X-AMZ-META-LIST")).containsExactly("one", "two", "three");
        assertThat(request.header("HOST")).contains("localhost:9000");
        assertThat(request.header("authorization")).isEmpty();
        assertThat(request.rawPath()).isEqualTo("/bucket/a%20b");
    }
}
