package io.granary.chunkserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The advertised host is one the master can reach: never 127.0.0.1 unless the master is on loopback. */
class AdvertiseAddressTest {

    @Test
    void aMasterOnLoopbackIsReachedFromLoopback() {
        assertThat(AdvertiseAddress.hostFacing("127.0.0.1:7070")).isEqualTo("127.0.0.1");
    }

    @Test
    void aMasterElsewhereIsReachedFromAnAddressOfThisMachineThatIsNotLoopback() throws Exception {
        // 192.0.2.1 (TEST-NET-1) needs no answer: only the route to it is looked at.
        var route = AdvertiseAddress.routeTo("192.0.2.1:7070");

        route.ifPresent(address -> assertThat(address.isLoopbackAddress()).isFalse());
    }

    @Test
    void anUnresolvableMasterStillGivesAnAddress() {
        assertThat(AdvertiseAddress.hostFacing("no-such-host.invalid:7070")).isNotBlank();
    }

    @Test
    void aSiteLocalIpv4AddressIsPreferredOverLoopbackLinkLocalAndPublicOnes() throws Exception {
        List<InetAddress> candidates = List.of(InetAddress.getByName("127.0.1.1"), InetAddress.getByName("fe80::1"),
                InetAddress.getByName("203.0.113.9"), InetAddress.getByName("172.18.0.5"));

        assertThat(AdvertiseAddress.firstUsable(candidates)).contains(InetAddress.getByName("172.18.0.5"));
        assertThat(AdvertiseAddress.firstUsable(candidates.subList(0, 3)))
                .contains(InetAddress.getByName("203.0.113.9"));
        assertThat(AdvertiseAddress.firstUsable(candidates.subList(0, 2))).isEmpty();
    }

    @Test
    void ipv6AddressesAreBracketedWithoutTheirScope() throws Exception {
        assertThat(AdvertiseAddress.format(InetAddress.getByName("fd00::5"))).isEqualTo("[fd00:0:0:0:0:0:0:5]");
    }
}
