package io.granary.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientIpTest {
    private final ClientIp behindProxy = new ClientIp(ClientIp.parseList("10.0.0.0/8, 127.0.0.1"));

    @Test
    void withoutTrustedProxiesThePeerIsTheClientWhateverTheHeaderSays() {
        assertThat(new ClientIp(List.of()).decide("127.0.0.2", headers("1.2.3.4")).getHostAddress()).isEqualTo("127.0.0.2");
    }

    @Test
    void anUntrustedPeerCannotSpoofTheHeader() {
        assertThat(behindProxy.decide("192.168.1.5", headers("10.0.0.1")).getHostAddress()).isEqualTo("192.168.1.5");
    }

    @Test
    void aTrustedProxyNamesTheRightMostUntrustedAddress() {
        // the client wrote "6.6.6.6" itself; the proxies appended 203.0.113.9 and 10.0.0.2
        assertThat(behindProxy.decide("127.0.0.1", headers("6.6.6.6, 203.0.113.9", "10.0.0.2")).getHostAddress())
                .isEqualTo("203.0.113.9");
    }

    @Test
    void garbageInTheChainStopsAtTheLastTrustedHop() {
        assertThat(behindProxy.decide("127.0.0.1", headers("203.0.113.9, evil.example, 10.0.0.2")).getHostAddress())
                .isEqualTo("10.0.0.2");
        assertThat(behindProxy.decide("127.0.0.1", headers("")).getHostAddress()).isEqualTo("127.0.0.1");
    }

    @Test
    void aChainOfOnlyTrustedHopsNamesTheLeftMost() {
        assertThat(behindProxy.decide("127.0.0.1", headers("10.0.0.3, 10.0.0.2")).getHostAddress()).isEqualTo("10.0.0.3");
        assertThat(behindProxy.decide("127.0.0.1", null).getHostAddress()).isEqualTo("127.0.0.1");
    }

    private static java.util.Enumeration<String> headers(String... values) {
        return Collections.enumeration(List.of(values));
    }
}
