package io.granary.common.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {

    @Test
    void matchesIpv4Blocks() {
        Cidr block = Cidr.parse("10.1.0.0/16");
        assertThat(block.contains(Cidr.address("10.1.0.1"))).isTrue();
        assertThat(block.contains(Cidr.address("10.1.255.255"))).isTrue();
        assertThat(block.contains(Cidr.address("10.2.0.1"))).isFalse();
        assertThat(block.toString()).isEqualTo("10.1.0.0/16");
    }

    @Test
    void clearsHostBitsAndAcceptsOddPrefixes() {
        Cidr block = Cidr.parse("192.168.7.200/21");
        assertThat(block.toString()).isEqualTo("192.168.0.0/21");
        assertThat(block.contains(Cidr.address("192.168.7.255"))).isTrue();
        assertThat(block.contains(Cidr.address("192.168.8.0"))).isFalse();
    }

    @Test
    void aBareAddressIsThatOneAddress() {
        Cidr one = Cidr.parse("127.0.0.2");
        assertThat(one.prefix()).isEqualTo(32);
        assertThat(one.contains(Cidr.address("127.0.0.2"))).isTrue();
        assertThat(one.contains(Cidr.address("127.0.0.1"))).isFalse();
    }

    @Test
    void matchesIpv6Blocks() {
        Cidr block = Cidr.parse("2001:db8::/32");
        assertThat(block.contains(Cidr.address("2001:db8:ffff::1"))).isTrue();
        assertThat(block.contains(Cidr.address("2001:db9::1"))).isFalse();
        assertThat(Cidr.parse("::1").contains(Cidr.address("0:0:0:0:0:0:0:1"))).isTrue();
        assertThat(Cidr.parse("[::1]").contains(Cidr.address("::1"))).isTrue();
    }

    @Test
    void neverMixesFamilies() {
        assertThat(Cidr.parse("0.0.0.0/0").contains(Cidr.address("::1"))).isFalse();
        assertThat(Cidr.parse("::/0").contains(Cidr.address("127.0.0.1"))).isFalse();
        assertThat(Cidr.parse("0.0.0.0/0").contains(Cidr.address("8.8.8.8"))).isTrue();
        // Java reads IPv4-mapped IPv6 literals as IPv4 addresses
        assertThat(Cidr.parse("10.0.0.0/8").contains(Cidr.address("::ffff:10.0.0.1"))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "localhost", "example.com", "10.0.0.256", "10.0.0", "10.0.0.0/33", "::/129",
        "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/abc", "1.2.3.4.5", "gggg::1"})
    void rejectsWhatIsNotABlock(String text) {
        assertThatThrownBy(() -> Cidr.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "unknown"})
    void anythingButALiteralIsRefusedAsAnAddressRatherThanLookedUp(String text) {
        assertThatThrownBy(() -> Cidr.address(text)).isInstanceOf(IllegalArgumentException.class);
    }
}
