package io.ftpbridge.ftpserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.ftpbridge.testsupport.Api;
import io.ftpbridge.testsupport.ExternalCommand;
import io.ftpbridge.testsupport.FtpBridgeTest;
import io.ftpbridge.testsupport.Ftplib;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Permissions, quotas, logins and traversal attempts, seen through Python's ftplib. */
@FtpBridgeTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FtpAccessRulesTest {

    @LocalServerPort
    int httpPort;

    @Autowired
    FtpServerLifecycle ftp;

    Api api;

    @BeforeAll
    void createAccounts() {
        api = new Api(httpPort);
        api.createFolderAndUser("readonly", "reader", "reader-password", "/pub", "LIST", "READ");
        api.createFolderAndUser("dropbox", "dropper", "dropper-password", "/drop", "WRITE");
        api.post("/api/v1/folders", "{\"name\":\"small\",\"quotaBytes\":100000,\"quotaFiles\":3}");
        api.createUser("quota-user", "quota-password", "small", "/", Api.ALL);
        api.createFolderAndUser("jail", "jailed", "jailed-password", "/", Api.ALL);
    }

    private ExternalCommand.Result ftplib(String user, String password, String body) {
        return Ftplib.run(ftp.port(), user, password, body);
    }

    @Test
    void readOnlyMountRefusesEveryChangeWith550() {
        Path storage = Path.of(api.get("/api/v1/folders/readonly").json().get("location").asString());
        writeQuietly(storage.resolve("notes.txt"), "read me");
        ExternalCommand.Result result = ftplib("reader", "reader-password", """
                attempt('LIST', lambda: f.nlst('/pub'))
                attempt('RETR', lambda: f.retrbinary('RETR /pub/notes.txt', lambda b: None))
                attempt('STOR', lambda: f.storbinary('STOR /pub/new.txt', io.BytesIO(b'x')))
                attempt('APPE', lambda: f.storbinary('APPE /pub/notes.txt', io.BytesIO(b'x')))
                attempt('DELE', lambda: f.delete('/pub/notes.txt'))
                attempt('MKD', lambda: f.mkd('/pub/dir'))
                attempt('RNFR', lambda: f.rename('/pub/notes.txt', '/pub/other.txt'))
                attempt('ROOTSTOR', lambda: f.storbinary('STOR /rootfile', io.BytesIO(b'x')))
                attempt('ROOTLIST', lambda: f.nlst('/'))
                """);
        assertThat(result.output())
                .contains("LIST OK ['notes.txt']")
                .contains("RETR OK 226")
                .contains("STOR ERR 550")
                .contains("APPE ERR 550")
                .contains("DELE ERR 550")
                .contains("MKD ERR 550")
                .containsPattern("RNFR ERR 55[03]")
                .contains("ROOTSTOR ERR 550")
                .contains("ROOTLIST OK ['pub']");
        assertThat(storage.resolve("notes.txt")).hasContent("read me");
        assertThat(storage.resolve("new.txt")).doesNotExist();
    }

    @Test
    void writeOnlyMountAcceptsUploadsButRefusesListingAndReading() {
        ExternalCommand.Result result = ftplib("dropper", "dropper-password", """
                attempt('STOR', lambda: f.storbinary('STOR /drop/in.txt', io.BytesIO(b'dropped')))
                attempt('LIST', lambda: f.nlst('/drop'))
                attempt('RETR', lambda: f.retrbinary('RETR /drop/in.txt', lambda b: None))
                attempt('DELE', lambda: f.delete('/drop/in.txt'))
                """);
        assertThat(result.output())
                .contains("STOR OK 226")
                .contains("LIST ERR 550")
                .contains("RETR ERR 550")
                .contains("DELE ERR 550");
    }

    @Test
    void uploadBeyondQuotaIsRefusedWith552AndLeavesNothing() {
        ExternalCommand.Result result = ftplib("quota-user", "quota-password", """
                attempt('SMALL', lambda: f.storbinary('STOR /small.bin', io.BytesIO(b'x' * 1000)))
                attempt('BIG', lambda: f.storbinary('STOR /big.bin', io.BytesIO(b'y' * 200000)))
                attempt('LIST', lambda: sorted(f.nlst('/')))
                attempt('APPEND', lambda: f.storbinary('APPE /small.bin', io.BytesIO(b'z' * 150000)))
                attempt('SIZE', lambda: f.size('/small.bin'))
                attempt('F2', lambda: f.storbinary('STOR /f2', io.BytesIO(b'2')))
                attempt('F3', lambda: f.storbinary('STOR /f3', io.BytesIO(b'3')))
                attempt('F4', lambda: f.storbinary('STOR /f4', io.BytesIO(b'4')))
                attempt('REPLACE', lambda: f.storbinary('STOR /f3', io.BytesIO(b'33')))
                """);
        assertThat(result.output())
                .contains("SMALL OK 226")
                .contains("BIG ERR 552")
                .contains("LIST OK ['small.bin']")
                .contains("APPEND ERR 552")
                .contains("SIZE OK 1000")
                .contains("F2 OK 226")
                .contains("F3 OK 226")
                .contains("F4 ERR 552")
                .contains("REPLACE OK 226");
        var usage = api.get("/api/v1/folders/small").json().get("usage");
        assertThat(usage.get("files").asLong()).isEqualTo(3);
        assertThat(usage.get("bytes").asLong()).isEqualTo(1000 + 1 + 2);
    }

    @Test
    void concurrentUploadsCannotTogetherPassTheQuota() {
        api.post("/api/v1/folders", "{\"name\":\"shared-quota\",\"quotaBytes\":100000,\"quotaFiles\":5}");
        api.createUser("racer", "racer-password", "shared-quota", "/", Api.ALL);
        // slow uploads, so that both are on their way at the same time
        assertThat(api.patch("/api/v1/users/racer", "{\"uploadBytesPerSecond\":60000}").status()).isEqualTo(200);
        ExternalCommand.Result result = ftplib("racer", "racer-password", """
                import threading
                results = {}
                def upload(name):
                    c = connect()
                    c.login('racer', 'racer-password')
                    try:
                        results[name] = c.storbinary('STOR ' + name, io.BytesIO(b'r' * 60000))[:3]
                    except ftplib.all_errors as e:
                        results[name] = str(e)[:3]
                threads = [threading.Thread(target=upload, args=(n,)) for n in ('one.bin', 'two.bin')]
                [t.start() for t in threads]
                [t.join() for t in threads]
                print('RESULTS', sorted(results.values()))
                print('LIST', sorted(f.nlst('/')))
                """);
        // at most one can finish (which one, or neither when both run out of room together, is timing):
        // never both, and a refused one leaves nothing
        assertThat(result.output()).containsAnyOf("RESULTS ['226', '552']", "RESULTS ['552', '552']");
        long succeeded = result.output().lines().filter(l -> l.startsWith("RESULTS"))
                .mapToLong(l -> l.split("226", -1).length - 1).sum();
        var usage = api.get("/api/v1/folders/shared-quota").json().get("usage");
        assertThat(usage.get("bytes").asLong()).isEqualTo(60000 * succeeded).isLessThanOrEqualTo(100000);
        assertThat(usage.get("files").asLong()).isEqualTo(succeeded);
    }

    @Test
    void wrongPasswordUnknownUserAndDisabledUserGet530() {
        api.createFolderAndUser("disabled-home", "sleeper", "sleeper-password", "/", Api.ALL);
        assertThat(api.patch("/api/v1/users/sleeper", "{\"enabled\":false}").status()).isEqualTo(200);
        ExternalCommand.Result result = ftplib(null, null, """
                attempt('WRONG', lambda: f.login('reader', 'not-the-password'))
                g = connect()
                attempt('UNKNOWN', lambda: g.login('nobody-here', 'whatever-password'))
                h = connect()
                attempt('DISABLED', lambda: h.login('sleeper', 'sleeper-password'))
                i = connect()
                attempt('ANONYMOUS', lambda: i.login())
                """);
        assertThat(result.output())
                .contains("WRONG ERR 530")
                .contains("UNKNOWN ERR 530")
                .contains("DISABLED ERR 530")
                .contains("ANONYMOUS ERR 530");
    }

    @Test
    void loginFromAnAddressOutsideAllowedIpsGets530() {
        api.createFolderAndUser("fenced", "fenced-user", "fenced-password", "/", Api.ALL);
        assertThat(api.patch("/api/v1/users/fenced-user", "{\"allowedIps\":[\"10.0.0.0/8\"]}").status()).isEqualTo(200);
        assertThat(ftplib(null, null, "attempt('FENCED', lambda: f.login('fenced-user', 'fenced-password'))").output())
                .contains("FENCED ERR 530");
        assertThat(api.patch("/api/v1/users/fenced-user", "{\"allowedIps\":[\"127.0.0.0/8\",\"::1/128\"]}").status()).isEqualTo(200);
        assertThat(ftplib(null, null, "attempt('FENCED', lambda: f.login('fenced-user', 'fenced-password'))").output())
                .contains("FENCED OK 230");
    }

    @Test
    void userChangedOverRestIsSeenAtTheNextLogin() {
        api.createFolderAndUser("changing", "changer", "first-password", "/a", Api.ALL);
        api.post("/api/v1/folders", "{\"name\":\"changing-b\"}");
        assertThat(ftplib("changer", "first-password", "print('ROOT', f.nlst('/'))").output()).contains("ROOT ['a']");

        assertThat(api.patch("/api/v1/users/changer", """
                {"password":"second-password","mounts":[{"folder":"changing-b","path":"/b","permissions":["LIST"]}]}
                """).status()).isEqualTo(200);

        assertThat(ftplib(null, null, "attempt('OLD', lambda: f.login('changer', 'first-password'))").output())
                .contains("OLD ERR 530");
        assertThat(ftplib("changer", "second-password", "print('ROOT', f.nlst('/'))").output()).contains("ROOT ['b']");

        assertThat(api.delete("/api/v1/users/changer").status()).isEqualTo(204);
        assertThat(ftplib(null, null, "attempt('GONE', lambda: f.login('changer', 'second-password'))").output())
                .contains("GONE ERR 530");
    }

    @Test
    void traversalAttemptsNeverLeaveTheFolder() throws Exception {
        Path storage = Path.of(api.get("/api/v1/folders/jail").json().get("location").asString());
        Path outside = Files.createTempDirectory("outside-");
        Files.writeString(outside.resolve("secret.txt"), "top secret");
        Files.createSymbolicLink(storage.resolve("escape"), outside);
        Files.createSymbolicLink(storage.resolve("escape.txt"), outside.resolve("secret.txt"));
        ExternalCommand.Result result = ftplib("jailed", "jailed-password", """
                f.storbinary('STOR inside.txt', io.BytesIO(b'inside'))
                attempt('CWDUP', lambda: (f.cwd('../../../..'), f.pwd())[1])
                attempt('LISTUP', lambda: f.nlst('../../..'))
                attempt('RETRUP', lambda: f.retrbinary('RETR ../../../../etc/passwd', lambda b: None))
                attempt('ENCODED', lambda: f.retrbinary('RETR %2e%2e/%2e%2e/etc/passwd', lambda b: None))
                attempt('BACKSLASH', lambda: f.retrbinary('RETR ..\\\\..\\\\etc\\\\passwd', lambda b: None))
                attempt('LINKDIR', lambda: f.nlst('/escape'))
                attempt('LINKFILE', lambda: f.retrbinary('RETR /escape.txt', lambda b: print('LEAKED', b)))
                attempt('LINKSTOR', lambda: f.storbinary('STOR /escape/planted.txt', io.BytesIO(b'x')))
                attempt('LINKCWD', lambda: f.cwd('/escape'))
                attempt('STORUP', lambda: f.storbinary('STOR ../../planted.txt', io.BytesIO(b'x')))
                attempt('MKDUP', lambda: f.mkd('../../../tmp/planted-dir'))
                """);
        assertThat(result.output())
                .contains("CWDUP OK /")
                .contains("LISTUP OK ['inside.txt']") // links leading out of the folder are not listed
                .contains("RETRUP ERR 550")
                .contains("ENCODED ERR 550")
                .contains("BACKSLASH ERR 55")
                .contains("LINKDIR ERR 550")
                .contains("LINKFILE ERR 550")
                .contains("LINKSTOR ERR 55")
                .contains("LINKCWD ERR 550")
                .doesNotContain("LEAKED");
        assertThat(outside.resolve("planted.txt")).doesNotExist();
        assertThat(Files.list(outside).toList()).containsExactly(outside.resolve("secret.txt"));
        assertThat(storage.resolve("planted.txt")).exists();
        assertThat(storage.getParent().resolve("planted.txt")).doesNotExist();
        assertThat(Path.of("/tmp/planted-dir")).doesNotExist();
    }

    @Test
    void aUserIsHeldToItsMaxConnections() {
        api.createFolderAndUser("single", "single-user", "single-password", "/", Api.ALL);
        assertThat(api.patch("/api/v1/users/single-user", "{\"maxConnections\":1}").status()).isEqualTo(200);
        ExternalCommand.Result result = ftplib("single-user", "single-password", """
                g = connect()
                attempt('SECOND', lambda: g.login('single-user', 'single-password'))
                f.quit()
                h = connect()
                attempt('AFTER', lambda: h.login('single-user', 'single-password'))
                """);
        assertThat(result.output()).contains("SECOND ERR 421", "AFTER OK 230");
    }

    @Test
    void appendOnlyMayAddAtTheEndButNotRestartInsideAFile() throws Exception {
        api.createFolderAndUser("appendonly", "appender", "appender-password", "/", "LIST", "APPEND");
        Path storage = Path.of(api.get("/api/v1/folders/appendonly").json().get("location").asString());
        Files.writeString(storage.resolve("log.txt"), "0123456789");
        ExternalCommand.Result result = ftplib("appender", "appender-password", """
                attempt('APPE', lambda: f.storbinary('APPE log.txt', io.BytesIO(b'ab')))
                attempt('RESTIN', lambda: f.storbinary('STOR log.txt', io.BytesIO(b''), rest=1))
                attempt('RESTEND', lambda: f.storbinary('STOR log.txt', io.BytesIO(b'cd'), rest=12))
                attempt('STOR', lambda: f.storbinary('STOR other.txt', io.BytesIO(b'x')))
                """);
        assertThat(result.output()).contains("APPE OK 226", "RESTIN ERR 550", "RESTEND OK 226", "STOR ERR 550");
        assertThat(storage.resolve("log.txt")).hasContent("0123456789abcd");
    }

    @Test
    void sizeAndDatesOfFilesAWriteOnlyUserMayNotReadStayHidden() {
        ExternalCommand.Result result = ftplib("dropper", "dropper-password", """
                f.storbinary('STOR /drop/secret-size.bin', io.BytesIO(b'x' * 1234))
                attempt('SIZE', lambda: f.size('/drop/secret-size.bin'))
                attempt('MDTM', lambda: f.sendcmd('MDTM /drop/secret-size.bin'))
                attempt('MLST', lambda: f.sendcmd('MLST /drop/secret-size.bin'))
                """);
        assertThat(result.output()).contains("SIZE ERR 550", "MDTM ERR 550", "MLST ERR 550").doesNotContain("1234");
    }

    @Test
    void dotNamesAreNotFolderNames() {
        for (String name : new String[] {".", ".."}) {
            Api.Response response = api.post("/api/v1/folders", "{\"name\":\"%s\"}".formatted(name));
            assertThat(response.status()).as(name).isEqualTo(400);
            assertThat(response.json().get("errors").get(0).get("field").asString()).isEqualTo("name");
        }
        assertThat(api.post("/api/v1/folders", "{\"name\":\"..hidden\"}").status()).isEqualTo(201);
    }

    @Test
    void portToAnotherHostIsRefusedAsABounce() {
        ExternalCommand.Result result = ftplib("reader", "reader-password", """
                attempt('PORT', lambda: f.sendcmd('PORT 10,1,2,3,200,10'))
                attempt('EPRT', lambda: f.sendcmd('EPRT |1|10.1.2.3|51210|'))
                """);
        assertThat(result.output()).containsPattern("PORT ERR 5\\d\\d").containsPattern("EPRT ERR 5\\d\\d");
    }

    private static void writeQuietly(Path file, String content) {
        try {
            Files.writeString(file, content);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
