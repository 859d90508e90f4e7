package io.bpfscope.probes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class IpAddressTextTest {
    private static String v6(String hex) {
        return IpAddressText.of(HexFormat.of().parseHex(hex));
    }

    @Test
    void ipv4IsDottedWithUnsignedBytes() {
        assertThat(IpAddressText.of(new byte[] {10, 0, 0, 7})).isEqualTo("10.0.0.7");
        assertThat(IpAddressText.of(new byte[] {(byte) 192, (byte) 168, (byte) 255, 1})).isEqualTo("192.168.255.1");
    }

    @Test
    void ipv6TextFollowsRfc5952() {
        assertThat(v6("00000000000000000000000000000001")).isEqualTo("::1");
        assertThat(v6("00000000000000000000000000000000")).isEqualTo("::");
        assertThat(v6("20010db8000000010000000000000000")).isEqualTo("2001:db8:0:1::");
        assertThat(v6("20010db8000100000001000000000001")).isEqualTo("2001:db8:1:0:1::1");
        assertThat(v6("20010db8000000000001000000000001")).isEqualTo("2001:db8::1:0:0:1");
        assertThat(v6("20010db8000000010001000100010001")).as("one zero group is not shortened").isEqualTo("2001:db8:0:1:1:1:1:1");
        assertThat(v6("fe80000000000000abcd000000000000")).as("equal runs: the first").isEqualTo("fe80::abcd:0:0:0");
        assertThat(v6("00010000000000020000000000000003")).as("the longest run").isEqualTo("1:0:0:2::3");
        assertThat(v6("00000000000000000000ffff7f000001")).isEqualTo("::ffff:127.0.0.1");
    }

    @Test
    void readsAnAddressInsideALargerArray() {
        byte[] record = HexFormat.of().parseHex("aaaa" + "20010db8000000000000000000000001" + "0a000007");
        assertThat(IpAddressText.of(record, 2, 16)).isEqualTo("2001:db8::1");
        assertThat(IpAddressText.of(record, 18, 4)).isEqualTo("10.0.0.7");
        assertThatThrownBy(() -> IpAddressText.of(record, 0, 6)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anInetAddressAndAnEndpoint() throws Exception {
        assertThat(IpAddressText.of(InetAddress.getByName("0:0:0:0:0:0:0:1"))).isEqualTo("::1");
        assertThat(IpAddressText.of(InetAddress.getByName("127.0.0.1"))).isEqualTo("127.0.0.1");
        assertThat(IpAddressText.withPort(InetAddress.getByName("::1").getAddress(), 53)).isEqualTo("[::1]:53");
        assertThat(IpAddressText.withPort(new byte[] {10, 0, 0, 7}, 443)).isEqualTo("10.0.0.7:443");
    }
}
