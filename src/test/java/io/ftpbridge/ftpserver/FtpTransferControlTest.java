package io.ftpbridge.ftpserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.ftpbridge.testsupport.Api;
import io.ftpbridge.testsupport.ExternalCommand;
import io.ftpbridge.testsupport.FtpBridgeTest;
import io.ftpbridge.testsupport.Ftplib;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The control connection during a data transfer (RFC 959 4.1.3, 5.4; RFC 854 Telnet commands),
 * restart offsets (RFC 3659 5) and bandwidth limits, driven by ftplib, raw sockets, curl and lftp.
 */
@FtpBridgeTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FtpTransferControlTest {

    private static final int BIG = 32 * 1024 * 1024;

    /** A raw control connection in Python: {@code cmd(line)} sends and returns the reply, {@code reply()} reads one. */
    private static final String RAW = """
            import socket, time
            host, port = sys.argv[1], int(sys.argv[2])
            s = socket.create_connection((host, port), timeout=30)
            r = s.makefile('rb')
            def reply():
                line = r.readline().decode('utf-8', 'replace').rstrip('\\r\\n')
                if line[3:4] == '-':
                    code = line[:3]
                    while True:
                        more = r.readline().decode('utf-8', 'replace').rstrip('\\r\\n')
                        line += '\\n' + more
                        if more[:3] == code and more[3:4] == ' ':
                            break
                return line
            def cmd(text):
                s.sendall(text.encode() + b'\\r\\n')
                return reply()
            def login(user, password):
                reply()
                cmd('USER ' + user)
                assert cmd('PASS ' + password).startswith('230')
                cmd('TYPE I')
            def epsv():
                p = int(cmd('EPSV').split('|')[3])
                return socket.create_connection((host, p), timeout=30)
            """;

    @LocalServerPort
    int httpPort;

    @Autowired
    FtpServerLifecycle ftp;

    Api api;
    Path storage;
    byte[] big;

    @BeforeAll
    void createAccounts() throws IOException {
        api = new Api(httpPort);
        api.createFolderAndUser("control", "ctl-user", "ctl-password", "/ctl", Api.ALL);
        // slowed so that a transfer is surely still running when the test interrupts it
        api.createUser("ctl-slow", "ctl-slow-password", "control", "/ctl", Api.ALL);
        assertThat(api.patch("/api/v1/users/ctl-slow", "{\"downloadBytesPerSecond\":2000000,\"uploadBytesPerSecond\":2000000}")
                .status()).isEqualTo(200);
        api.createUser("ctl-paced", "ctl-paced-password", "control", "/ctl", Api.ALL);
        assertThat(api.patch("/api/v1/users/ctl-paced", "{\"downloadBytesPerSecond\":200000,\"uploadBytesPerSecond\":200000}")
                .status()).isEqualTo(200);
        storage = Path.of(api.get("/api/v1/folders/control").json().get("location").asString());
        big = new byte[BIG];
        new Random(7).nextBytes(big);
        Files.write(storage.resolve("big.bin"), big);
    }

    private ExternalCommand.Result raw(String body) {
        return Ftplib.script("127.0.0.1", ftp.port(), RAW + body);
    }

    @Test
    void rfc959_4_1_3_ftplibAbortDuringABigRetrAnswers426Then226AndTheNextCommandWorks() {
        ExternalCommand.Result result = Ftplib.run(ftp.port(), "ctl-slow", "ctl-slow-password", """
                import time
                f.voidcmd('TYPE I')
                conn = f.transfercmd('RETR /ctl/big.bin')
                got = len(conn.recv(65536))
                started = time.time()
                print('ABORT', f.abort()[:3])
                print('THEN', f.voidresp()[:3])
                print('FAST', time.time() - started < 3)
                conn.settimeout(5)
                try:
                    while True:
                        chunk = conn.recv(1 << 20)
                        if not chunk:
                            break
                        got += len(chunk)
                    print('DATA', 'closed')
                except OSError as e:
                    print('DATA', 'closed' if not isinstance(e, TimeoutError) else 'open')
                print('PARTIAL', got < %d)
                print('PWD', f.pwd())
                f.quit()
                """.formatted(BIG));
        assertThat(result.output()).contains("ABORT 426", "THEN 226", "FAST True", "DATA closed", "PARTIAL True",
                "PWD /");
    }

    @Test
    void rfc959_4_1_3_plainAborOverARawSocketClosesTheDataConnectionAtOnce() {
        ExternalCommand.Result result = raw("""
                login('ctl-slow', 'ctl-slow-password')
                d = epsv()
                print('RETR', cmd('RETR /ctl/big.bin')[:3])
                d.recv(65536)
                started = time.time()
                s.sendall(b'ABOR\\r\\n')
                print('FIRST', reply()[:3])
                print('SECOND', reply()[:3])
                print('FAST', time.time() - started < 3)
                print('NOOP', cmd('NOOP')[:3])
                """);
        assertThat(result.output()).contains("RETR 150", "FIRST 426", "SECOND 226", "FAST True", "NOOP 200");
    }

    @Test
    void rfc854_telnetInterruptAndSynchWithUrgentDataBeforeAborAreStripped() {
        ExternalCommand.Result result = raw("""
                login('ctl-slow', 'ctl-slow-password')
                s.sendall(b'\\xff\\xf4\\xff\\xf2NOOP\\r\\n')
                print('IPDM', reply()[:3])
                s.sendall(b'\\xff\\xfb\\x18\\xff\\xf1NOOP\\r\\n')
                print('OPTION', reply()[:3])
                d = epsv()
                print('RETR', cmd('RETR /ctl/big.bin')[:3])
                d.recv(65536)
                # as tnftp sends it: IAC IP, then IAC DM as TCP urgent data, then ABOR
                s.sendall(b'\\xff\\xf4')
                s.send(b'\\xff\\xf2', socket.MSG_OOB)
                s.sendall(b'ABOR\\r\\n')
                print('FIRST', reply()[:3])
                print('SECOND', reply()[:3])
                print('NOOP', cmd('NOOP')[:3])
                d2 = epsv()
                print('RETR2', cmd('RETR /ctl/big.bin')[:3])
                d2.recv(65536)
                # as Python's ftplib sends it: the whole ABOR line as urgent data
                s.send(b'ABOR\\r\\n', socket.MSG_OOB)
                print('FIRST2', reply()[:3])
                print('SECOND2', reply()[:3])
                print('PWD', cmd('PWD')[:3])
                """);
        assertThat(result.output()).contains("IPDM 200", "OPTION 200", "RETR 150", "FIRST 426", "SECOND 226",
                "NOOP 200", "RETR2 150", "FIRST2 426", "SECOND2 226", "PWD 257");
    }

    @Test
    void rfc959_4_1_3_statDuringATransferReportsTheBytesSoFar() {
        ExternalCommand.Result result = raw("""
                login('ctl-slow', 'ctl-slow-password')
                d = epsv()
                print('RETR', cmd('RETR /ctl/big.bin')[:3])
                got = 0
                deadline = time.time() + 1.5
                while time.time() < deadline:
                    got += len(d.recv(65536))
                print('STAT', cmd('STAT'))
                print('PWD', cmd('PWD')[:3])
                s.sendall(b'ABOR\\r\\n')
                print('FIRST', reply()[:3])
                print('SECOND', reply()[:3])
                """);
        assertThat(result.output()).contains("RETR 150", "PWD 450", "FIRST 426", "SECOND 226");
        Matcher status = Pattern.compile("STAT 213 Status: RETR /ctl/big.bin: (\\d+) of (\\d+) bytes transferred")
                .matcher(result.output());
        assertThat(status.find()).as(result.output()).isTrue();
        assertThat(Long.parseLong(status.group(1))).isPositive().isLessThan(BIG);
        assertThat(Long.parseLong(status.group(2))).isEqualTo(BIG);
    }

    @Test
    void rfc959_4_1_3_quitDuringATransferClosesAfterTheTransferReply() {
        ExternalCommand.Result result = raw("""
                login('ctl-user', 'ctl-password')
                d = epsv()
                print('STOR', cmd('STOR /ctl/quit.bin')[:3])
                d.sendall(b'q' * 100000)
                s.sendall(b'QUIT\\r\\n')
                time.sleep(0.3)
                d.close()
                print('FIRST', reply()[:3])
                print('SECOND', reply()[:3])
                print('EOF', r.readline() == b'')
                """);
        assertThat(result.output()).contains("STOR 150", "FIRST 226", "SECOND 221", "EOF True");
        assertThat(storage.resolve("quit.bin")).hasSize(100000);
    }

    @Test
    void rfc3659_5_restThenEpsvPasvOrPortThenStorAndRetrUseTheOffset() {
        ExternalCommand.Result result = Ftplib.run(ftp.port(), "ctl-user", "ctl-password", """
                import socket
                data = bytes(range(256)) * 4096
                def open_data(mode):
                    if mode == 'EPSV':
                        p = int(f.sendcmd('EPSV').split('|')[3])
                        return lambda: socket.create_connection(('127.0.0.1', p))
                    if mode == 'PASV':
                        h, p = ftplib.parse227(f.sendcmd('PASV'))
                        return lambda: socket.create_connection((h, p))
                    listener = f.makeport()
                    return lambda: listener.accept()[0]
                for mode in ('EPSV', 'PASV', 'PORT'):
                    name = '/ctl/rest-' + mode + '.bin'
                    f.storbinary('STOR ' + name, io.BytesIO(data[:300000]))
                    f.voidcmd('TYPE I')
                    print(mode, 'REST', f.sendcmd('REST 300000')[:3])
                    connect = open_data(mode)
                    print(mode, 'STOR', f.sendcmd('STOR ' + name)[:3])
                    c = connect()
                    c.sendall(data[300000:])
                    c.close()
                    print(mode, 'DONE', f.voidresp()[:3])
                    print(mode, 'SIZE', f.size(name))
                    whole = io.BytesIO()
                    f.retrbinary('RETR ' + name, whole.write)
                    print(mode, 'UPLOAD_EQUAL', whole.getvalue() == data)
                    f.sendcmd('REST 1000000')
                    connect = open_data(mode)
                    f.sendcmd('RETR ' + name)
                    c = connect()
                    tail = b''
                    while True:
                        chunk = c.recv(65536)
                        if not chunk:
                            break
                        tail += chunk
                    c.close()
                    f.voidresp()
                    print(mode, 'TAIL_EQUAL', tail == data[1000000:])
                f.quit()
                """);
        for (String mode : List.of("EPSV", "PASV", "PORT")) {
            assertThat(result.output()).as(result.output()).contains(mode + " REST 350", mode + " STOR 150",
                    mode + " DONE 226", mode + " SIZE 1048576", mode + " UPLOAD_EQUAL True", mode + " TAIL_EQUAL True");
        }
    }

    @Test
    void restOffsetIsUsedUpByTheTransferThatFollows() {
        ExternalCommand.Result result = Ftplib.run(ftp.port(), "ctl-user", "ctl-password", """
                f.storbinary('STOR /ctl/once.bin', io.BytesIO(b'0123456789'))
                f.voidcmd('TYPE I')
                f.sendcmd('REST 4')
                first = io.BytesIO()
                f.retrbinary('RETR /ctl/once.bin', first.write)
                second = io.BytesIO()
                f.retrbinary('RETR /ctl/once.bin', second.write)
                print('FIRST', first.getvalue())
                print('SECOND', second.getvalue())
                f.quit()
                """);
        assertThat(result.output()).contains("FIRST b'456789'", "SECOND b'0123456789'");
    }

    @Test
    void curlAndLftpResumeBrokenDownloadsAndUploads() throws Exception {
        Path local = Files.createTempDirectory("resume-");
        Files.write(local.resolve("big.bin"), java.util.Arrays.copyOf(big, 5_000_000));
        String url = "ftp://127.0.0.1:" + ftp.port() + "/ctl/";
        ExternalCommand.Result curlDown = ExternalCommand.run(List.of("curl", "-sS", "--user", "ctl-user:ctl-password",
                "-C", "-", "-o", local.resolve("big.bin").toString(), url + "big.bin"));
        assertThat(curlDown.ok()).as(curlDown.output()).isTrue();
        assertThat(Files.readAllBytes(local.resolve("big.bin"))).isEqualTo(big);

        Files.write(storage.resolve("curl-up.bin"), java.util.Arrays.copyOf(big, 3_000_000));
        ExternalCommand.Result curlUp = ExternalCommand.run(List.of("curl", "-sS", "--user", "ctl-user:ctl-password",
                "-C", "-", "-T", local.resolve("big.bin").toString(), url + "curl-up.bin"));
        assertThat(curlUp.ok()).as(curlUp.output()).isTrue();
        assertThat(Files.readAllBytes(storage.resolve("curl-up.bin"))).isEqualTo(big);

        Files.write(local.resolve("lftp-down.bin"), java.util.Arrays.copyOf(big, 7_000_000));
        Files.write(storage.resolve("lftp-up.bin"), java.util.Arrays.copyOf(big, 2_000_000));
        ExternalCommand.Result lftp = ExternalCommand.run(List.of("lftp", "-u", "ctl-user,ctl-password",
                "-p", String.valueOf(ftp.port()), "-e",
                "set net:max-retries 1; set net:timeout 20; lcd " + local + "; cd /ctl; "
                        + "get -c big.bin -o lftp-down.bin; put -c big.bin -o lftp-up.bin; bye", "127.0.0.1"));
        assertThat(lftp.ok()).as(lftp.output()).isTrue();
        assertThat(Files.readAllBytes(local.resolve("lftp-down.bin"))).isEqualTo(big);
        assertThat(Files.readAllBytes(storage.resolve("lftp-up.bin"))).isEqualTo(big);
    }

    @Test
    void bandwidthLimitsHoldADownloadAndAnUploadToTheUsersBytesPerSecond() {
        ExternalCommand.Result result = Ftplib.run(ftp.port(), "ctl-paced", "ctl-paced-password", """
                import time
                f.voidcmd('TYPE I')
                started = time.time()
                got = []
                f.retrbinary('RETR /ctl/big.bin', got.append, rest=%d)
                print('DOWN', sum(map(len, got)), round(time.time() - started, 2))
                started = time.time()
                f.storbinary('STOR /ctl/paced.bin', io.BytesIO(b'p' * 500000))
                print('UP', round(time.time() - started, 2))
                f.quit()
                """.formatted(BIG - 500_000));
        Matcher down = Pattern.compile("DOWN 500000 ([\\d.]+)").matcher(result.output());
        Matcher up = Pattern.compile("UP ([\\d.]+)").matcher(result.output());
        assertThat(down.find() && up.find()).as(result.output()).isTrue();
        // 500 000 bytes at 200 000 bytes per second: 2.5 s, give or take the pacing step
        assertThat(Double.parseDouble(down.group(1))).isBetween(2.2, 8.0);
        assertThat(Double.parseDouble(up.group(1))).isBetween(2.2, 8.0);
    }
}
