package io.ftpbridge.ftpserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ftpbridge.testsupport.Api;
import io.ftpbridge.testsupport.ExternalCommand;
import io.ftpbridge.testsupport.FtpBridgeTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * Attacks on the FTP listener and on logins, each from its own loopback address (127.0.0.x) so
 * that a lockout or a connection cap it provokes stays its own; each also shows that a legitimate
 * client on 127.0.0.1 keeps being served.
 */
@FtpBridgeTest
@ExtendWith(OutputCaptureExtension.class)
@TestPropertySource(properties = {
        "ftpbridge.ftp.passive-ports=31800-31807",
        "ftpbridge.ftp.max-connections-per-user=3",
        "ftpbridge.ftp.max-connections-per-address=10",
        "ftpbridge.ftp.max-unauthenticated-connections=20",
        "ftpbridge.ftp.login-timeout=3s",
        "ftpbridge.ftp.login-failures.max-attempts=5",
        "ftpbridge.ftp.login-failures.max-attempts-per-account=8",
        "ftpbridge.ftp.login-failures.lockout=10m",
        "ftpbridge.ftp.login-failures.delay=1ms",
})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FtpHardeningTest {

    /** Python prelude: {@code PORT}, {@code login(source, user, password)}, {@code raw(source)}, {@code line(sock)}. */
    private static final String PRELUDE = """
            import ftplib, io, socket, sys, time, threading
            HOST, PORT = '127.0.0.1', int(sys.argv[1])
            def login(source, user, password):
                f = ftplib.FTP()
                f.connect(HOST, PORT, timeout=30, source_address=(source, 0))
                f.login(user, password)
                return f
            def attempt(label, fn):
                try:
                    print(label, 'OK', fn())
                except (ftplib.all_errors + (EOFError,)) as e:
                    print(label, 'ERR', (str(e).splitlines() or [repr(e)])[0])
            def raw(source):
                s = socket.create_connection((HOST, PORT), timeout=10, source_address=(source, 0))
                return s
            def line(s):
                data = b''
                while not data.endswith(b'\\n'):
                    chunk = s.recv(1)
                    if not chunk:
                        break
                    data += chunk
                return data.decode().strip()
            def send(s, command):
                s.sendall((command + '\\r\\n').encode())
                return line(s)
            """;

    @LocalServerPort
    int httpPort;

    @Autowired
    FtpServerLifecycle ftp;

    Api api;

    @Autowired
    JdbcTemplate loginFailures;

    /** Failed-login counts live in the database that every test context of this JVM shares: start and end clean. */
    @AfterAll
    void forgetFailedLogins() {
        loginFailures.update("DELETE FROM login_failure");
    }

    @BeforeAll
    void createAccounts() {
        loginFailures.update("DELETE FROM login_failure");
        api = new Api(httpPort);
        if (api.get("/api/v1/folders/hardening").status() == 200) {
            return; // a rerun of a failed test in the same context (surefire's rerunFailingTestsCount): made the first time
        }
        api.createFolderAndUser("hardening", "alice", "alice-password", "/", Api.ALL);
        api.createUser("bob", "bob-password", "hardening", "/", Api.ALL);
        api.createUser("victim", "victim-password", "hardening", "/", Api.ALL);
        api.createUser("target", "target-password", "hardening", "/", Api.ALL);
        api.createUser("hog", "hog-password", "hardening", "/", Api.ALL);
        api.createUser("leaver", "leaver-password", "hardening", "/", Api.ALL);
        api.createUser("single", "single-password", "hardening", "/", Api.ALL);
        assertThat(api.patch("/api/v1/users/single", "{\"maxConnections\":1}").status()).isEqualTo(200);
    }

    private ExternalCommand.Result python(String body) {
        return ExternalCommand.python(PRELUDE + body + "\n", String.valueOf(ftp.port()));
    }

    private void legitimateClientStillWorks() {
        ExternalCommand.Result result = python("""
                f = login('127.0.0.1', 'alice', 'alice-password')
                attempt('STOR', lambda: f.storbinary('STOR legit.txt', io.BytesIO(b'legit')))
                out = []
                attempt('RETR', lambda: f.retrbinary('RETR legit.txt', out.append))
                print('GOT', b''.join(out))
                """);
        assertThat(result.output()).as(result.output()).contains("STOR OK 226", "RETR OK 226", "GOT b'legit'");
    }

    @Test
    void aPassiveDataConnectionFromAnotherAddressGetsNoDataAndPlantsNoBytes() throws Exception {
        Path storage = Path.of(api.get("/api/v1/folders/hardening").json().get("location").asString());
        Files.writeString(storage.resolve("secret.txt"), "the secret contents");
        ExternalCommand.Result result = python("""
                f = login('127.0.0.1', 'alice', 'alice-password')
                f.voidcmd('TYPE I')
                def steal(command, payload):
                    host, port = ftplib.parse227(f.sendcmd('PASV'))
                    thief = socket.create_connection((host, port), timeout=5, source_address=('127.0.0.2', 0))
                    if payload:
                        thief.sendall(payload)
                    time.sleep(0.3)
                    own = socket.create_connection((host, port), timeout=5)
                    f.putcmd(command)
                    replies = [f.getline()]
                    if replies[0].startswith('150'):
                        try:
                            if command.startswith('STOR'):
                                own.sendall(b'the users own bytes')
                                own.close()
                            else:
                                got = b''
                                while True:
                                    chunk = own.recv(4096)
                                    if not chunk:
                                        break
                                    got += chunk
                                print(command, 'USERGOT', got)
                        except OSError as e:
                            print(command, 'USERDATA', repr(e))
                        replies.append(f.getline())
                    stolen = b''
                    try:
                        while True:
                            chunk = thief.recv(4096)
                            if not chunk:
                                break
                            stolen += chunk
                    except OSError as e:
                        pass
                    print(command, 'STOLEN', stolen)
                    print(command, 'REPLIES', replies)
                steal('RETR secret.txt', None)
                steal('STOR planted.txt', b'PLANTED BY THE THIEF')
                out = []
                attempt('RETRY', lambda: f.retrbinary('RETR secret.txt', out.append))
                print('RETRYGOT', b''.join(out))
                attempt('RESTOR', lambda: f.storbinary('STOR planted.txt', io.BytesIO(b'the users own bytes')))
                """);
        String output = result.output();
        assertThat(output).as(output).contains("RETR secret.txt STOLEN b''", "STOR planted.txt STOLEN b''")
                .doesNotContain("PLANTED BY THE THIEF'")
                .contains("RETRY OK 226", "RETRYGOT b'the secret contents'", "RESTOR OK 226");
        // the stranger's connection is closed and the user's own transfer goes through
        assertThat(output).contains("RETR secret.txt USERGOT b'the secret contents'");
        assertThat(output.lines().filter(l -> l.contains("REPLIES"))).hasSize(2).allMatch(l -> l.contains("'226"));
        assertThat(storage.resolve("planted.txt")).hasContent("the users own bytes");
        legitimateClientStillWorks();
    }

    @Test
    void aSuccessfulLoginFromAnAddressDoesNotForgiveItsFailures() {
        ExternalCommand.Result result = python("""
                def guess(password):
                    g = ftplib.FTP()
                    g.connect(HOST, PORT, timeout=30, source_address=('127.0.0.3', 0))
                    return g.login('victim', password)
                for round in range(3):
                    for i in range(2):
                        attempt('FAIL', lambda: guess('guess-%d-%d' % (round, i)))
                    attempt('OWN', lambda: login('127.0.0.3', 'bob', 'bob-password').sendcmd('NOOP'))
                attempt('AFTER', lambda: login('127.0.0.3', 'bob', 'bob-password'))
                """);
        String output = result.output();
        // 5 failures lock the address although its own account logged in between them
        assertThat(output.lines().filter(l -> l.startsWith("FAIL ERR 530")).count()).as(output).isEqualTo(5);
        assertThat(output).contains("OWN OK 200").containsPattern("AFTER ERR 421");
        legitimateClientStillWorks();
    }

    @Test
    void parallelPasswordGuessesAreCountedBeforeAnyIsAnswered() {
        ExternalCommand.Result result = python("""
                results = []
                def guess(i):
                    g = ftplib.FTP()
                    try:
                        g.connect(HOST, PORT, timeout=30, source_address=('127.0.0.4', 0))
                        g.sendcmd('USER target')
                        results.append(g.sendcmd('PASS wrong-%d' % i)[:3])
                    except ftplib.all_errors as e:
                        results.append(str(e)[:3])
                threads = [threading.Thread(target=guess, args=(i,)) for i in range(30)]
                [t.start() for t in threads]
                [t.join() for t in threads]
                print('EVALUATED', results.count('530'))
                print('REFUSED', len([r for r in results if r == '421']))
                attempt('RIGHT', lambda: login('127.0.0.4', 'target', 'target-password'))
                """);
        String output = result.output();
        assertThat(output).as(output).contains("EVALUATED 5", "REFUSED 25").containsPattern("RIGHT ERR 421");
        // the account itself is not locked by one address's 5 failures (its own limit is 8)
        assertThat(python("attempt('ELSEWHERE', lambda: login('127.0.0.1', 'target', 'target-password').sendcmd('NOOP'))")
                .output()).contains("ELSEWHERE OK 200");
    }

    @Test
    void guessesAtOneAccountFromManyAddressesLockTheAccount() {
        ExternalCommand.Result result = python("""
                def guess(source, password):
                    g = ftplib.FTP()
                    g.connect(HOST, PORT, timeout=30, source_address=(source, 0))
                    return g.login('leaver', password)
                for source in ('127.0.0.5', '127.0.0.6', '127.0.0.7', '127.0.0.8'):
                    for i in range(2):
                        attempt('FAIL', lambda: guess(source, 'guess-%d' % i))
                attempt('LOCKED', lambda: login('127.0.0.9', 'leaver', 'leaver-password'))
                attempt('OTHER', lambda: login('127.0.0.5', 'bob', 'bob-password').sendcmd('NOOP'))
                """);
        assertThat(result.output()).as(result.output()).containsPattern("LOCKED ERR 421").contains("OTHER OK 200");
        assertThat(result.output().lines().filter(l -> l.startsWith("FAIL ERR 530")).count()).isEqualTo(8);
    }

    @Test
    void restBasicFailuresCountTowardTheSameLockoutAsFtp() {
        String url = api.base() + "/api/v1/users";
        for (int i = 0; i < 3; i++) {
            ExternalCommand.Result failed = curl("--interface", "127.0.0.10", "-u", "intruder:guess-" + i, url);
            assertThat(failed.output()).contains("HTTP/1.1 401");
        }
        ExternalCommand.Result ftpFailures = python("""
                def guess(password):
                    g = ftplib.FTP()
                    g.connect(HOST, PORT, timeout=30, source_address=('127.0.0.10', 0))
                    return g.login('intruder', password)
                for i in range(2):
                    attempt('FTPFAIL', lambda: guess('guess-%d' % i))
                attempt('FTPAFTER', lambda: login('127.0.0.10', 'bob', 'bob-password'))
                """);
        assertThat(ftpFailures.output()).as(ftpFailures.output()).contains("FTPFAIL ERR 530").containsPattern("FTPAFTER ERR 421");
        ExternalCommand.Result locked = curl("--interface", "127.0.0.10", "-u", Api.ADMIN + ":" + Api.ADMIN_PASSWORD, url);
        assertThat(locked.output()).contains("HTTP/1.1 429").containsIgnoringCase("Retry-After:")
                .contains("application/problem+json");
        // the administrator from another address is unaffected
        assertThat(api.get("/api/v1/users").status()).isEqualTo(200);
    }

    @Test
    void aFloodOfConnectionsFromOneAddressIsCappedWhileOthersAreServed() {
        ExternalCommand.Result result = python("""
                socks, greetings = [], []
                for i in range(25):
                    s = raw('127.0.0.11')
                    socks.append(s)
                    greetings.append(line(s)[:3])
                print('GREETED', greetings.count('220'))
                print('REFUSED', greetings.count('421'))
                f = login('127.0.0.1', 'alice', 'alice-password')
                print('LEGIT', f.sendcmd('NOOP'))
                [s.close() for s in socks]
                """);
        assertThat(result.output()).as(result.output()).contains("GREETED 10", "REFUSED 15", "LEGIT 200");
    }

    @Test
    void connectionsWaitingToLogInAreCappedServerWide() {
        ExternalCommand.Result result = python("""
                socks, greetings = [], []
                for source in ('127.0.0.12', '127.0.0.13', '127.0.0.14'):
                    for i in range(8):
                        s = raw(source)
                        socks.append(s)
                        greetings.append(line(s)[:3])
                print('GREETED', greetings.count('220'))
                print('REFUSED', greetings.count('421'))
                [s.close() for s in socks]
                time.sleep(0.5)
                f = login('127.0.0.1', 'alice', 'alice-password')
                print('LEGIT', f.sendcmd('NOOP'))
                """);
        assertThat(result.output()).as(result.output()).contains("GREETED 20", "REFUSED 4", "LEGIT 200");
    }

    @Test
    void aClientTricklingNoopsIsClosedAtTheLoginTimeoutButALoggedInOneStays() {
        ExternalCommand.Result result = python("""
                f = login('127.0.0.1', 'alice', 'alice-password')
                def trickle(s):
                    start = time.time()
                    while time.time() - start < 10:
                        # answered 200 or 530 before login: either way a command every 0.3s
                        reply = send(s, 'NOOP')
                        if not reply or reply.startswith('421'):
                            return reply + ' after ' + str(round(time.time() - start))
                        time.sleep(0.3)
                    return 'still open after 10s'
                s = raw('127.0.0.15')
                line(s)
                print('TRICKLER', trickle(s))
                r = raw('127.0.0.15')
                line(r)
                send(r, 'USER bob')
                print('LOGIN', send(r, 'PASS bob-password'))
                print('REIN', send(r, 'REIN'))
                print('REINED', trickle(r))
                print('LEGIT', f.sendcmd('NOOP'))
                """);
        assertThat(result.output()).as(result.output()).containsPattern("TRICKLER 421 .*after [2-5]\\b")
                .contains("LOGIN 230", "REIN 220").containsPattern("REINED 421 .*after [2-5]\\b")
                .contains("LEGIT 200");
    }

    @Test
    void oneAccountCannotHoldEveryPassivePort() {
        ExternalCommand.Result result = python("""
                hogs = []
                for i in range(8):
                    try:
                        g = login('127.0.0.16', 'hog', 'hog-password')
                        g.sendcmd('PASV')
                        hogs.append(g)
                    except ftplib.all_errors as e:
                        print('HOG', str(e)[:3])
                print('HOGGED', len(hogs))
                f = login('127.0.0.1', 'bob', 'bob-password')
                # more PASV than the range has ports: each one releases the port of the one before
                for i in range(12):
                    attempt('PASV', lambda: f.sendcmd('PASV')[:3])
                attempt('STOR', lambda: f.storbinary('STOR fair.txt', io.BytesIO(b'fair share')))
                [g.close() for g in hogs]
                """);
        assertThat(result.output()).as(result.output()).contains("HOGGED 3", "HOG 421", "PASV OK 227", "STOR OK 226")
                .doesNotContain("PASV ERR");
    }

    @Test
    void userRevealsNothingAndTheConnectionLimitIsDecidedAtPass() {
        ExternalCommand.Result result = python("""
                first = login('127.0.0.1', 'single', 'single-password')
                def user_reply(name):
                    s = raw('127.0.0.17')
                    line(s)
                    t = time.perf_counter()
                    reply = send(s, 'USER ' + name)
                    elapsed = time.perf_counter() - t
                    send(s, 'QUIT')
                    while s.recv(1024):
                        pass
                    s.close()
                    return reply, elapsed
                known = [user_reply('single') for i in range(10)]
                unknown = [user_reply('nobody-at-all') for i in range(10)]
                print('KNOWN', set(r for r, e in known))
                print('UNKNOWN', set(r for r, e in unknown))
                median = lambda xs: sorted(xs)[len(xs) // 2]
                print('GAPMS', abs(median([e for r, e in known]) - median([e for r, e in unknown])) * 1000)
                s = raw('127.0.0.1')
                line(s)
                print('SECOND_USER', send(s, 'USER single'))
                print('SECOND_WRONG', send(s, 'PASS wrong-password'))
                print('SECOND_USER_AGAIN', send(s, 'USER single'))
                print('SECOND_RIGHT', send(s, 'PASS single-password'))
                """);
        String output = result.output();
        assertThat(output).as(output).contains("KNOWN {'331 User name okay, need password.'}",
                "UNKNOWN {'331 User name okay, need password.'}", "SECOND_USER 331", "SECOND_WRONG 530",
                "SECOND_RIGHT 421");
        double gap = Double.parseDouble(output.replaceAll("(?s).*GAPMS ([0-9.]+).*", "$1"));
        assertThat(gap).as("USER timing gap in ms").isLessThan(20);
    }

    @Test
    void userWhileLoggedInIsASequenceErrorAndTheSessionGoesOn() {
        ExternalCommand.Result result = python("""
                f = login('127.0.0.1', 'alice', 'alice-password')
                attempt('SAME', lambda: f.sendcmd('USER alice'))
                attempt('OTHER', lambda: f.sendcmd('USER bob'))
                attempt('NOOP', lambda: f.sendcmd('NOOP'))
                attempt('PWD', lambda: f.pwd())
                """);
        assertThat(result.output()).as(result.output()).contains("SAME ERR 503", "OTHER ERR 503", "NOOP OK 200", "PWD OK /");
    }

    @Test
    void portAndEprtToAPrivilegedPortAreRefused() {
        ExternalCommand.Result result = python("""
                f = login('127.0.0.1', 'alice', 'alice-password')
                attempt('PORT22', lambda: f.sendcmd('PORT 127,0,0,1,0,22'))
                attempt('EPRT25', lambda: f.sendcmd('EPRT |1|127.0.0.1|25|'))
                f.set_pasv(False)
                attempt('ACTIVE', lambda: f.storbinary('STOR active.txt', io.BytesIO(b'active')))
                """);
        assertThat(result.output()).as(result.output()).contains("PORT22 ERR 504", "EPRT25 ERR 504", "ACTIVE OK 226");
    }

    @Test
    void anOverlongPassLineAndAResetLeaveOneLogLineEachAndNoSecret(CapturedOutput log) {
        String secret = "Sup3rSecretPassword";
        ExternalCommand.Result result = python("""
                import struct
                s = raw('127.0.0.18')
                line(s)
                print('USER', send(s, 'USER alice'))
                print('LONG', send(s, 'PASS ' + '%s' * 600))
                print('AGAIN', send(s, 'USER alice'))
                r = raw('127.0.0.18')
                line(r)
                r.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
                r.sendall(b'USER alice\\r\\n')
                r.close()
                time.sleep(1)
                """.formatted(secret));
        assertThat(result.output()).as(result.output()).contains("LONG 500", "AGAIN 331");
        // the reset's line comes when the server's I/O thread sees it, which on a busy machine can be after the client's wait
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(log.getAll()).contains("FTP connection lost"));
        String hex = toHex(secret.substring(0, 6));
        assertThat(log.getAll()).doesNotContain(secret).doesNotContainIgnoringCase(hex)
                .doesNotContain("Hexdump", "at org.apache.mina", "Exception caught")
                .contains("reason=command line too long");
        legitimateClientStillWorks();
    }

    @Test
    void disablingOrDeletingAUserEndsItsOpenSessions() {
        api.createUser("fired", "fired-password", "hardening", "/", Api.ALL);
        api.createUser("removed", "removed-password", "hardening", "/", Api.ALL);
        ExternalCommand.Result result = python("""
                import urllib.request, base64
                def rest(method, path, body=None):
                    request = urllib.request.Request('%s' + path, method=method, data=body,
                        headers={'Authorization': 'Basic ' + base64.b64encode(b'%s').decode(),
                                 'Content-Type': 'application/json'})
                    return urllib.request.urlopen(request).status
                fired = login('127.0.0.1', 'fired', 'fired-password')
                removed = login('127.0.0.1', 'removed', 'removed-password')
                other = login('127.0.0.1', 'alice', 'alice-password')
                print('BEFORE', fired.sendcmd('NOOP'), removed.sendcmd('NOOP'))
                print('PATCH', rest('PATCH', '/api/v1/users/fired', b'{"enabled":false}'))
                print('DELETE', rest('DELETE', '/api/v1/users/removed'))
                attempt('FIRED', lambda: fired.sendcmd('NOOP'))
                attempt('REMOVED', lambda: removed.sendcmd('NOOP'))
                attempt('OTHER', lambda: other.sendcmd('NOOP'))
                """.formatted(api.base(), Api.ADMIN + ":" + Api.ADMIN_PASSWORD));
        assertThat(result.output()).as(result.output()).contains("BEFORE 200", "PATCH 200", "DELETE 204",
                "FIRED ERR", "REMOVED ERR", "OTHER OK 200");
    }

    private static ExternalCommand.Result curl(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("curl", "-sS", "-i"));
        command.addAll(List.of(args));
        return ExternalCommand.run(command);
    }

    private static String toHex(String text) {
        StringBuilder hex = new StringBuilder();
        for (byte b : text.getBytes(java.nio.charset.StandardCharsets.US_ASCII)) {
            hex.append(hex.isEmpty() ? "" : " ").append("%02x".formatted(b));
        }
        return hex.toString();
    }
}
