package io.ftpbridge.ftpserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PassivePortRangeTest {

    @Test
    void portsInsideTheKernelsEphemeralRangeAreCounted(@TempDir Path dir) throws Exception {
        Path range = Files.writeString(dir.resolve("ip_local_port_range"), "32768\t60999\n");
        assertThat(new PassivePortRange("30000-30099").inEphemeralRange(range)).isZero();
        assertThat(new PassivePortRange("32700-32799").inEphemeralRange(range)).isEqualTo(32);
        assertThat(new PassivePortRange("36000-36009,20000").inEphemeralRange(range)).isEqualTo(10);
        assertThat(new PassivePortRange("36000-36009").inEphemeralRange(dir.resolve("missing"))).isZero();
    }

    @Test
    void aPortHeldAsTheSourceOfAnOutgoingConnectionIsSkipped() throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (ServerSocket peer = new ServerSocket(0, 1, loopback); Socket outgoing = new Socket(loopback, peer.getLocalPort())) {
            int held = outgoing.getLocalPort();
            int free;
            try (ServerSocket probe = new ServerSocket(0, 1, loopback)) {
                free = probe.getLocalPort();
            }
            try (ServerSocket passive = new PassivePortRange(held + "," + free).bind(loopback);
                 ServerSocket again = new PassivePortRange(held + "," + free).bind(loopback)) {
                assertThat(passive.getLocalPort()).isEqualTo(free);
                assertThat(again).as("every port of the range is taken").isNull();
            }
        }
    }
}
