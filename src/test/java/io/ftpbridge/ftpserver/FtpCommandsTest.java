package io.ftpbridge.ftpserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.ftpbridge.testsupport.Api;
import io.ftpbridge.testsupport.ExternalCommand;
import io.ftpbridge.testsupport.FtpBridgeTest;
import io.ftpbridge.testsupport.Ftplib;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The everyday commands, driven by Python's ftplib and by lftp against the running server. */
@FtpBridgeTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FtpCommandsTest {

    @LocalServerPort
    int httpPort;

    @Autowired
    FtpServerLifecycle ftp;

    @BeforeAll
    void createAccount() {
        new Api(httpPort).createFolderAndUser("commands", "cmd-user", "cmd-password", "/work", Api.ALL);
    }

    private ExternalCommand.Result ftplib(String body) {
        return Ftplib.run(ftp.port(), "cmd-user", "cmd-password", body + "\nf.quit()");
    }

    @Test
    void featAdvertisesTheContractFeatures() {
        ExternalCommand.Result result = ftplib("print(f.sendcmd('FEAT'))");
        assertThat(result.ok()).as(result.output()).isTrue();
        assertThat(result.output()).contains("EPRT", "EPSV", "MDTM", "MLST", "PASV", "REST STREAM", "SIZE", "UTF8")
                .doesNotContain("AUTH TLS");
    }

    @Test
    void mkdirUploadMlsdRenameDeleteRmdirWorkInOrder() {
        ExternalCommand.Result result = ftplib("""
                print('MKD', f.mkd('/work/reports'))
                f.storbinary('STOR /work/reports/a.txt', io.BytesIO(b'alpha'))
                print('MLSD', sorted((n, fa['type'], fa.get('size')) for n, fa in f.mlsd('/work/reports')))
                print('RN', f.rename('/work/reports/a.txt', '/work/reports/b.txt'))
                print('SIZE', f.size('/work/reports/b.txt'))
                print('NLST', f.nlst('/work/reports'))
                print('DELE', f.delete('/work/reports/b.txt'))
                print('RMD', f.rmd('/work/reports'))
                try:
                    f.cwd('/work/reports')
                    print('CWD ok')
                except ftplib.error_perm as e:
                    print('CWD', e)
                """);
        assertThat(result.ok()).as(result.output()).isTrue();
        assertThat(result.output())
                .contains("MKD /work/reports")
                .contains("MLSD [('a.txt', 'file', '5')]")
                .contains("RN 250")
                .contains("SIZE 5")
                .contains("NLST ['b.txt']")
                .contains("DELE 250")
                .contains("RMD 250")
                .contains("CWD 550");
    }

    @Test
    void appendAddsToTheEndOfAFile() {
        ExternalCommand.Result result = ftplib("""
                f.storbinary('STOR /work/log.txt', io.BytesIO(b'one\\n'))
                f.storbinary('APPE /work/log.txt', io.BytesIO(b'two\\n'))
                out = io.BytesIO()
                f.retrbinary('RETR /work/log.txt', out.write)
                print('CONTENT', repr(out.getvalue()))
                """);
        assertThat(result.ok()).as(result.output()).isTrue();
        assertThat(result.output()).contains("CONTENT b'one\\ntwo\\n'");
    }

    @Test
    void restResumesBothDownloadAndUpload() {
        ExternalCommand.Result result = ftplib("""
                data = bytes(range(256)) * 4096
                f.storbinary('STOR /work/resume.bin', io.BytesIO(data[:300000]))
                f.storbinary('STOR /work/resume.bin', io.BytesIO(data[300000:]), rest=300000)
                print('SIZE', f.size('/work/resume.bin'))
                whole = io.BytesIO()
                f.retrbinary('RETR /work/resume.bin', whole.write)
                print('UPLOAD_EQUAL', whole.getvalue() == data)
                tail = io.BytesIO()
                f.retrbinary('RETR /work/resume.bin', tail.write, rest=1000000)
                print('TAIL_EQUAL', tail.getvalue() == data[1000000:])
                """);
        assertThat(result.ok()).as(result.output()).isTrue();
        assertThat(result.output()).contains("SIZE 1048576", "UPLOAD_EQUAL True", "TAIL_EQUAL True");
    }

    @Test
    void lftpMirrorsADirectoryTreeUpAndBack() throws Exception {
        Path local = Files.createTempDirectory("mirror-src-");
        Files.createDirectories(local.resolve("sub/deeper"));
        Files.writeString(local.resolve("top.txt"), "top");
        Files.writeString(local.resolve("sub/deeper/leaf.txt"), "leaf");
        Path back = Files.createTempDirectory("mirror-back-");
        ExternalCommand.Result result = ExternalCommand.run(List.of("lftp", "-u", "cmd-user,cmd-password",
                "-p", String.valueOf(ftp.port()), "-e",
                "set net:max-retries 1; set net:timeout 20; mirror -R " + local + " /work/tree; "
                        + "mirror /work/tree " + back + "/tree; cls -1 /work/tree; bye", "127.0.0.1"));
        assertThat(result.ok()).as(result.output()).isTrue();
        assertThat(Files.readString(back.resolve("tree/top.txt"))).isEqualTo("top");
        assertThat(Files.readString(back.resolve("tree/sub/deeper/leaf.txt"))).isEqualTo("leaf");
    }

    @Test
    void filesTransferJobsAreStillFillingAreHiddenFromFtpAndRestListings() throws Exception {
        Api api = new Api(httpPort);
        Path storage = Path.of(api.get("/api/v1/folders/commands").json().get("location").asString());
        Files.createDirectories(storage.resolve("incoming"));
        Files.writeString(storage.resolve("incoming/done.csv"), "done");
        Files.writeString(storage.resolve("incoming/.big.bin.ftpbridge-job42.part"), "half");

        ExternalCommand.Result ftpListing = ftplib("print('NLST', sorted(f.nlst('/work/incoming')))");
        assertThat(ftpListing.output()).contains("NLST ['done.csv']");
        String restListing = api.get("/api/v1/folders/commands/files/incoming").text();
        assertThat(restListing).contains("done.csv").doesNotContain("ftpbridge-job42");
    }

    @Test
    void pwdAndCdupStayInsideTheVirtualTree() {
        ExternalCommand.Result result = ftplib("""
                f.cwd('/work')
                print('PWD1', f.pwd())
                f.sendcmd('CDUP')
                f.sendcmd('CDUP')
                print('PWD2', f.pwd())
                print('ROOT', f.nlst())
                """);
        assertThat(result.ok()).as(result.output()).isTrue();
        assertThat(result.output()).contains("PWD1 /work", "PWD2 /", "ROOT ['work']");
    }
}
