package io.ftpbridge.remotes;

import static org.assertj.core.api.Assertions.assertThat;

import io.ftpbridge.testsupport.FtpPeers;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** PORT and EPRT announce a local data port from {@code ftpbridge.remotes.active-ports}, over IPv4 and IPv6. */
class RemoteActivePortsTest {

    @ParameterizedTest(name = "{0} over {1}")
    @CsvSource({"PORT, false", "EPRT, false", "EPRT, true"})
    void activeDataConnectionsUseTheConfiguredPortRange(DataMode mode, boolean ipv6) throws Exception {
        try (FtpPeers.Peer peer = FtpPeers.vsftpd(FtpPeers.options().ipv6(ipv6))) {
            RemoteConnector connector = new RemoteConnector(new RemoteClientProperties("25080-25089", null, 262144,
                    Duration.ofSeconds(60), Duration.ofSeconds(30), null, null, null));
            List<String> transcript = new ArrayList<>();
            RemoteSettings settings = new RemoteSettings("active", peer.host(), peer.port(), peer.user(), peer.password(),
                    mode, RemoteTls.NONE, TransferType.BINARY, 1, Duration.ofSeconds(5), Duration.ofSeconds(10));
            FTPClient client = connector.connect(settings, null, new ControlTranscript(transcript::add));
            try {
                assertThat(client.storeFile("/a.txt", new ByteArrayInputStream("active".getBytes()))).isTrue();
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                assertThat(client.retrieveFile("/a.txt", out)).isTrue();
                assertThat(out.toString()).isEqualTo("active");
            } finally {
                RemoteConnector.disconnectQuietly(client);
            }
            List<Integer> ports = transcript.stream().filter(l -> l.startsWith("> " + mode.name() + " "))
                    .map(RemoteActivePortsTest::announcedPort).toList();
            assertThat(ports).hasSize(2).allSatisfy(p -> assertThat(p).isBetween(25080, 25089));
            if (ipv6) {
                assertThat(transcript).anyMatch(l -> l.startsWith("> EPRT |2|0:0:0:0:0:0:0:1|"));
            }
        }
    }

    /** {@code > PORT 127,0,0,1,97,232} or {@code > EPRT |1|127.0.0.1|25064|}. */
    private static int announcedPort(String line) {
        String argument = line.substring(line.indexOf(' ', 2) + 1).trim();
        if (line.startsWith("> PORT")) {
            String[] numbers = argument.split(",");
            return Integer.parseInt(numbers[4]) * 256 + Integer.parseInt(numbers[5]);
        }
        String[] fields = argument.split("\\|");
        return Integer.parseInt(fields[3]);
    }
}
