package io.ftpbridge.remotes;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ftpbridge.ftpserver.FtpServerLifecycle;
import io.ftpbridge.testsupport.Api;
import io.ftpbridge.testsupport.FtpBridgeTest;
import io.ftpbridge.testsupport.FtpPeers;
import io.ftpbridge.testsupport.PureFtpdPeer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Browsing and file operations over REST against real servers on loopback — vsftpd (no MLSD: LIST
 * parsing) and our own embedded server (MLSD) — in each data mode, over IPv4 and IPv6.
 */
@FtpBridgeTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RemoteFileOperationsTest {

    private static final String USER = "remote-files-user";
    private static final String PASSWORD = "remote-files-password";

    @LocalServerPort
    int httpPort;

    @Autowired
    FtpServerLifecycle ftp;

    Api api;
    FtpPeers.Peer vsftpd;
    FtpPeers.Peer vsftpd6;
    PureFtpdPeer pureFtpd;
    ListAppender<ILoggingEvent> transcript = new ListAppender<>();
    Logger poolLog = (Logger) LoggerFactory.getLogger(RemoteClientPools.class);

    @BeforeAll
    void startServers() {
        api = new Api(httpPort);
        vsftpd = FtpPeers.vsftpd(FtpPeers.options());
        vsftpd6 = FtpPeers.vsftpd(FtpPeers.options().ipv6(true).passivePorts(25050, 25099));
        pureFtpd = PureFtpdPeer.start(25100, 25149);
        api.createFolderAndUser("remote-files", USER, PASSWORD, "/", Api.ALL);
        transcript.start();
        poolLog.addAppender(transcript);
        poolLog.setLevel(Level.DEBUG);
    }

    @AfterAll
    void stopServers() {
        poolLog.detachAppender(transcript);
        poolLog.setLevel(null);
        vsftpd.close();
        vsftpd6.close();
        pureFtpd.close();
    }

    @ParameterizedTest(name = "{0} in {1} over {2}")
    @CsvSource({
            "vsftpd, PASV, v4", "vsftpd, EPSV, v4", "vsftpd, PORT, v4", "vsftpd, EPRT, v4",
            "vsftpd, EPSV, v6", "vsftpd, EPRT, v6",
            "embedded, PASV, v4", "embedded, EPSV, v4", "embedded, PORT, v4", "embedded, EPRT, v4",
            "embedded, EPSV, v6", "embedded, EPRT, v6",
            "pureftpd, PASV, v4", "pureftpd, EPSV, v4", "pureftpd, PORT, v4", "pureftpd, EPRT, v4",
    })
    void browseUploadDownloadRenameAndDeleteInEachDataMode(String server, String mode, String ip) {
        String name = (server + "-" + mode + "-" + ip).toLowerCase();
        createRemote(name, server, ip, mode);
        String files = "/api/v1/remotes/" + name + "/files";
        String dir = "/" + name;
        byte[] payload = new byte[256 * 1024 + 13];
        new Random(mode.hashCode()).nextBytes(payload);

        assertThat(api.post(files + dir + "?op=mkdir", null).status()).isEqualTo(201);
        Api.Response uploaded = api.putBytes(files + dir + "/data.bin", payload);
        assertThat(uploaded.status()).as(uploaded.text()).isEqualTo(200);
        assertThat(uploaded.json().get("bytes").asLong()).isEqualTo(payload.length);
        for (String small : List.of("a.txt", "b.txt", "keep.csv")) {
            assertThat(api.putBytes(files + dir + "/" + small, small.getBytes()).status()).isEqualTo(200);
        }

        Api.Response listing = api.get(files + dir);
        assertThat(listing.status()).as(listing.text()).isEqualTo(200);
        JsonNode data = entry(listing.json(), "data.bin");
        assertThat(data.get("type").asString()).isEqualTo("FILE");
        assertThat(data.get("size").asLong()).isEqualTo(payload.length);
        assertThat(data.get("modified").isNull()).isFalse();
        assertThat(names(listing.json())).containsExactly("a.txt", "b.txt", "data.bin", "keep.csv");
        assertThat(entry(api.get(files + "/").json(), name).get("type").asString()).isEqualTo("DIRECTORY");

        Api.Response downloaded = api.get(files + dir + "/data.bin?download=true");
        assertThat(downloaded.status()).isEqualTo(200);
        assertThat(downloaded.raw().body()).isEqualTo(payload);

        assertThat(api.post(files + dir + "/a.txt?op=rename&to=" + dir + "/renamed.txt", null).status()).isEqualTo(204);
        Api.Response mdelete = api.delete(files + dir + "/*.txt?glob=true");
        assertThat(mdelete.status()).as(mdelete.text()).isEqualTo(200);
        assertThat(mdelete.json().get("deleted").toString()).contains("b.txt").contains("renamed.txt").doesNotContain("keep");
        assertThat(names(api.get(files + dir).json())).containsExactly("data.bin", "keep.csv");

        assertThat(api.delete(files + dir + "/data.bin").status()).isEqualTo(204);
        assertThat(api.delete(files + dir + "/keep.csv").status()).isEqualTo(204);
        assertThat(api.post(files + dir + "?op=rmdir", null).status()).isEqualTo(204);
        Api.Response gone = api.get(files + dir + "/data.bin?download=true");
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.header("Content-Type")).startsWith("application/problem+json");

        String command = "remote=" + name + " > " + mode;
        assertThat(transcriptLines()).as("the control connection used " + mode).anyMatch(l -> l.contains(command));
        assertThat(transcriptLines()).noneMatch(l -> l.contains(PASSWORD) || l.contains(FtpPeers.PASSWORD)
                || l.contains(PureFtpdPeer.PASSWORD));
        if (!server.equals("vsftpd")) {
            // ftpbridge's own server and pure-ftpd list MLST in FEAT, vsftpd does not
            assertThat(transcriptLines()).anyMatch(l -> l.contains("remote=" + name + " > MLSD"));
        } else {
            assertThat(transcriptLines()).anyMatch(l -> l.contains("remote=" + name + " > LIST"));
        }
    }

    @ParameterizedTest(name = "test endpoint against {0}")
    @CsvSource({"vsftpd", "embedded"})
    void testEndpointReportsWelcomeSystemFeaturesAndRoundTrip(String server) {
        String name = "probe-" + server;
        createRemote(name, server, "v4", "EPSV");
        Api.Response result = api.post("/api/v1/remotes/" + name + "/test", null);
        assertThat(result.status()).as(result.text()).isEqualTo(200);
        JsonNode json = result.json();
        assertThat(json.get("ok").asBoolean()).as(result.text()).isTrue();
        assertThat(json.get("welcome").asString()).startsWith("220");
        assertThat(json.get("system").asString()).contains("UNIX");
        assertThat(json.get("features").toString()).contains("EPSV").contains("PASV");
        assertThat(json.get("pwd").asString()).isEqualTo("/");
        assertThat(json.get("millis").asLong()).isBetween(0L, 5000L);
    }

    @ParameterizedTest(name = "TYPE {0}")
    @CsvSource({"ASCII, A", "BINARY, I"})
    void transferTypeDecidesWhetherLineEndingsAreTranslated(String type, String typeCode) {
        String expected = type.equals("ASCII") ? "line one\nline two\n" : "line one\r\nline two\r\n";
        String name = "type-" + type.toLowerCase();
        vsftpd.put(name + ".txt", "line one\r\nline two\r\n".getBytes());
        Api.Response created = api.post("/api/v1/remotes", """
                {"name":"%s","host":"%s","port":%d,"username":"%s","password":"%s","transferType":"%s"}"""
                .formatted(name, vsftpd.host(), vsftpd.port(), vsftpd.user(), vsftpd.password(), type));
        assertThat(created.status()).as(created.text()).isEqualTo(201);

        Api.Response downloaded = api.get("/api/v1/remotes/" + name + "/files/" + name + ".txt?download=true");
        assertThat(downloaded.status()).as(downloaded.text()).isEqualTo(200);
        assertThat(downloaded.text()).isEqualTo(expected);
        assertThat(transcriptLines()).anyMatch(l -> l.contains("remote=" + name + " > TYPE " + typeCode));
    }

    private void createRemote(String name, String server, String ip, String mode) {
        boolean v6 = ip.equals("v6");
        String host;
        int port;
        String user;
        String password;
        if (server.equals("vsftpd")) {
            FtpPeers.Peer peer = v6 ? vsftpd6 : vsftpd;
            host = peer.host();
            port = peer.port();
            user = peer.user();
            password = peer.password();
        } else if (server.equals("pureftpd")) {
            host = pureFtpd.host();
            port = pureFtpd.port();
            user = PureFtpdPeer.USER;
            password = PureFtpdPeer.PASSWORD;
        } else {
            host = v6 ? "::1" : "127.0.0.1";
            port = ftp.port();
            user = USER;
            password = PASSWORD;
        }
        Api.Response created = api.post("/api/v1/remotes", """
                {"name":"%s","host":"%s","port":%d,"username":"%s","password":"%s","dataMode":"%s",
                 "connectTimeout":"PT5S","readTimeout":"PT20S"}""".formatted(name, host, port, user, password, mode));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
    }

    private List<String> transcriptLines() {
        synchronized (transcript) {
            return transcript.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    private static JsonNode entry(JsonNode listing, String name) {
        for (JsonNode entry : listing) {
            if (entry.get("name").asString().equals(name)) {
                return entry;
            }
        }
        throw new AssertionError("no entry " + name + " in " + listing);
    }

    private static List<String> names(JsonNode listing) {
        List<String> names = new ArrayList<>();
        listing.forEach(e -> names.add(e.get("name").asString()));
        return names;
    }
}
