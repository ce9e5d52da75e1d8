package io.ftpbridge.ftpserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.ftpbridge.testsupport.Api;
import io.ftpbridge.testsupport.ExternalCommand;
import io.ftpbridge.testsupport.FtpBridgeTest;
import io.ftpbridge.testsupport.Ftplib;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Quotas against FTP uploads held open together: slow APPEs, resumes and STORs into one limited folder. */
@FtpBridgeTest
class FtpQuotaConcurrencyTest {

    private static final int MIB = 1024 * 1024;
    private static final int CHUNK = 300_000;

    @LocalServerPort
    int httpPort;

    @Autowired
    FtpServerLifecycle ftp;

    @Test
    void slowAppendsHeldOpenTogetherNeverTakeAFolderAboveItsQuotaAndRefusedOnesGet552() throws Exception {
        Api api = new Api(httpPort);
        assertThat(api.post("/api/v1/folders", "{\"name\":\"ftp-quota\",\"quotaBytes\":%d}".formatted(MIB)).status())
                .isEqualTo(201);
        api.createUser("ftp-quota-user", "ftp-quota-password", "ftp-quota", "/", Api.ALL);
        Path root = Path.of(api.get("/api/v1/folders/ftp-quota").json().get("location").asString());
        for (int i = 0; i < 6; i++) {
            Files.write(root.resolve("f%d.bin".formatted(i)), filled('a', 10_000));
        }
        // six sessions append 300 kB each in 10 kB blocks with a pause before each block, all at the same time;
        // APPE, REST+STOR (resume) and STOR of a new file alike
        ExternalCommand.Result result = Ftplib.script("127.0.0.1", ftp.port(), """
                import threading, time
                class Slow(io.RawIOBase):
                    def __init__(self, data):
                        self.data, self.pos = data, 0
                    def read(self, n=-1):
                        if self.pos >= len(self.data):
                            return b''
                        time.sleep(0.02)
                        c = self.data[self.pos:self.pos + 10000]
                        self.pos += len(c)
                        return c
                def upload(i):
                    time.sleep(0.15 * i) # each starts while the earlier ones are open with bytes not yet on disk
                    try:
                        c = connect()
                        c.login('ftp-quota-user', 'ftp-quota-password')
                        data = bytes([ord('A') + i]) * %d
                        if i < 4:
                            r = c.storbinary('APPE /f%%d.bin' %% i, Slow(data), blocksize=10000)
                        elif i == 4:
                            r = c.storbinary('STOR /f%%d.bin' %% i, Slow(data), blocksize=10000, rest=10000)
                        else:
                            r = c.storbinary('STOR /new%%d.bin' %% i, Slow(data), blocksize=10000)
                        print('T%%d OK %%s' %% (i, r.split()[0]))
                        c.quit()
                    except (BrokenPipeError, ConnectionResetError):
                        # the server closed the data connection on refusing it; its reply says why
                        try:
                            print('T%%d NOREPLY %%s' %% (i, c.getresp()))
                        except ftplib.all_errors as e:
                            print('T%%d ERR %%s' %% (i, str(e)[:80]))
                    except ftplib.all_errors as e:
                        print('T%%d ERR %%s' %% (i, str(e)[:80]))
                threads = [threading.Thread(target=upload, args=(i,)) for i in range(6)]
                [t.start() for t in threads]
                [t.join() for t in threads]
                """.formatted(CHUNK));
        String output = result.output();
        long accepted = 0;
        int refused = 0;
        for (int i = 0; i < 6; i++) {
            Matcher line = Pattern.compile("T%d (OK|ERR) (\\d{3})".formatted(i)).matcher(output);
            assertThat(line.find()).as(output).isTrue();
            Path file = root.resolve(i < 5 ? "f%d.bin".formatted(i) : "new%d.bin".formatted(i));
            if (line.group(1).equals("OK")) {
                assertThat(line.group(2)).isEqualTo("226");
                byte[] content = Files.readAllBytes(file);
                int kept = i < 5 ? 10_000 : 0;
                assertThat(content).hasSize(kept + CHUNK);
                assertThat(Arrays.copyOfRange(content, kept, content.length)).isEqualTo(filled((char) ('A' + i), CHUNK));
                accepted += CHUNK;
            } else {
                assertThat(line.group(2)).as(output).isEqualTo("552");
                if (i < 5) {
                    assertThat(Files.size(file)).as("a refused upload leaves the file as it was").isEqualTo(10_000);
                } else {
                    assertThat(file).doesNotExist();
                }
                refused++;
            }
        }
        assertThat(refused).as(output).isPositive();
        assertThat(accepted).as(output).isGreaterThanOrEqualTo(2L * CHUNK);
        long usage = api.get("/api/v1/folders/ftp-quota").json().get("usage").get("bytes").asLong();
        assertThat(usage).isEqualTo(60_000 + accepted).isLessThanOrEqualTo(MIB);

        ExternalCommand.Result small = Ftplib.run(ftp.port(), "ftp-quota-user", "ftp-quota-password",
                "attempt('STOR', lambda: f.storbinary('STOR /small.txt', io.BytesIO(b'x' * 100)))");
        assertThat(small.output()).contains("STOR OK 226");
    }

    private static byte[] filled(char fill, int size) {
        byte[] b = new byte[size];
        Arrays.fill(b, (byte) fill);
        return b;
    }
}
