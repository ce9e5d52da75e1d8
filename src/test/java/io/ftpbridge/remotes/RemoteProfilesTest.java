package io.ftpbridge.remotes;

import static org.assertj.core.api.Assertions.assertThat;

import io.ftpbridge.testsupport.Api;
import io.ftpbridge.testsupport.FtpBridgeTest;
import io.ftpbridge.testsupport.FtpPeers;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/** {@code /api/v1/remotes}: profiles stored with the password encrypted, never shown, usable to connect. */
@FtpBridgeTest
class RemoteProfilesTest {

    @LocalServerPort
    int httpPort;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    RemoteService remotes;

    @Autowired
    RemoteConnector connector;

    @Test
    void passwordIsEncryptedAtRestAndNeverReturned() {
        Api api = new Api(httpPort);
        Api.Response created = api.post("/api/v1/remotes", """
                {"name":"crud-remote","host":"ftp.example.com","username":"bob","password":"s3cret-password"}""");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        assertThat(created.header("Location")).isEqualTo("/api/v1/remotes/crud-remote");
        assertThat(created.text()).doesNotContain("s3cret-password").doesNotContain("\"password\"");
        assertThat(created.json().get("hasPassword").asBoolean()).isTrue();
        assertThat(created.json().get("port").asInt()).isEqualTo(21);
        assertThat(created.json().get("dataMode").asString()).isEqualTo("EPSV");
        assertThat(created.json().get("tls").asString()).isEqualTo("NONE");
        assertThat(created.json().get("transferType").asString()).isEqualTo("BINARY");
        assertThat(created.json().get("maxConnections").asInt()).isEqualTo(4);

        Map<String, Object> row = jdbc.queryForMap("SELECT password_encrypted FROM remote_server WHERE name = 'crud-remote'");
        String stored = (String) row.get("password_encrypted");
        assertThat(stored).startsWith("v1:").doesNotContain("s3cret-password");
        assertThat(remotes.connectionSettings("crud-remote").password()).isEqualTo("s3cret-password");
        assertThat(remotes.connectionSettings("crud-remote").toString()).doesNotContain("s3cret-password");

        Api.Response fetched = api.get("/api/v1/remotes/crud-remote");
        assertThat(fetched.text()).doesNotContain("s3cret-password").doesNotContain("\"password\"");
        assertThat(api.get("/api/v1/remotes").json().get("items").toString()).contains("crud-remote");
    }

    @Test
    void patchChangesOnlyGivenFieldsAndPutWithoutPasswordKeepsIt() {
        Api api = new Api(httpPort);
        assertThat(api.post("/api/v1/remotes", """
                {"name":"patch-remote","host":"h1","username":"u","password":"first-password","dataMode":"PASV"}""")
                .status()).isEqualTo(201);

        Api.Response patched = api.patch("/api/v1/remotes/patch-remote",
                "{\"port\":2121,\"connectTimeout\":\"PT3S\",\"password\":\"second-password\"}");
        assertThat(patched.status()).as(patched.text()).isEqualTo(200);
        assertThat(patched.json().get("port").asInt()).isEqualTo(2121);
        assertThat(patched.json().get("dataMode").asString()).isEqualTo("PASV");
        assertThat(remotes.connectionSettings("patch-remote").connectTimeout().toSeconds()).isEqualTo(3);
        assertThat(remotes.connectionSettings("patch-remote").password()).isEqualTo("second-password");

        Api.Response replaced = api.put("/api/v1/remotes/patch-remote",
                "{\"name\":\"patch-remote\",\"host\":\"h2\",\"username\":\"u2\",\"tls\":\"EXPLICIT\"}");
        assertThat(replaced.status()).as(replaced.text()).isEqualTo(200);
        assertThat(replaced.json().get("port").asInt()).isEqualTo(21);
        assertThat(replaced.json().get("dataMode").asString()).isEqualTo("EPSV");
        assertThat(remotes.connectionSettings("patch-remote").password()).isEqualTo("second-password");
        assertThat(remotes.connectionSettings("patch-remote").tls()).isEqualTo(RemoteTls.EXPLICIT);

        assertThat(api.delete("/api/v1/remotes/patch-remote").status()).isEqualTo(204);
        assertThat(api.get("/api/v1/remotes/patch-remote").status()).isEqualTo(404);
    }

    @Test
    void invalidProfilesAreRefusedWithFieldErrors() {
        Api api = new Api(httpPort);
        Api.Response bad = api.post("/api/v1/remotes", """
                {"name":"bad name","host":"","username":"u","port":70000,"dataMode":"PASV"}""");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.header("Content-Type")).startsWith("application/problem+json");
        assertThat(bad.json().get("errors").toString()).contains("name").contains("host").contains("port");

        Api.Response badMode = api.post("/api/v1/remotes", """
                {"name":"bad-mode","host":"h","username":"u","dataMode":"SIDEWAYS"}""");
        assertThat(badMode.status()).isEqualTo(400);

        assertThat(api.post("/api/v1/remotes", "{\"name\":\"dup\",\"host\":\"h\",\"username\":\"u\"}").status()).isEqualTo(201);
        assertThat(api.post("/api/v1/remotes", "{\"name\":\"dup\",\"host\":\"h\",\"username\":\"u\"}").status()).isEqualTo(409);
    }

    @Test
    void connectionSettingsLogIntoARealVsftpd() throws Exception {
        try (FtpPeers.Peer peer = FtpPeers.vsftpd(FtpPeers.options())) {
            peer.put("hello.txt", "hello from vsftpd\n".getBytes(StandardCharsets.UTF_8));
            Api.Response created = new Api(httpPort).post("/api/v1/remotes", """
                    {"name":"vsftpd-profile","host":"%s","port":%d,"username":"%s","password":"%s","dataMode":"PASV"}"""
                    .formatted(peer.host(), peer.port(), peer.user(), peer.password()));
            assertThat(created.status()).as(created.text()).isEqualTo(201);

            FTPClient client = connector.connect(remotes.connectionSettings("vsftpd-profile"), null, null);
            try {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                assertThat(client.retrieveFile("hello.txt", out)).as(client.getReplyString()).isTrue();
                assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("hello from vsftpd\n");
            } finally {
                RemoteConnector.disconnectQuietly(client);
            }
        }
    }
}
