package io.ftpbridge.remotes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ftpbridge.testsupport.FtpPeers;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.net.ssl.SSLException;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPSClient;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * FTPS on the client side against vsftpd with TLS required for logins and data: explicit (AUTH TLS)
 * and implicit, in passive and active modes. vsftpd refuses unprotected data connections, so a
 * successful round trip shows PROT P is in force; an untrusted certificate is refused.
 */
class RemoteTlsTest {

    @ParameterizedTest(name = "{0} TLS, {1}")
    @CsvSource({"EXPLICIT, EPSV", "EXPLICIT, PASV", "EXPLICIT, PORT", "IMPLICIT, EPSV", "IMPLICIT, EPRT"})
    void uploadListAndDownloadOverProtectedControlAndDataChannels(RemoteTls tls, DataMode mode) throws Exception {
        try (FtpPeers.Peer peer = FtpPeers.vsftpd(FtpPeers.options().tls(FtpPeers.Tls.valueOf(tls.name())))) {
            RemoteConnector connector = new RemoteConnector(properties(peer));
            List<String> transcript = new ArrayList<>();
            byte[] payload = new byte[300_000];
            new Random(3).nextBytes(payload);

            FTPClient client = connector.connect(settings(peer, tls, mode), null, new ControlTranscript(transcript::add));
            try {
                assertThat(client).isInstanceOf(FTPSClient.class);
                assertThat(client.storeFile("/secret.bin", new ByteArrayInputStream(payload))).as(client.getReplyString()).isTrue();
                assertThat(client.listNames("/")).anyMatch(n -> n.endsWith("secret.bin"));
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                assertThat(client.retrieveFile("/secret.bin", out)).as(client.getReplyString()).isTrue();
                assertThat(out.toByteArray()).isEqualTo(payload);
            } finally {
                RemoteConnector.disconnectQuietly(client);
            }
            if (tls == RemoteTls.EXPLICIT) {
                assertThat(transcript).contains("> AUTH TLS");
            }
            assertThat(transcript).contains("> PROT P", "> PASS ****").anyMatch(l -> l.startsWith("> " + mode.name()));
        }
    }

    @ParameterizedTest(name = "{0} TLS with an untrusted certificate")
    @CsvSource({"EXPLICIT", "IMPLICIT"})
    void untrustedCertificateIsRefused(RemoteTls tls) {
        try (FtpPeers.Peer peer = FtpPeers.vsftpd(FtpPeers.options().tls(FtpPeers.Tls.valueOf(tls.name())))) {
            RemoteConnector trustingOnlyCas = new RemoteConnector(new RemoteClientProperties(null, null, 262144,
                    Duration.ofSeconds(60), Duration.ofSeconds(30), null, null, null));
            assertThatThrownBy(() -> trustingOnlyCas.connect(settings(peer, tls, DataMode.EPSV), null, null))
                    .isInstanceOf(IOException.class)
                    .satisfies(e -> assertThat(e instanceof SSLException || e.getCause() instanceof SSLException)
                            .as(e.toString()).isTrue());
        }
    }

    private static RemoteClientProperties properties(FtpPeers.Peer peer) {
        return new RemoteClientProperties(null, null, 262144, Duration.ofSeconds(60), Duration.ofSeconds(30),
                peer.trustStore(), FtpPeers.TRUST_STORE_PASSWORD,
                List.of("TLSv1.2"));
    }

    private static RemoteSettings settings(FtpPeers.Peer peer, RemoteTls tls, DataMode mode) {
        return new RemoteSettings("tls-" + tls, peer.host(), peer.port(), peer.user(), peer.password(), mode, tls,
                TransferType.BINARY, 1, Duration.ofSeconds(5), Duration.ofSeconds(10));
    }
}
