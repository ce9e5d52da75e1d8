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

    /** A self-signed PKCS12 keystore for localhost and 127.0.0.1, protected by {@link #STORE_PASSWORD}. */
    static Path selfSignedKeystore() throws IOException {
        Path keystore = Files.createTempDirectory("tls-").resolve("server.p12");
        ExternalCommand.Result keytool = ExternalCommand.run(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "ftpbridge", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", STORE_PASSWORD));
        assertThat(keytool.ok()).as(keytool.output()).isTrue();
        return keystore;
    }

    /** Python prelude: {@code tls(version)} connects with FTP_TLS offering only that TLS version. */
    static final String FTP_TLS = """
            import ftplib, io, ssl, sys
            def attempt(label, fn):
                try:
                    print(label, 'OK', fn())
                except (ftplib.all_errors + (EOFError,)) as e:
                    print(label, 'ERR', (str(e).splitlines() or [repr(e)])[0])
            def tls(version=None):
                context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
                context.check_hostname = False
                context.verify_mode = ssl.CERT_NONE
                if version:
                    context.minimum_version = version
                    context.maximum_version = version
                f = ftplib.FTP_TLS(context=context)
                f.connect('127.0.0.1', int(sys.argv[1]), timeout=30)
                return f
            def plain():
                f = ftplib.FTP()
                f.connect('127.0.0.1', int(sys.argv[1]), timeout=30)
                return f
            """;

    @DynamicPropertySource
    static void tls(DynamicPropertyRegistry registry) throws IOException, InterruptedException {
        Path keystore = selfSignedKeystore();
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
        Api api = new Api(httpPort);
        api.createFolderAndUser("secure", "tls-user", "tls-password", "/", Api.ALL);
        api.createUser("tls-only", "tls-only-password", "secure", "/", Api.ALL);
        assertThat(api.patch("/api/v1/users/tls-only", "{\"tlsRequired\":true}").json().get("tlsRequired").asBoolean())
                .isTrue();
    }

    @Test
    void anAccountRequiringTlsIsRefusedInPlainAndMustProtectItsData() {
        ExternalCommand.Result result = ExternalCommand.python(FTP_TLS + """
                attempt('PLAIN', lambda: plain().login('tls-only', 'tls-only-password'))
                f = tls()
                attempt('LOGIN', lambda: f.login('tls-only', 'tls-only-password'))
                attempt('CLEARDATA', lambda: f.storbinary('STOR clear.txt', io.BytesIO(b'clear')))
                attempt('PROTC', lambda: f.prot_c())
                attempt('PROTP', lambda: f.prot_p())
                attempt('SEALED', lambda: f.storbinary('STOR sealed-only.txt', io.BytesIO(b'sealed')))
                attempt('LIST', lambda: f.nlst())
                attempt('OTHER', lambda: plain().login('tls-user', 'tls-password'))
                """, String.valueOf(ftp.port()));
        assertThat(result.output()).as(result.output()).contains("PLAIN ERR 530", "LOGIN OK 230", "CLEARDATA ERR 521",
                "PROTC ERR 534", "PROTP OK 200", "SEALED OK 226", "OTHER OK 230").containsPattern("LIST OK .*sealed-only.txt");
    }

    @Test
    void tls13AndTls12AreBothOffered() {
        ExternalCommand.Result result = ExternalCommand.python(FTP_TLS + """
                for name, version in (('TLS13', ssl.TLSVersion.TLSv1_3), ('TLS12', ssl.TLSVersion.TLSv1_2)):
                    f = tls(version)
                    attempt(name, lambda: f.login('tls-user', 'tls-password'))
                    print(name, 'VERSION', f.sock.version())
                    f.prot_p()
                    attempt(name + 'STOR', lambda: f.storbinary('STOR v.txt', io.BytesIO(name.encode())))
                    out = []
                    attempt(name + 'RETR', lambda: f.retrbinary('RETR v.txt', out.append))
                    print(name, 'GOT', b''.join(out))
                """, String.valueOf(ftp.port()));
        assertThat(result.output()).as(result.output()).contains("TLS13 OK 230", "TLS13 VERSION TLSv1.3",
                "TLS13STOR OK 226", "TLS13 GOT b'TLS13'", "TLS12 OK 230", "TLS12 VERSION TLSv1.2", "TLS12 GOT b'TLS12'");
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
