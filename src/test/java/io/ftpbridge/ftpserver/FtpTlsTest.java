package io.ftpbridge.ftpserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.ftpbridge.testsupport.Api;
import io.ftpbridge.testsupport.ExternalCommand;
import io.ftpbridge.testsupport.FtpBridgeTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Explicit FTPS (AUTH TLS) with a keystore made by the JDK's keytool, used by curl with a protected data channel. */
@FtpBridgeTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FtpTlsTest {

    static final String STORE_PASSWORD = "keystore-password";

    @LocalServerPort
    int httpPort;

    @Autowired
    FtpServerLifecycle ftp;

    @DynamicPropertySource
    static void tls(DynamicPropertyRegistry registry) throws IOException, InterruptedException {
        Path keystore = Files.createTempDirectory("tls-").resolve("server.p12");
        ExternalCommand.Result keytool = ExternalCommand.run(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "ftpbridge", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", STORE_PASSWORD));
        assertThat(keytool.ok()).as(keytool.output()).isTrue();
        registry.add("ftpbridge.ftp.tls.mode", () -> "explicit");
        registry.add("ftpbridge.ftp.tls.keystore", keystore::toString);
        registry.add("ftpbridge.ftp.tls.keystore-password", () -> STORE_PASSWORD);
        registry.add("ftpbridge.ftp.passive-ports", () -> "31700-31719");
        // ftpbridge's own FTP client trusts this server's self-signed certificate
        registry.add("ftpbridge.remotes.trust-store", keystore::toString);
        registry.add("ftpbridge.remotes.trust-store-password", () -> STORE_PASSWORD);
    }

    @BeforeAll
    void createAccount() {
        new Api(httpPort).createFolderAndUser("secure", "tls-user", "tls-password", "/", Api.ALL);
    }

    @Test
    void curlUploadsAndDownloadsOverExplicitTlsWithAProtectedDataChannel() throws Exception {
        Path payload = Files.createTempFile("tls-", ".txt");
        Files.writeString(payload, "sealed");
        String url = "ftp://127.0.0.1:" + ftp.port() + "/sealed.txt";
        List<String> curl = List.of("curl", "-sS", "-v", "--ssl-reqd", "--insecure", "--user", "tls-user:tls-password");

        ExternalCommand.Result up = ExternalCommand.run(concat(curl, List.of("-T", payload.toString(), url)));
        assertThat(up.ok()).as(up.output()).isTrue();
        assertThat(up.output()).containsPattern("> AUTH (TLS|SSL)").contains("> PROT P", "SSL connection using");

        ExternalCommand.Result down = ExternalCommand.run(concat(curl, List.of(url)));
        assertThat(down.ok()).as(down.output()).isTrue();
        assertThat(down.output()).contains("sealed");
    }

    @Test
    void featAdvertisesAuthTlsWhenTlsIsOn() {
        ExternalCommand.Result feat = ExternalCommand.run(List.of("curl", "-sS", "-v", "--ssl-reqd", "--insecure",
                "--user", "tls-user:tls-password", "-Q", "FEAT", "ftp://127.0.0.1:" + ftp.port() + "/"));
        assertThat(feat.ok()).as(feat.output()).isTrue();
        assertThat(feat.output()).contains("AUTH TLS", "EPSV", "PASV");
    }

    @Test
    void ftpbridgesOwnClientTalksExplicitTlsToItsOwnServer() {
        Api api = new Api(httpPort);
        assertThat(api.post("/api/v1/remotes", """
                {"name":"self-tls","host":"127.0.0.1","port":%d,"username":"tls-user","password":"tls-password",
                 "tls":"EXPLICIT","dataMode":"EPSV"}""".formatted(ftp.port())).status()).isEqualTo(201);
        var probe = api.post("/api/v1/remotes/self-tls/test", null);
        assertThat(probe.status()).as(probe.text()).isEqualTo(200);
        assertThat(probe.json().get("ok").asBoolean()).as(probe.text()).isTrue();
        assertThat(probe.json().get("features").toString()).contains("AUTH TLS");

        byte[] bytes = "through FTPS both ways".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(api.putBytes("/api/v1/remotes/self-tls/files/client-upload.txt", bytes).status()).isBetween(200, 201);
        Api.Response download = api.get("/api/v1/remotes/self-tls/files/client-upload.txt?download=true");
        assertThat(download.status()).isEqualTo(200);
        assertThat(download.raw().body()).isEqualTo(bytes);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
