package io.ftpbridge.ftpserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.ftpbridge.testsupport.Api;
import io.ftpbridge.testsupport.ExternalCommand;
import io.ftpbridge.testsupport.FtpBridgeTest;
import io.ftpbridge.testsupport.Ftplib;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/** Listener settings that differ from the defaults: NAT address, a port list, no active mode, lockout. */
@FtpBridgeTest
@TestPropertySource(properties = {
        "ftpbridge.ftp.passive-ports=31500,31502-31503",
        "ftpbridge.ftp.passive-external-address=203.0.113.7",
        "ftpbridge.ftp.active-enabled=false",
        "ftpbridge.ftp.login-failures.max-attempts=3",
        "ftpbridge.ftp.login-failures.lockout=10m",
        "ftpbridge.ftp.login-failures.delay=1ms",
})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FtpListenerSettingsTest {

    @LocalServerPort
    int httpPort;

    @Autowired
    FtpServerLifecycle ftp;

    @Autowired
    JdbcTemplate loginFailures;

    /** Failed-login counts live in the database that every test context of this JVM shares: start and end clean. */
    @AfterAll
    void forgetFailedLogins() {
        loginFailures.update("DELETE FROM login_failure");
    }

    @BeforeAll
    void createAccount() {
        loginFailures.update("DELETE FROM login_failure");
        new Api(httpPort).createFolderAndUser("settings", "settings-user", "settings-password", "/", Api.ALL);
    }

    private ExternalCommand.Result ftplib(String host, String body) {
        return Ftplib.script(host, ftp.port(), body);
    }

    @Test
    void pasvAnnouncesTheExternalAddressAndPortsFromTheList() {
        ExternalCommand.Result result = ftplib("127.0.0.1", """
                f = connect()
                f.login('settings-user', 'settings-password')
                for i in range(3):
                    print('PASV', f.sendcmd('PASV'))
                    print('EPSV', f.sendcmd('EPSV'))
                """);
        assertThat(result.ok()).as(result.output()).isTrue();
        assertThat(result.output().lines().filter(l -> l.startsWith("PASV"))).allMatch(l -> l.contains("(203,0,113,7,"));
        assertThat(result.output().lines().filter(l -> l.startsWith("PASV") || l.startsWith("EPSV"))
                .map(FtpListenerSettingsTest::announcedPort))
                .allMatch(p -> p == 31500 || p == 31502 || p == 31503);
    }

    @Test
    void activeModeCanBeSwitchedOff() {
        ExternalCommand.Result result = ftplib("127.0.0.1", """
                f = connect()
                f.login('settings-user', 'settings-password')
                attempt('PORT', lambda: f.sendcmd('PORT 127,0,0,1,200,10'))
                attempt('EPRT', lambda: f.sendcmd('EPRT |1|127.0.0.1|51210|'))
                """);
        assertThat(result.output()).containsPattern("PORT ERR 5\\d\\d").containsPattern("EPRT ERR 5\\d\\d");
    }

    @Test
    void repeatedFailedLoginsFromOneAddressAreRefusedForAWhile() {
        // ::1 is its own address, so the lockout does not spill into the other tests of this class
        ExternalCommand.Result result = ftplib("::1", """
                early = connect()
                for i in range(3):
                    f = connect()
                    attempt('FAIL%d' % i, lambda: f.login('settings-user', 'wrong-password'))
                # the server hangs up on the failure that locks the address: wait for that before reconnecting
                attempt('HUNGUP', lambda: f.sendcmd('NOOP'))
                attempt('LOCKED', lambda: connect())
                attempt('EARLY', lambda: early.login('settings-user', 'settings-password'))
                try:
                    g = connect()
                    attempt('GOOD', lambda: g.login('settings-user', 'settings-password'))
                except ftplib.all_errors as e:
                    print('GOOD ERR', e)
                """);
        assertThat(result.output()).contains("FAIL0 ERR 530", "FAIL1 ERR 530", "FAIL2 ERR 530", "HUNGUP ERR")
                .containsPattern("LOCKED ERR 421").contains("EARLY ERR 421")
                .containsPattern("GOOD ERR 421");
        ExternalCommand.Result otherAddress = ftplib("127.0.0.1", """
                f = connect()
                attempt('OTHER', lambda: f.login('settings-user', 'settings-password'))
                """);
        assertThat(otherAddress.output()).contains("OTHER OK 230");
    }

    private static int announcedPort(String line) {
        if (line.startsWith("EPSV")) {
            return Integer.parseInt(line.replaceAll(".*\\|\\|\\|(\\d+)\\|.*", "$1"));
        }
        String[] n = line.replaceAll(".*\\((.*)\\).*", "$1").split(",");
        return Integer.parseInt(n[4].trim()) * 256 + Integer.parseInt(n[5].trim());
    }
}
