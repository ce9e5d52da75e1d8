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

/** {@code ftpbridge.ftp.tls.required}: no login and no transfer without TLS, for every account. */
@FtpBridgeTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FtpTlsRequiredTest {

    @LocalServerPort
    int httpPort;

    @Autowired
    FtpServerLifecycle ftp;

    @DynamicPropertySource
    static void tls(DynamicPropertyRegistry registry) throws IOException {
        Path keystore = FtpTlsTest.selfSignedKeystore();
        registry.add("ftpbridge.ftp.tls.mode", () -> "explicit");
        registry.add("ftpbridge.ftp.tls.required", () -> "true");
        registry.add("ftpbridge.ftp.tls.keystore", keystore::toString);
        registry.add("ftpbridge.ftp.tls.keystore-password", () -> FtpTlsTest.STORE_PASSWORD);
        registry.add("ftpbridge.ftp.passive-ports", () -> "31720-31729");
    }

    @BeforeAll
    void createAccount() {
        new Api(httpPort).createFolderAndUser("required", "sealed-user", "sealed-password", "/", Api.ALL);
    }

    @Test
    void curlInPlainIsRefusedBeforeThePasswordAndWithSslReqdUploads() throws IOException {
        Path payload = Files.createTempFile("required-", ".txt");
        Files.writeString(payload, "only over tls");
        String url = "ftp://127.0.0.1:" + ftp.port() + "/required.txt";

        ExternalCommand.Result plain = ExternalCommand.run(List.of("curl", "-sS", "-v", "--user", "sealed-user:sealed-password",
                "-T", payload.toString(), url));
        assertThat(plain.ok()).as(plain.output()).isFalse();
        assertThat(plain.output()).contains("< 530").doesNotContain("> PASS");

        ExternalCommand.Result sealed = ExternalCommand.run(List.of("curl", "-sS", "-v", "--ssl-reqd", "--insecure",
                "--user", "sealed-user:sealed-password", "-T", payload.toString(), url));
        assertThat(sealed.ok()).as(sealed.output()).isTrue();
        assertThat(sealed.output()).contains("> PROT P");
    }

    @Test
    void ftplibMustProtectControlAndDataAndMayUseTls13() {
        ExternalCommand.Result result = ExternalCommand.python(FtpTlsTest.FTP_TLS + """
                p = plain()
                attempt('PLAINUSER', lambda: p.sendcmd('USER sealed-user'))
                f = tls(ssl.TLSVersion.TLSv1_3)
                attempt('LOGIN', lambda: f.login('sealed-user', 'sealed-password'))
                print('VERSION', f.sock.version())
                attempt('PROTC', lambda: f.prot_c())
                attempt('CLEAR', lambda: f.storbinary('STOR clear.txt', io.BytesIO(b'clear')))
                f.prot_p()
                attempt('SEALED', lambda: f.storbinary('STOR sealed.txt', io.BytesIO(b'sealed')))
                out = []
                attempt('RETR', lambda: f.retrbinary('RETR sealed.txt', out.append))
                print('GOT', b''.join(out))
                """, String.valueOf(ftp.port()));
        assertThat(result.output()).as(result.output()).contains("PLAINUSER ERR 530", "LOGIN OK 230",
                "VERSION TLSv1.3", "PROTC ERR 534", "CLEAR ERR 521", "SEALED OK 226", "RETR OK 226", "GOT b'sealed'");
    }
}
