package io.ftpbridge.ftpserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.ftpbridge.testsupport.Api;
import io.ftpbridge.testsupport.CurlDataModes;
import io.ftpbridge.testsupport.ExternalCommand;
import io.ftpbridge.testsupport.FtpPorts;
import io.ftpbridge.testsupport.Haproxy;
import io.ftpbridge.testsupport.Instances;
import io.ftpbridge.testsupport.PostgresSupport;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPConnectionClosedException;
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
 * A real HAProxy in front of the FTP listener, as a deployment runs it: clients (curl, bound to
 * 127.0.0.3) reach HAProxy on 127.0.0.2, which connects from 127.0.0.4 with a PROXY header v1 or
 * v2, control and passive ports alike; active data connections go straight to the client.
 * ftpbridge requires the header from 127.0.0.4 and sees every client as 127.0.0.3.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(OutputCaptureExtension.class)
class ProxyProtocolTest {

    static final String PROXY = "127.0.0.2";
    static final String CLIENT = "127.0.0.3";
    static final String PROXY_SOURCE = "127.0.0.4";

    ConfigurableApplicationContext instance;
    Haproxy haproxy;
    int v1Port;
    int v2Port;
    int ftpPort;
    Api api;
    Path work;

    @BeforeAll
    void startInstanceBehindHaproxy() throws Exception {
        PostgresSupport.Database db = PostgresSupport.freshDatabase();
        work = Files.createTempDirectory("ftpbridge-proxy-");
        instance = Instances.start(db, work.resolve("data"), "--ftpbridge.ftp.bind-address=127.0.0.1",
                "--ftpbridge.ftp.passive-ports=26140-26149", "--ftpbridge.ftp.passive-external-address=" + PROXY,
                "--ftpbridge.ftp.proxy-protocol=required", "--ftpbridge.ftp.trusted-proxies=" + PROXY_SOURCE + "/32");
        api = Instances.api(instance);
        api.createFolderAndUser("proxied", "proxied", "proxied-password", "/", Api.ALL);
        ftpPort = Instances.ftpPort(instance);
        v1Port = FtpPorts.freePort(PROXY);
        v2Port = FtpPorts.freePort(PROXY);
        haproxy = Haproxy.start("""
                frontend ftp_v1
                    bind %1$s:%2$d
                    default_backend ftp_v1
                backend ftp_v1
                    server ftpbridge 127.0.0.1:%4$d send-proxy source %5$s
                frontend ftp_v2
                    bind %1$s:%3$d
                    default_backend ftp_v2
                backend ftp_v2
                    server ftpbridge 127.0.0.1:%4$d send-proxy-v2 source %5$s
                frontend ftp_passive
                    bind %1$s:26140-26149
                    default_backend ftp_passive
                backend ftp_passive
                    # no port: the one the client connected to
                    server ftpbridge 127.0.0.1 send-proxy-v2 source %5$s
                """.formatted(PROXY, v1Port, v2Port, ftpPort, PROXY_SOURCE), PROXY);
    }

    @AfterAll
    void stopAll() {
        if (haproxy != null) {
            haproxy.close();
        }
        instance.close();
    }

    @Test
    void curlThroughHaproxyWithV1AndV2InPasvEpsvPortAndEprt(CapturedOutput log) throws Exception {
        List<String> failures = new ArrayList<>();
        for (int port : new int[] {v1Port, v2Port}) {
            for (String mode : new String[] {"PASV", "EPSV", "PORT", "EPRT"}) {
                String name = "file-%d-%s.txt".formatted(port, mode);
                Path upload = work.resolve(name);
                Files.writeString(upload, "through haproxy " + port + " " + mode + "\n".repeat(1000));
                String url = "ftp://proxied:proxied-password@%s:%d/%s".formatted(PROXY, port, name);
                ExternalCommand.Result put = curl(mode, "-T", upload.toString(), url);
                Path download = work.resolve("back-" + name);
                ExternalCommand.Result get = curl(mode, "-o", download.toString(), url);
                if (!put.ok() || !get.ok() || !Files.exists(download)
                        || !Files.readString(download).equals(Files.readString(upload))) {
                    failures.add(mode + " via " + port + ": " + put.output() + get.output());
                }
            }
        }
        assertThat(failures).isEmpty();
        assertThat(log.getOut()).contains("FTP login: user=proxied address=" + CLIENT,
                "FTP upload: user=proxied address=" + CLIENT);
        assertThat(log.getOut()).doesNotContain("address=" + PROXY_SOURCE + " ", "FTP data connection refused");
    }

