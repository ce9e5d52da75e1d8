package io.ftpbridge.ftpserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ftpbridge.testsupport.Api;
import io.ftpbridge.testsupport.Instances;
import io.ftpbridge.testsupport.PostgresSupport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * {@code proxy-protocol=optional}: direct clients are served as they are, a trusted proxy's v1 or v2
 * header names the client, and a header from an address that is not trusted closes the connection.
 * Headers written by hand, byte for byte, as the PROXY protocol specification gives them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(OutputCaptureExtension.class)
class ProxyProtocolOptionalTest {

    ConfigurableApplicationContext instance;
    int port;
    Api api;

    @BeforeAll
    void start() throws Exception {
        instance = Instances.start(PostgresSupport.freshDatabase(), Files.createTempDirectory("ftpbridge-proxy-opt-"),
                "--ftpbridge.ftp.passive-ports=26170-26179", "--ftpbridge.ftp.proxy-protocol=optional",
                "--ftpbridge.ftp.trusted-proxies=127.0.0.4/32,2001:db8::/32");
        port = Instances.ftpPort(instance);
        api = Instances.api(instance);
        // the first REST request (servlet start, password check, the tests' OpenAPI validator) took more than the
        // awaits' 3 s on a loaded machine when this class ran first in its JVM: made here, outside them
        assertThat(api.get("/api/v1/sessions").status()).isEqualTo(200);
    }

    @AfterAll
    void stop() {
        instance.close();
    }

    @Test
    void aDirectClientIsServedAndAProxiedOneIsKnownByTheAddressInItsHeader() throws Exception {
        try (Socket direct = connect("127.0.0.6")) {
            assertThat(line(direct)).startsWith("220");
        }
        try (Socket v1 = connect("127.0.0.4")) {
            v1.getOutputStream().write("PROXY TCP4 198.51.100.20 127.0.0.1 40000 2121\r\nUSER someone\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(line(v1)).startsWith("220");
            assertThat(line(v1)).as("the command sent with the header").startsWith("331");
            await().atMost(Duration.ofSeconds(3)).until(() -> listed("198.51.100.20:40000"));
        }
        try (Socket v2 = connect("127.0.0.4")) {
            ByteBuffer header = ByteBuffer.allocate(16 + 36);
            header.put(ProxyHeader.V2_SIGNATURE).put((byte) 0x21).put((byte) 0x21).putShort((short) 36);
            header.put(java.net.InetAddress.getByName("2001:db8::7").getAddress());
            header.put(java.net.InetAddress.getByName("2001:db8::1").getAddress());
            header.putShort((short) 50000).putShort((short) 2121);
            OutputStream out = v2.getOutputStream();
            out.write(header.array());
            out.flush();
            assertThat(line(v2)).startsWith("220");
            await().atMost(Duration.ofSeconds(3)).until(() -> listed("2001:db8:0:0:0:0:0:7:50000"));
        }
    }

    @Test
    void aHeaderFromAnAddressThatIsNotTrustedClosesTheConnection(CapturedOutput log) throws Exception {
        try (Socket spoof = connect("127.0.0.7")) {
            assertThat(line(spoof)).startsWith("220");
            spoof.getOutputStream().write("PROXY TCP4 192.0.2.99 127.0.0.1 1 2121\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(spoof.getInputStream().read()).isEqualTo(-1);
        }
        assertThat(log.getOut()).contains("address=127.0.0.7 reason=PROXY header from an address not in trusted-proxies");
        assertThat(log.getOut()).doesNotContain("192.0.2.99");
    }

    private boolean listed(String address) {
        for (JsonNode item : api.get("/api/v1/sessions").json().get("items")) {
            if (address.equals(item.get("remoteAddress").asString())) {
                return true;
            }
        }
        return false;
    }

    private Socket connect(String source) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(source, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        socket.setSoTimeout(5000);
        return socket;
    }

    private static String line(Socket socket) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = socket.getInputStream().read()) >= 0 && c != '\n') {
            line.append((char) c);
        }
        return line.toString();
    }
}
