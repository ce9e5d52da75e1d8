package io.ftpbridge.remotes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ftpbridge.testsupport.Api;
import io.ftpbridge.testsupport.FtpBridgeTest;
import io.ftpbridge.testsupport.FtpPeers;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Remotes that fail: a refused login, a server that is down, one that hangs, one killed in the
 * middle of a transfer, an exhausted pool; and the pool still serves after 100 failed borrows.
 */
@FtpBridgeTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RemoteFaultsTest {

    @LocalServerPort
    int httpPort;

    Api api;
    FtpPeers.Peer throttled;
    byte[] payload = new byte[512 * 1024];
    HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void startPeer() {
        api = new Api(httpPort);
        throttled = FtpPeers.vsftpd(FtpPeers.options().maxBytesPerSecond(256 * 1024).passivePorts(25000, 25049));
        new Random(7).nextBytes(payload);
        throttled.put("big.bin", payload);
    }

    @AfterAll
    void stopPeer() {
        throttled.close();
    }

    @Test
    void refusedLoginIsA502ProblemAndTheTestEndpointSaysWhy() {
        createRemote("wrong-password", throttled.host(), throttled.port(), "not-the-password", 4, "PT5S", "PT10S");

        Api.Response listing = api.get("/api/v1/remotes/wrong-password/files/");
        assertThat(listing.status()).isEqualTo(502);
        assertThat(listing.header("Content-Type")).startsWith("application/problem+json");
        assertThat(listing.json().get("title").asString()).isEqualTo("Remote server refused");
        assertThat(listing.json().get("detail").asString()).contains("refused the login").contains("530");
        assertThat(listing.text()).doesNotContain("not-the-password");

        JsonNode test = api.post("/api/v1/remotes/wrong-password/test", null).json();
        assertThat(test.get("ok").asBoolean()).isFalse();
        assertThat(test.get("welcome").asString()).startsWith("220");
        assertThat(test.get("error").asString()).contains("530");
    }

    @Test
    void serverThatIsDownIsA502Unreachable() throws IOException {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        createRemote("down", "127.0.0.1", closedPort, "x", 4, "PT5S", "PT10S");
        Api.Response listing = api.get("/api/v1/remotes/down/files/");
        assertThat(listing.status()).isEqualTo(502);
        assertThat(listing.json().get("title").asString()).isEqualTo("Remote server unreachable");
        assertThat(listing.json().get("detail").asString()).contains("Connection refused");
        assertThat(api.post("/api/v1/remotes/down/test", null).json().get("ok").asBoolean()).isFalse();
    }

    @Test
    void serverThatNeverAnswersTimesOutWith504() throws Exception {
        List<Socket> held = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                while (!silent.isClosed()) {
                    try {
                        held.add(silent.accept());
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            createRemote("hangs", "127.0.0.1", silent.getLocalPort(), "x", 2, "PT2S", "PT1S");

            for (int i = 0; i < 3; i++) {
                long start = System.nanoTime();
                Api.Response listing = api.get("/api/v1/remotes/hangs/files/");
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertThat(listing.status()).as(listing.text()).isEqualTo(504);
                assertThat(listing.json().get("title").asString()).isEqualTo("Remote server timed out");
                assertThat(millis).isBetween(900L, 8000L);
            }
            JsonNode pool = api.get("/api/v1/remotes/hangs/pool").json();
            assertThat(pool.get("active").asInt()).isZero();
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    @Test
    void serverKilledMidDownloadBreaksTheResponseAndTheBrokenConnectionsAreDiscarded() throws Exception {
        createRemote("killed", throttled.host(), throttled.port(), throttled.password(), 2, "PT5S", "PT10S");
        HttpResponse<InputStream> download = http.send(
                api.builder("/api/v1/remotes/killed/files/big.bin?download=true").GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(download.statusCode()).isEqualTo(200);
        InputStream body = download.body();
        assertThat(body.readNBytes(64 * 1024)).hasSize(64 * 1024);
        // a second connection, idle in the pool when the server dies
        assertThat(api.get("/api/v1/remotes/killed/files/").status()).isEqualTo(200);

        throttled.stop();
        assertThatThrownBy(() -> {
            byte[] rest = body.readAllBytes();
            assertThat(64 * 1024 + rest.length).isLessThan(payload.length);
            throw new IOException("short body: " + rest.length);
        }).isInstanceOf(IOException.class);

        throttled.start();
        Api.Response again = api.get("/api/v1/remotes/killed/files/big.bin?download=true");
        assertThat(again.status()).as(again.text()).isEqualTo(200);
        assertThat(again.raw().body()).isEqualTo(payload);
        JsonNode pool = api.get("/api/v1/remotes/killed/pool").json();
        assertThat(pool.get("active").asInt()).isZero();
        assertThat(pool.get("destroyed").asLong()).as(pool.toString()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void exhaustedPoolAnswers503AfterTheBorrowTimeout() throws Exception {
        createRemote("one-connection", throttled.host(), throttled.port(), throttled.password(), 1, "PT1S", "PT10S");
        HttpResponse<InputStream> holding = http.send(
                api.builder("/api/v1/remotes/one-connection/files/big.bin?download=true").GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(holding.statusCode()).isEqualTo(200);

        long start = System.nanoTime();
        Api.Response busy = api.get("/api/v1/remotes/one-connection/files/");
        assertThat(busy.status()).as(busy.text()).isEqualTo(503);
        assertThat(busy.json().get("title").asString()).isEqualTo("Service unavailable");
        assertThat(busy.json().get("detail").asString()).contains("busy");
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(900L);

        try (InputStream body = holding.body()) {
            assertThat(body.readAllBytes()).isEqualTo(payload);
        }
        assertThat(api.get("/api/v1/remotes/one-connection/files/").status()).isEqualTo(200);
    }

    @Test
    void poolStillServesAfter100FailedBorrowsAnd100FailedCommands() {
        try (FtpPeers.Peer peer = FtpPeers.vsftpd(FtpPeers.options().passivePorts(25050, 25099))) {
            peer.put("small.txt", "still here".getBytes());
            createRemote("leak-check", peer.host(), peer.port(), peer.password(), 2, "PT2S", "PT10S");
            peer.stop();
            for (int i = 0; i < 100; i++) {
                assertThat(api.get("/api/v1/remotes/leak-check/files/").status()).isEqualTo(502);
            }
            peer.start();
            Api.Response served = api.get("/api/v1/remotes/leak-check/files/small.txt?download=true");
            assertThat(served.status()).as(served.text()).isEqualTo(200);
            assertThat(served.text()).isEqualTo("still here");

            for (int i = 0; i < 100; i++) {
                assertThat(api.get("/api/v1/remotes/leak-check/files/missing-" + i + "?download=true").status()).isEqualTo(404);
            }
            assertThat(api.get("/api/v1/remotes/leak-check/files/small.txt?download=true").text()).isEqualTo("still here");
            JsonNode pool = api.get("/api/v1/remotes/leak-check/pool").json();
            assertThat(pool.get("active").asInt()).isZero();
            assertThat(pool.get("idle").asInt()).isBetween(1, 2);
            assertThat(pool.get("borrowed").asLong()).as(pool.toString()).isGreaterThanOrEqualTo(102);
        }
    }

    @Test
    void changingARemoteRebuildsItsPoolWithTheNewSettings() {
        createRemote("rebuilt", throttled.host(), throttled.port(), "wrong-at-first", 2, "PT5S", "PT10S");
        assertThat(api.get("/api/v1/remotes/rebuilt/files/").status()).isEqualTo(502);

        assertThat(api.patch("/api/v1/remotes/rebuilt", "{\"password\":\"%s\"}".formatted(throttled.password())).status())
                .isEqualTo(200);
        assertThat(api.get("/api/v1/remotes/rebuilt/files/").status()).isEqualTo(200);
        assertThat(api.get("/api/v1/remotes/rebuilt/pool").json().get("idle").asInt()).isEqualTo(1);

        assertThat(api.patch("/api/v1/remotes/rebuilt", "{\"maxConnections\":3}").status()).isEqualTo(200);
        JsonNode fresh = api.get("/api/v1/remotes/rebuilt/pool").json();
        assertThat(fresh.get("maxConnections").asInt()).isEqualTo(3);
        assertThat(fresh.get("idle").asInt()).as("the old pool's connections were closed").isZero();

        assertThat(api.delete("/api/v1/remotes/rebuilt").status()).isEqualTo(204);
        assertThat(api.get("/api/v1/remotes/rebuilt/files/").status()).isEqualTo(404);
    }

    private void createRemote(String name, String host, int port, String password, int maxConnections,
                              String connectTimeout, String readTimeout) {
        Api.Response created = api.post("/api/v1/remotes", """
                {"name":"%s","host":"%s","port":%d,"username":"%s","password":"%s","dataMode":"EPSV",
                 "maxConnections":%d,"connectTimeout":"%s","readTimeout":"%s"}"""
                .formatted(name, host, port, FtpPeers.USER, password, maxConnections, connectTimeout, readTimeout));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
    }
}