    @Test
    void theSessionsListAndTheIpListsSeeTheClientsRealAddress() throws Exception {
        FTPClient client = new FTPClient();
        client.connect(InetAddress.getByName(PROXY), v2Port, InetAddress.getByName(CLIENT), 0);
        try {
            assertThat(client.login("proxied", "proxied-password")).isTrue();
            JsonNode item = api.get("/api/v1/sessions").json().get("items").get(0);
            assertThat(item.get("remoteAddress").asString()).startsWith(CLIENT + ":");
            assertThat(client.sendCommand("PORT 127,0,0,4,200,10")).as("active mode to the proxy").isEqualTo(501);
            assertThat(client.sendCommand("EPRT |1|127.0.0.3|51210|")).as("active mode to the client").isEqualTo(200);
        } finally {
            client.disconnect();
        }
        long id = api.post("/api/v1/ip-lists", "{\"cidr\":\"" + CLIENT + "\",\"type\":\"DENY\",\"protocols\":[\"FTP\"]}")
                .json().get("id").asLong();
        try {
            Thread.sleep(1100);
            assertThat(greeting(v1Port)).isEqualTo(421);
        } finally {
            api.delete("/api/v1/ip-lists/" + id);
        }
    }

    @Test
    void aMalformedHeaderOrAConnectionFromAnUntrustedAddressIsClosedWithOneLogLine(CapturedOutput log) throws Exception {
        assertThat(rawExchange(PROXY_SOURCE, "PROXY TCP4 300.0.0.1 127.0.0.1 5000 2121\r\n")).isEmpty();
        assertThat(rawExchange(PROXY_SOURCE, "USER proxied\r\n")).isEmpty();
        assertThat(rawExchange("127.0.0.5", "PROXY TCP4 192.0.2.1 127.0.0.1 5000 2121\r\n")).isEmpty();
        Thread.sleep(300);
        assertThat(count(log.getOut(), "reason=malformed PROXY header")).isEqualTo(2);
        assertThat(count(log.getOut(), "address=127.0.0.5 reason=not a trusted proxy")).isEqualTo(1);
        assertThat(log.getOut()).doesNotContain("192.0.2.1");
    }

    /** Connects from {@code source} straight to the listener, sends {@code bytes}, returns all it answers until closed. */
    private String rawExchange(String source, String bytes) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(source, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", ftpPort), 2000);
            socket.setSoTimeout(5000);
            try {
                socket.getOutputStream().write(bytes.getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
            } catch (IOException closedAlready) {
                return "";
            }
            InputStream in = socket.getInputStream();
            try {
                return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            } catch (IOException reset) {
                return "";
            }
        }
    }

    private int greeting(int port) throws IOException {
        FTPClient client = new FTPClient();
        try {
            client.connect(InetAddress.getByName(PROXY), port, InetAddress.getByName(CLIENT), 0);
            return client.getReplyCode();
        } catch (FTPConnectionClosedException e) {
            return client.getReplyCode();
        } finally {
            if (client.isConnected()) {
                client.disconnect();
            }
        }
    }

    private static ExternalCommand.Result curl(String mode, String... args) {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "30", "--interface", CLIENT));
        command.addAll(CurlDataModes.options(mode, CLIENT));
        command.addAll(List.of(args));
        return ExternalCommand.run(command);
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
