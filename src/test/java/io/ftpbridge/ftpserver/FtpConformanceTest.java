package io.ftpbridge.ftpserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.ftpbridge.testsupport.Api;
import io.ftpbridge.testsupport.ExternalCommand;
import io.ftpbridge.testsupport.FtpBridgeTest;
import io.ftpbridge.testsupport.FtpControlConnection;
import io.ftpbridge.testsupport.FtpControlConnection.Reply;
import io.ftpbridge.testsupport.Ftplib;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * What real clients expect of an FTP server, by RFC section (959, 1123, 2389, 2428, 3659 and
 * draft-somers-ftp-mfxx), checked with raw sockets for the exact reply text and with ftplib, lftp
 * and curl for how clients take it.
 */
@FtpBridgeTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FtpConformanceTest {

    private static final String USER = "conform-user";
    private static final String PASSWORD = "conform-password";

    @LocalServerPort
    int httpPort;

    @Autowired
    FtpServerLifecycle ftp;

    Api api;
    Path storage;

    @BeforeAll
    void createAccounts() {
        api = new Api(httpPort);
        api.post("/api/v1/folders", "{\"name\":\"conform\",\"quotaBytes\":1000000,\"quotaFiles\":100}");
        api.createUser(USER, PASSWORD, "conform", "/", Api.ALL);
        storage = Path.of(api.get("/api/v1/folders/conform").json().get("location").asString());
        api.createUser("conform-renamer", "renamer-password", "conform", "/", "LIST", "READ", "RENAME");
        api.createUser("conform-mounted", "mounted-password", "conform", "/mnt/conform", Api.ALL);
        api.post("/api/v1/folders", "{\"name\":\"conform-small\",\"quotaBytes\":100,\"quotaFiles\":2}");
        api.createUser("conform-small", "small-password", "conform-small", "/", Api.ALL);
    }

    private FtpControlConnection login() {
        return FtpControlConnection.login("127.0.0.1", ftp.port(), USER, PASSWORD);
    }

    private Path dir(String name) throws Exception {
        return Files.createDirectories(storage.resolve(name));
    }

    private ExternalCommand.Result ftplib(String body) {
        return Ftplib.run(ftp.port(), USER, PASSWORD, body + "\nf.quit()");
    }

    private ExternalCommand.Result lftp(String commands) {
        return ExternalCommand.run(List.of("lftp", "-u", USER + "," + PASSWORD, "-p", String.valueOf(ftp.port()), "-e",
                "set net:max-retries 2; set net:reconnect-interval-base 1; set net:timeout 10; " + commands + "; bye",
                "127.0.0.1"));
    }

    // --- permanent failures are 5xx, with the cause -------------------------------------------

    @Test
    void rfc959_4_2_deleOfMissingFileIsPermanent550() {
        try (FtpControlConnection c = login()) {
            assertThat(c.send("DELE /no-such-file.txt").text()).isEqualTo("550 /no-such-file.txt: No such file or directory.");
        }
        // lftp gives up at once on a 5xx (on the 450 it used to re-send DELE for minutes)
        ExternalCommand.Result rm = lftp("rm /no-such-file.txt");
        assertThat(rm.ok()).isFalse();
        assertThat(rm.output()).contains("550");
        assertThat(ftplib("attempt('DELE', lambda: f.delete('/no-such-file.txt'))").output())
                .contains("DELE ERR 550 /no-such-file.txt: No such file or directory.");
    }

    @Test
    void rfc959_4_2_rmdOfNonEmptyDirectoryIsPermanent550NamingTheCause() throws Exception {
        Files.writeString(dir("full").resolve("keep.txt"), "keep");
        try (FtpControlConnection c = login()) {
            assertThat(c.send("RMD /full").text()).isEqualTo("550 /full: Directory not empty.");
            assertThat(c.send("RMD /full/keep.txt").text()).isEqualTo("550 /full/keep.txt: Not a directory; use DELE.");
            assertThat(c.send("DELE /full").text()).isEqualTo("550 /full: Is a directory; use RMD.");
            assertThat(c.send("RMD /no-such-dir").text()).isEqualTo("550 /no-such-dir: No such file or directory.");
        }
        assertThat(storage.resolve("full/keep.txt")).hasContent("keep");
    }

    @Test
    void rfc959_4_1_3_statOfMissingPathIs550AndOfAFileIs213() throws Exception {
        Files.writeString(dir("stat").resolve("s.txt"), "12345");
        try (FtpControlConnection c = login()) {
            assertThat(c.send("STAT /no-such-path").text()).isEqualTo("550 /no-such-path: No such file or directory.");
            Reply file = c.send("STAT /stat/s.txt");
            assertThat(file.code()).isEqualTo(213);
            assertThat(file.text()).contains("s.txt").contains(" 5 ");
            Reply directory = c.send("STAT /stat");
            assertThat(directory.code()).isEqualTo(212);
            assertThat(directory.text()).contains("s.txt");
        }
    }

    @Test
    void rfc3659_7_2_mlstOfMissingPathIs550() {
        try (FtpControlConnection c = login()) {
            assertThat(c.send("MLST /no-such-path").text()).isEqualTo("550 /no-such-path: No such file or directory.");
        }
    }

    @Test
    void rfc959_4_1_3_rnfrOfMissingFileIs550NotPending350() {
        try (FtpControlConnection c = login()) {
            assertThat(c.send("RNFR /no-such-file").text()).isEqualTo("550 /no-such-file: No such file or directory.");
            assertThat(c.send("RNTO /anything").code()).isEqualTo(503);
        }
    }

    // --- RNTO onto an existing file ------------------------------------------------------------

    @Test
    void rfc959_4_1_3_rntoOntoAnExistingFileReplacesItAndTheQuotaCountsItOnce() throws Exception {
        dir("replace");
        long bytesBefore = usage("bytes");
        long filesBefore = usage("files");
        ExternalCommand.Result result = ftplib("""
                f.storbinary('STOR /replace/report.csv', io.BytesIO(b'old' * 1000))
                f.storbinary('STOR /replace/report.csv.tmp', io.BytesIO(b'new' * 10))
                print('RN', f.rename('/replace/report.csv.tmp', '/replace/report.csv'))
                print('LIST', sorted(f.nlst('/replace')))
                """);
        assertThat(result.output()).contains("RN 250", "LIST ['report.csv']");
        assertThat(storage.resolve("replace/report.csv")).hasContent("new".repeat(10));
        assertThat(usage("bytes")).isEqualTo(bytesBefore + 30);
        assertThat(usage("files")).isEqualTo(filesBefore + 1);
    }

    @Test
    void rfc959_4_1_3_roomFreedByAReplacingRntoCountsAgainstTheQuotaNoMore() {
        ExternalCommand.Result result = Ftplib.run(ftp.port(), "conform-small", "small-password", """
                attempt('FIRST', lambda: f.storbinary('STOR /a.bin', io.BytesIO(b'a' * 60)))
                attempt('TEMP', lambda: f.storbinary('STOR /a.bin.tmp', io.BytesIO(b'b' * 30)))
                attempt('FULL', lambda: f.storbinary('STOR /c.bin', io.BytesIO(b'c')))
                attempt('RN', lambda: f.rename('/a.bin.tmp', '/a.bin'))
                attempt('AGAIN', lambda: f.storbinary('STOR /c.bin', io.BytesIO(b'c' * 70)))
                attempt('OVER', lambda: f.storbinary('STOR /d.bin', io.BytesIO(b'd')))
                """);
        // 60 + 30 bytes in 2 files: a third file is over the file quota; after the rename 30 bytes in
        // 1 file are left, so 70 more bytes in a second file fit, and then both quotas are full
        assertThat(result.output()).contains("FIRST OK 226", "TEMP OK 226", "FULL ERR 552", "RN OK 250",
                "AGAIN OK 226", "OVER ERR 552");
        var usage = api.get("/api/v1/folders/conform-small").json().get("usage");
        assertThat(usage.get("bytes").asLong()).isEqualTo(100);
        assertThat(usage.get("files").asLong()).isEqualTo(2);
    }

    @Test
    void lftpUploadThroughATemporaryNameReplacesTheFile() throws Exception {
        dir("lftp-temp");
        Files.writeString(storage.resolve("lftp-temp/data.txt"), "previous content");
        Path local = Files.createTempFile("upload-", ".txt");
        Files.writeString(local, "fresh content");
        ExternalCommand.Result put = lftp("set xfer:use-temp-file yes; set xfer:clobber yes; put " + local
                + " -o /lftp-temp/data.txt; cls -a -1 /lftp-temp");
        assertThat(put.ok()).as(put.output()).isTrue();
        assertThat(storage.resolve("lftp-temp/data.txt")).hasContent("fresh content");
        try (var files = Files.list(storage.resolve("lftp-temp"))) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("data.txt");
        }
    }

    @Test
    void rfc959_4_1_3_rntoOntoAFileNeedsWriteOnIt() throws Exception {
        dir("guarded");
        Files.writeString(storage.resolve("guarded/a.txt"), "a");
        Files.writeString(storage.resolve("guarded/b.txt"), "b");
        try (FtpControlConnection c = FtpControlConnection.login("127.0.0.1", ftp.port(), "conform-renamer", "renamer-password")) {
            assertThat(c.send("RNFR /guarded/a.txt").code()).isEqualTo(350);
            assertThat(c.send("RNTO /guarded/b.txt").text())
                    .isEqualTo("550 /guarded/b.txt: permission denied (WRITE needed to replace it)");
            assertThat(c.send("RNFR /guarded/a.txt").code()).isEqualTo(350);
            assertThat(c.send("RNTO /guarded/c.txt").code()).isEqualTo(250);
        }
        assertThat(storage.resolve("guarded/b.txt")).hasContent("b");
        assertThat(storage.resolve("guarded/c.txt")).hasContent("a");
    }

    // --- modification times ----------------------------------------------------------------------

    @Test
    void draftSomersMfxx_mfmtSiteUtimeAndTwoArgumentMdtmSetTheModificationTime() throws Exception {
        Path file = dir("times").resolve("t.txt");
        Files.writeString(file, "t");
        try (FtpControlConnection c = login()) {
            assertThat(c.send("FEAT").lines()).contains(" MFMT");
            assertThat(c.send("MFMT 20010203040506 /times/t.txt").text()).isEqualTo("213 Modify=20010203040506; /times/t.txt");
            assertThat(Files.getLastModifiedTime(file).toInstant()).isEqualTo(Instant.parse("2001-02-03T04:05:06Z"));
            assertThat(c.send("MDTM /times/t.txt").text()).isEqualTo("213 20010203040506");

            assertThat(c.send("SITE UTIME /times/t.txt 20020101000000 20020304050607 20020101000000 UTC").code()).isEqualTo(200);
            assertThat(Files.getLastModifiedTime(file).toInstant()).isEqualTo(Instant.parse("2002-03-04T05:06:07Z"));

            assertThat(c.send("SITE UTIME 200304050607 /times/t.txt").code()).isEqualTo(200);
            assertThat(Files.getLastModifiedTime(file).toInstant()).isEqualTo(Instant.parse("2003-04-05T06:07:00Z"));

            assertThat(c.send("MDTM 20040506070809 /times/t.txt").code()).isEqualTo(213);
            assertThat(Files.getLastModifiedTime(file).toInstant()).isEqualTo(Instant.parse("2004-05-06T07:08:09Z"));

            assertThat(c.send("MFMT 20010203040506 /times/missing.txt").text())
                    .isEqualTo("550 /times/missing.txt: No such file or directory.");
            assertThat(c.send("MFMT yesterday /times/t.txt").code()).isEqualTo(501);
        }
    }

    @Test
    void rfc3659_3_mdtmReadsAndSetsTimesBelowAMountPoint() throws Exception {
        Path file = dir("times-mounted").resolve("m.txt");
        Files.writeString(file, "m");
        try (FtpControlConnection c = FtpControlConnection.login("127.0.0.1", ftp.port(), "conform-mounted", "mounted-password")) {
            assertThat(c.send("MDTM 20050607080910 /mnt/conform/times-mounted/m.txt").code()).isEqualTo(213);
            assertThat(c.send("MDTM /mnt/conform/times-mounted/m.txt").text()).isEqualTo("213 20050607080910");
            assertThat(c.send("MDTM /mnt").text()).isEqualTo("550 /mnt: Not a plain file.");
            assertThat(c.send("MFMT 20050607080910 /mnt").code()).isEqualTo(550);
        }
        assertThat(Files.getLastModifiedTime(file).toInstant()).isEqualTo(Instant.parse("2005-06-07T08:09:10Z"));
    }

    @Test
    void draftSomersMfxx_settingATimeNeedsWrite() throws Exception {
        Path file = dir("times-guarded").resolve("g.txt");
        Files.writeString(file, "g");
        FileTime before = Files.getLastModifiedTime(file);
        try (FtpControlConnection c = FtpControlConnection.login("127.0.0.1", ftp.port(), "conform-renamer", "renamer-password")) {
            assertThat(c.send("MFMT 20010203040506 /times-guarded/g.txt").code()).isEqualTo(550);
            assertThat(c.send("SITE UTIME 20010203040506 /times-guarded/g.txt").code()).isEqualTo(550);
            assertThat(c.send("MDTM 20010203040506 /times-guarded/g.txt").code()).isEqualTo(550);
        }
        assertThat(Files.getLastModifiedTime(file)).isEqualTo(before);
    }

    @Test
    void lftpMirrorReverseKeepsModificationTimes() throws Exception {
        Path local = Files.createTempDirectory("mirror-times-");
        Files.createDirectories(local.resolve("sub"));
        Files.writeString(local.resolve("top.txt"), "top");
        Files.writeString(local.resolve("sub/leaf.txt"), "leaf");
        FileTime old = FileTime.from(Instant.parse("2010-06-07T08:09:10Z"));
        Files.setLastModifiedTime(local.resolve("top.txt"), old);
        Files.setLastModifiedTime(local.resolve("sub/leaf.txt"), old);
        ExternalCommand.Result mirror = lftp("mirror -R " + local + " /mirrored");
        assertThat(mirror.ok()).as(mirror.output()).isTrue();
        assertThat(Files.getLastModifiedTime(storage.resolve("mirrored/top.txt"))).isEqualTo(old);
        assertThat(Files.getLastModifiedTime(storage.resolve("mirrored/sub/leaf.txt"))).isEqualTo(old);
    }

    // --- EPSV, EPRT and IPv6 ----------------------------------------------------------------------

    @Test
    void rfc2428_4_afterEpsvAllOnlyEpsvSetsUpDataConnections() {
        try (FtpControlConnection c = login()) {
            assertThat(c.send("EPSV ALL").code()).isEqualTo(200);
            assertThat(c.send("PASV").text()).isEqualTo("503 PASV not allowed after EPSV ALL; use EPSV.");
            assertThat(c.send("PORT 127,0,0,1,200,10").code()).isEqualTo(503);
            assertThat(c.send("EPRT |1|127.0.0.1|51210|").code()).isEqualTo(503);
            assertThat(c.send("EPSV").code()).isEqualTo(229);
        }
    }

    @Test
    void rfc2428_2_and_3_otherNetworkProtocolsAre522NamingTheSupportedOne() {
        try (FtpControlConnection c = login()) {
            assertThat(c.send("EPSV 2").text()).isEqualTo("522 Network protocol not supported, use (1)");
            assertThat(c.send("EPSV 3").text()).isEqualTo("522 Network protocol not supported, use (1)");
            assertThat(c.send("EPRT |3|10.0.0.1|5000|").text()).isEqualTo("522 Network protocol not supported, use (1)");
            assertThat(c.send("EPRT |2|::1|5000|").text()).isEqualTo("522 Network protocol not supported, use (1)");
            assertThat(c.send("EPSV 1").code()).isEqualTo(229);
        }
    }

    @Test
    void rfc2428_pasvAndPortOnAnIpv6ConnectionAre522() {
        try (FtpControlConnection c = FtpControlConnection.login("::1", ftp.port(), USER, PASSWORD)) {
            assertThat(c.send("PASV").text()).isEqualTo("522 PASV is IPv4 only and this connection is IPv6; use EPSV with (2)");
            assertThat(c.send("PORT 127,0,0,1,200,10").code()).isEqualTo(522);
            assertThat(c.send("EPSV 1").text()).isEqualTo("522 Network protocol not supported, use (2)");
            assertThat(c.send("EPSV 2").code()).isEqualTo(229);
        }
        // curl falls back to EPSV and transfers
        ExternalCommand.Result list = ExternalCommand.run(List.of("curl", "-sS", "-g", "--max-time", "30",
                "--user", USER + ":" + PASSWORD, "ftp://[::1]:" + ftp.port() + "/"));
        assertThat(list.ok()).as(list.output()).isTrue();
    }

    // --- listings and replies -----------------------------------------------------------------------

    @Test
    void rfc3659_7_2_mlstEntryLineStartsWithASpaceAndCarriesPermAndUnique() throws Exception {
        Files.writeString(dir("mlst").resolve("m.txt"), "mmm");
        try (FtpControlConnection c = login()) {
            Reply reply = c.send("MLST /mlst/m.txt");
            assertThat(reply.lines()).hasSize(3);
            assertThat(reply.lines().get(0)).startsWith("250-");
            assertThat(reply.lines().get(1)).matches(" modify=\\d{14}(\\.\\d{3})?;perm=adfrw;size=3;type=file; /mlst/m.txt");
            assertThat(reply.lines().get(2)).startsWith("250 ");

            assertThat(c.send("OPTS MLST type;unique;size;nonsense;").text()).isEqualTo("200 MLST OPTS type;unique;size;");
            assertThat(c.send("MLST /mlst/m.txt").lines().get(1)).matches(" type=file;unique=[0-9A-Za-z]+;size=3; /mlst/m.txt");
            assertThat(c.send("MLST /mlst").lines().get(1)).matches(" type=dir;unique=[0-9A-Za-z]+; /mlst");
        }
        try (FtpControlConnection c = FtpControlConnection.login("127.0.0.1", ftp.port(), "conform-renamer", "renamer-password")) {
            assertThat(c.send("MLST /mlst/m.txt").lines().get(1)).contains("perm=fr;");
            assertThat(c.send("MLST /mlst").lines().get(1)).contains("perm=efl;");
        }
    }

    @Test
    void rfc3659_7_8_featMarksDefaultFactsWithAStarAndEndsEachWithASemicolon() {
        try (FtpControlConnection c = login()) {
            Reply feat = c.send("FEAT");
            assertThat(feat.lines()).contains(" MLST modify*;perm*;size*;type*;unique;", " MD5", " MFMT");
            assertThat(feat.lines().subList(1, feat.lines().size() - 1)).allMatch(l -> l.startsWith(" "));
            assertThat(feat.text()).doesNotContain("MODE Z");
        }
        ExternalCommand.Result facts = ftplib("""
                f.storbinary('STOR /mlsd-facts.txt', io.BytesIO(b'abc'))
                print('FACTS', sorted(dict(f.mlsd('/'))['mlsd-facts.txt'].items()))
                """);
        assertThat(facts.output()).containsPattern("FACTS \\[\\('modify', '\\d+(\\.\\d+)?'\\), \\('perm', 'adfrw'\\), "
                + "\\('size', '3'\\), \\('type', 'file'\\)\\]");
    }

    @Test
    void rfc3659_4_sizeInTypeAIsTheSizeAsTransferred() throws Exception {
        Files.writeString(dir("ascii").resolve("lines.txt"), "one\ntwo\r\nthree\n");
        try (FtpControlConnection c = login()) {
            assertThat(c.send("TYPE I").code()).isEqualTo(200);
            assertThat(c.send("SIZE /ascii/lines.txt").text()).isEqualTo("213 15");
            assertThat(c.send("TYPE A").code()).isEqualTo(200);
            assertThat(c.send("SIZE /ascii/lines.txt").text()).isEqualTo("213 17");
            // and that is what a RETR in TYPE A sends
            int port = FtpControlConnection.epsvPort(c.send("EPSV"));
            try (Socket data = new Socket("127.0.0.1", port)) {
                assertThat(c.send("RETR /ascii/lines.txt").code()).isEqualTo(150);
                try (InputStream in = data.getInputStream()) {
                    assertThat(in.readAllBytes()).hasSize(17);
                }
            }
            assertThat(c.read().code()).isEqualTo(226);
        }
    }

    @Test
    void rfc959_appendixII_257RepliesDoubleEmbeddedQuotes() {
        try (FtpControlConnection c = login()) {
            assertThat(c.send("MKD /say \"hi\"").text()).isEqualTo("257 \"/say \"\"hi\"\"\" created.");
            assertThat(c.send("CWD /say \"hi\"").code()).isEqualTo(250);
            assertThat(c.send("PWD").text()).isEqualTo("257 \"/say \"\"hi\"\"\" is the current directory.");
        }
        // ftplib's parse257 undoes the doubling
        assertThat(ftplib("print('MKD', f.mkd('/quote\"d'))").output()).contains("MKD /quote\"d");
    }

    @Test
    void listHidesDotFilesUnlessDashAButMlsdShowsThem() throws Exception {
        Files.writeString(dir("dots").resolve(".profile"), "p");
        Files.writeString(storage.resolve("dots/visible.txt"), "v");
        String url = "ftp://127.0.0.1:" + ftp.port() + "/dots/";
        ExternalCommand.Result plain = ExternalCommand.run(List.of("curl", "-sS", "--user", USER + ":" + PASSWORD, url));
        ExternalCommand.Result all = ExternalCommand.run(List.of("curl", "-sS", "--user", USER + ":" + PASSWORD, "-X", "LIST -a", url));
        ExternalCommand.Result named = ExternalCommand.run(List.of("curl", "-sS", "--user", USER + ":" + PASSWORD,
                "-X", "LIST .profile", url));
        assertThat(plain.output()).contains("visible.txt").doesNotContain(".profile");
        assertThat(named.output()).contains(".profile").doesNotContain("visible.txt");
        assertThat(all.output()).contains("visible.txt", ".profile");
        assertThat(ftplib("print('MLSD', sorted(n for n, _ in f.mlsd('/dots')))").output())
                .contains("MLSD ['.profile', 'visible.txt']");
    }

    @Test
    void rfc959_4_1_3_alloIsANoOpAndTypeL8IsBinary() throws Exception {
        try (FtpControlConnection c = login()) {
            assertThat(c.send("ALLO 1000").code()).isEqualTo(202);
            assertThat(c.send("TYPE L 8").code()).isEqualTo(200);
            assertThat(c.send("TYPE L 7").code()).isEqualTo(504);
        }
        byte[] bytes = "a\nb\r\nc\n".getBytes();
        ExternalCommand.Result result = ftplib("""
                f.sendcmd('TYPE L 8')
                f.sendcmd('ALLO 7')
                f.storbinary('STOR /l8.bin', io.BytesIO(b'a\\nb\\r\\nc\\n'))
                """);
        assertThat(result.ok()).as(result.output()).isTrue();
        assertThat(Files.readAllBytes(storage.resolve("l8.bin"))).isEqualTo(bytes);
    }

    @Test
    void rfc2389_3_featSystHelpAndNoopWorkBeforeLogin() {
        try (FtpControlConnection c = new FtpControlConnection("127.0.0.1", ftp.port())) {
            assertThat(c.send("FEAT").lines()).contains(" EPSV", " MFMT");
            assertThat(c.send("SYST").text()).startsWith("215 UNIX");
            assertThat(c.send("HELP").code()).isEqualTo(214);
            assertThat(c.send("NOOP").code()).isEqualTo(200);
            assertThat(c.send("PWD").code()).isEqualTo(530);
            assertThat(c.send("USER " + USER).code()).isEqualTo(331);
            assertThat(c.send("PASS " + PASSWORD).code()).isEqualTo(230);
        }
    }

    @Test
    void rfc959_4_1_3_helpListsOnlyCommandsThatExist() {
        try (FtpControlConnection c = login()) {
            Reply help = c.send("HELP");
            List<String> listed = help.lines().subList(1, help.lines().size() - 1).stream()
                    .flatMap(l -> Arrays.stream(l.trim().split(" +"))).toList();
            assertThat(listed).contains("FEAT", "EPSV", "EPRT", "MLSD", "MLST", "OPTS", "MFMT", "SIZE", "MDTM", "ALLO");
            for (String command : listed) {
                if (List.of("QUIT", "REIN", "USER", "PASS", "STOU", "ABOR", "PASV", "EPSV").contains(command)) {
                    continue; // they end or change the session, or set up a data connection; tested elsewhere
                }
                Reply reply = c.send(command);
                assertThat(reply.code()).as(command + ": " + reply.text()).isNotIn(500, 502);
                if (reply.code() == 150) {
                    c.read();
                }
            }
        }
    }

    @Test
    void rfc959_5_4_unknownCommandIsNamedWholeIn502() {
        try (FtpControlConnection c = login()) {
            assertThat(c.send("XYZZY plugh").text()).isEqualTo("502 Command XYZZY not implemented.");
            assertThat(c.send("XCUP").code()).isEqualTo(250);
            assertThat(c.send("LANG zh-tw").text()).isEqualTo("502 Command LANG not implemented.");
        }
    }

    @Test
    void md5IsAdvertisedAndMatchesTheContentWhileModeZIsRefused() throws Exception {
        Files.writeString(storage.resolve("sum.txt"), "checksum me");
        try (FtpControlConnection c = login()) {
            assertThat(c.send("FEAT").lines()).contains(" MD5");
            String md5 = java.util.HexFormat.of().withUpperCase().formatHex(
                    java.security.MessageDigest.getInstance("MD5").digest("checksum me".getBytes()));
            assertThat(c.send("MD5 /sum.txt").text()).isEqualTo("251 /sum.txt " + md5);
            assertThat(c.send("XMD5 /sum.txt").text()).isEqualTo("251 /sum.txt " + md5);
            assertThat(c.send("MODE Z").code()).isEqualTo(504);
            assertThat(c.send("MODE S").code()).isEqualTo(200);
        }
    }

    private long usage(String field) {
        return api.get("/api/v1/folders/conform").json().get("usage").get(field).asLong();
    }
}
