package io.ftpbridge.transfers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ftpbridge.folders.FolderService;
import io.ftpbridge.ftpserver.FtpServerLifecycle;
import io.ftpbridge.storage.StorageService;
import io.ftpbridge.testsupport.Api;
import io.ftpbridge.testsupport.FtpBridgeTest;
import io.ftpbridge.testsupport.FtpPeers;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Transfer jobs against a real vsftpd on loopback: big files keep their checksum both ways, mget
 * and mput move many files, a throttled server lets cancel and a killed server be timed.
 */
@FtpBridgeTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TransferJobsTest {

    /** Size of the big-file case; 200 MB as the issue asks, smaller with -Dftpbridge.test.big-mb=N. */
    static final int BIG_MB = Integer.getInteger("ftpbridge.test.big-mb", 200);

    @LocalServerPort
    int httpPort;

    @Autowired
    FolderService folders;

    @Autowired
    FtpServerLifecycle ftp;

    @Autowired
    StorageService storage;

    Api api;
    FtpPeers.Peer fast;
    FtpPeers.Peer slow;
    Path folderRoot;

    @BeforeAll
    void startPeers() {
        api = new Api(httpPort);
        fast = FtpPeers.vsftpd(FtpPeers.options().passivePorts(26000, 26039));
        slow = FtpPeers.vsftpd(FtpPeers.options().passivePorts(26040, 26079).maxBytesPerSecond(1_000_000));
        TransferTestSupport.createRemote(api, "jobs-fast", fast, "EPSV");
        TransferTestSupport.createRemote(api, "jobs-slow", slow, "PASV");
        assertThat(api.post("/api/v1/folders", "{\"name\":\"jobs\"}").status()).isEqualTo(201);
        folderRoot = folders.storageOf("jobs").root();
    }

    @AfterAll
    void stopPeers() {
        fast.close();
        slow.close();
    }

    @Test
    void bigDownloadAndUploadKeepTheirChecksum() throws Exception {
        Path source = fast.put("big/source.bin", TransferTestSupport.randomBytes(1, 1024 * 1024));
        try (var out = Files.newOutputStream(source, java.nio.file.StandardOpenOption.APPEND)) {
            byte[] chunk = TransferTestSupport.randomBytes(2, 1024 * 1024);
            for (int i = 1; i < BIG_MB; i++) {
                chunk[0] = (byte) i; // no two megabytes alike
                out.write(chunk);
            }
        }
        long size = Files.size(source);

        JsonNode down = TransferTestSupport.awaitState(api, submit("""
                {"remote":"jobs-fast","direction":"DOWNLOAD","remotePath":"/big/source.bin","folder":"jobs",
                 "localPath":"big.bin","verify":true}"""), "SUCCEEDED", Duration.ofSeconds(120));
        assertThat(down.get("progress").get("bytesDone").asLong()).isEqualTo(size);
        assertThat(down.get("progress").get("percent").asDouble()).isEqualTo(100.0);
        assertThat(TransferTestSupport.sha256(folderRoot.resolve("big.bin"))).isEqualTo(TransferTestSupport.sha256(source));

        JsonNode up = TransferTestSupport.awaitState(api, submit("""
                {"remote":"jobs-fast","direction":"UPLOAD","remotePath":"/copy.bin","folder":"jobs",
                 "localPath":"big.bin","verify":true}"""), "SUCCEEDED", Duration.ofSeconds(120));
        assertThat(up.get("files").get(0).get("size").asLong()).isEqualTo(size);
        assertThat(TransferTestSupport.sha256(fast.root().resolve("copy.bin"))).isEqualTo(TransferTestSupport.sha256(source));
        try (Stream<Path> left = Files.list(fast.root())) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".part"));
        }
        String transcript = api.get("/api/v1/transfers/" + up.get("id").asLong() + "/transcript").text();
        assertThat(transcript).contains("> EPSV", "> STOR /.copy.bin.ftpbridge-job", "> RNFR ", "> RNTO /copy.bin",
                "> PASS ****").doesNotContain(FtpPeers.PASSWORD);
    }

    @Test
    void mgetAndMputMoveAHundredFilesMatchingTheGlob() throws Exception {
        for (int i = 0; i < 100; i++) {
            fast.put("many/file-%03d.dat".formatted(i), TransferTestSupport.randomBytes(100 + i, 10_000 + i));
        }
        fast.put("many/not-matching.txt", new byte[10]);

        JsonNode mget = TransferTestSupport.awaitState(api, submit("""
                {"remote":"jobs-fast","direction":"DOWNLOAD","remotePath":"/many/*.dat","glob":true,"folder":"jobs",
                 "localPath":"many"}"""), "SUCCEEDED", Duration.ofSeconds(60));
        assertThat(mget.get("progress").get("files").asInt()).isEqualTo(100);
        assertThat(mget.get("progress").get("filesDone").asInt()).isEqualTo(100);
        try (Stream<Path> files = Files.list(folderRoot.resolve("many"))) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).hasSize(100).allMatch(n -> n.endsWith(".dat"));
        }
        for (int i = 0; i < 100; i += 33) {
            String name = "many/file-%03d.dat".formatted(i);
            assertThat(Files.readAllBytes(folderRoot.resolve(name))).isEqualTo(Files.readAllBytes(fast.root().resolve(name)));
        }

        JsonNode mput = TransferTestSupport.awaitState(api, submit("""
                {"remote":"jobs-fast","direction":"UPLOAD","remotePath":"/back","glob":true,"folder":"jobs",
                 "localPath":"many/file-0*.dat"}"""), "SUCCEEDED", Duration.ofSeconds(60));
        assertThat(mput.get("progress").get("filesDone").asInt()).isEqualTo(100);
        try (Stream<Path> files = Files.list(fast.root().resolve("back"))) {
            assertThat(files.count()).isEqualTo(100);
        }
        String metrics = api.get("/actuator/prometheus").text();
        assertThat(metrics).containsPattern("ftpbridge_transfers_jobs\\{[^}]*state=\"SUCCEEDED\"[^}]*} [1-9]");
    }

    @Test
    void recursiveMgetWalksSubdirectoriesAndKeepsTheirLayout() throws Exception {
        fast.put("tree/top.dat", new byte[] {1});
        fast.put("tree/a/x.dat", new byte[] {2});
        fast.put("tree/b/c/y.dat", new byte[] {3});
        fast.put("tree/b/c/skip.txt", new byte[] {4});

        JsonNode job = TransferTestSupport.awaitState(api, submit("""
                {"remote":"jobs-fast","direction":"DOWNLOAD","remotePath":"/tree/*.dat","glob":true,"recursive":true,
                 "folder":"jobs","localPath":"tree"}"""), "SUCCEEDED", Duration.ofSeconds(30));
        assertThat(job.get("progress").get("files").asInt()).isEqualTo(3);
        assertThat(Files.readAllBytes(folderRoot.resolve("tree/top.dat"))).containsExactly(1);
        assertThat(Files.readAllBytes(folderRoot.resolve("tree/a/x.dat"))).containsExactly(2);
        assertThat(Files.readAllBytes(folderRoot.resolve("tree/b/c/y.dat"))).containsExactly(3);
        assertThat(folderRoot.resolve("tree/b/c/skip.txt")).doesNotExist();
    }

    @Test
    void transfersAreVerifiedWithTheServersChecksumWhereItOffersOne() throws Exception {
        // ftpbridge's own FTP server (Apache FtpServer) answers MD5; vsftpd offers no checksum command
        api.createFolderAndUser("checksums", "sum-user", "sum-password", "/", Api.ALL);
        Path source = folders.storageOf("checksums").root().resolve("sum.bin");
        Files.write(source, TransferTestSupport.randomBytes(21, 3 * 1024 * 1024));
        TransferTestSupport.createRemote(api, "self", "127.0.0.1", ftp.port(), "sum-user", "sum-password", "EPSV");
        String md5 = TransferTestSupport.digest("MD5", source);

        roundTripIsVerified("self", "sum", "MD5", "MD5", md5);
        assertThat(TransferTestSupport.digest("MD5", source.resolveSibling("sum-copy.bin"))).isEqualTo(md5);
    }

    @Test
    void aFileThatChangesUnderADownloadFailsItsChecksumAndLeavesNothingBehind() throws Exception {
        api.createFolderAndUser("shifting", "shift-user", "shift-password", "/", Api.ALL);
        assertThat(api.patch("/api/v1/users/shift-user", "{\"downloadBytesPerSecond\":1048576}").status()).isEqualTo(200);
        Path source = folders.storageOf("shifting").root().resolve("moving.bin");
        int size = 3 * 1024 * 1024;
        Files.write(source, TransferTestSupport.randomBytes(31, size));
        TransferTestSupport.createRemote(api, "self-slow", "127.0.0.1", ftp.port(), "shift-user", "shift-password", "EPSV");

        long id = submit("""
                {"remote":"self-slow","direction":"DOWNLOAD","remotePath":"/moving.bin","folder":"jobs",
                 "localPath":"moving.bin","verify":true}""");
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> job(id).get("progress").get("bytesDone").asLong() > 512 * 1024);
        // another writer rewrites the remote file in place while it is on its way: same size, new bytes
        try (FileChannel channel = FileChannel.open(source, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(TransferTestSupport.randomBytes(32, size)), 0);
        }

        JsonNode failed = TransferTestSupport.awaitState(api, id, "FAILED", Duration.ofSeconds(30));
        assertThat(failed.get("error").asString()).contains("MD5 mismatch");
        assertThat(failed.get("files").get(0).get("state").asString()).isEqualTo("FAILED");
        assertThat(api.get("/api/v1/transfers/" + id + "/transcript").text()).contains("> MD5 /moving.bin");
        assertThat(folderRoot.resolve("moving.bin")).doesNotExist();
        assertThat(TransferTestSupport.partials(folderRoot)).isEmpty();
        assertThat(TransferTestSupport.partials(storage.partialsRoot().resolve("job" + id))).isEmpty();
    }

    @Test
    void transfersAreVerifiedWithHashWhereTheServerListsIt() throws Exception {
        try (ProftpdPeer proftpd = ProftpdPeer.start(26080, 26089)) {
            TransferTestSupport.createRemote(api, "digest", "127.0.0.1", proftpd.port(), ProftpdPeer.USER,
                    ProftpdPeer.PASSWORD, "EPSV");
            Path source = proftpd.put("hashed.bin", TransferTestSupport.randomBytes(23, 2 * 1024 * 1024));
            String sha1 = TransferTestSupport.digest("SHA-1", source);

            roundTripIsVerified("digest", "hashed", "HASH", "SHA-1", sha1);
            assertThat(TransferTestSupport.digest("SHA-1", proftpd.root().resolve("hashed-copy.bin"))).isEqualTo(sha1);
        }
    }

    @Test
    void anUploadReplacesTheRemoteFileWithOneRenameAndDeletesItFirstOnlyWhereTheServerRefusesThat() throws Exception {
        Files.writeString(folderRoot.resolve("replacing.txt"), "new content");

        // vsftpd replaces on RNTO (rename(2)): the target is never missing, and nothing looks for it or deletes it
        fast.put("replace-target.txt", "old".getBytes(StandardCharsets.UTF_8));
        long replaced = submit("""
                {"remote":"jobs-fast","direction":"UPLOAD","remotePath":"/replace-target.txt","folder":"jobs",
                 "localPath":"replacing.txt"}""");
        TransferTestSupport.awaitState(api, replaced, "SUCCEEDED", Duration.ofSeconds(30));
        String partial = ".replace-target.txt.ftpbridge-job" + replaced + ".part";
        assertThat(api.get("/api/v1/transfers/" + replaced + "/transcript").text())
                .contains("> RNFR /" + partial, "> RNTO /replace-target.txt", "< 250 Rename successful.")
                .doesNotContain("> SIZE /replace-target.txt", "> DELE");
        assertThat(fast.root().resolve("replace-target.txt")).hasContent("new content");
        assertThat(fast.root().resolve(partial)).doesNotExist();

        // ProFTPD with AllowOverwrite off refuses RNTO onto an existing file: the target is deleted, then renamed onto
        try (ProftpdPeer proftpd = ProftpdPeer.start(26090, 26099, false)) {
            TransferTestSupport.createRemote(api, "no-overwrite", "127.0.0.1", proftpd.port(), ProftpdPeer.USER,
                    ProftpdPeer.PASSWORD, "EPSV");
            proftpd.put("target.txt", "old".getBytes(StandardCharsets.UTF_8));
            long deletedFirst = submit("""
                    {"remote":"no-overwrite","direction":"UPLOAD","remotePath":"/target.txt","folder":"jobs",
                     "localPath":"replacing.txt"}""");
            TransferTestSupport.awaitState(api, deletedFirst, "SUCCEEDED", Duration.ofSeconds(30));
            String transcript = api.get("/api/v1/transfers/" + deletedFirst + "/transcript").text();
            assertThat(transcript).contains("Rename permission denied", "> DELE /target.txt");
            assertThat(transcript.indexOf("> DELE /target.txt")).isGreaterThan(transcript.indexOf("Rename permission denied"));
            assertThat(transcript.substring(transcript.indexOf("> DELE /target.txt"))).contains("> RNTO /target.txt",
                    "< 250 Rename successful");
            assertThat(proftpd.root().resolve("target.txt")).hasContent("new content");
            assertThat(proftpd.root()).isDirectoryNotContaining("glob:**.part");
        }
    }

    @Test
    void overwriteSkipAndFailLeaveTheExistingFileAlone() throws Exception {
        fast.put("policy/a.txt", "remote".getBytes(StandardCharsets.UTF_8));
        Files.writeString(folderRoot.resolve("a.txt"), "local");

        JsonNode skipped = TransferTestSupport.awaitState(api, submit("""
                {"remote":"jobs-fast","direction":"DOWNLOAD","remotePath":"/policy/a.txt","folder":"jobs",
                 "localPath":"a.txt","overwrite":"SKIP"}"""), "SUCCEEDED", Duration.ofSeconds(30));
        assertThat(skipped.get("files").get(0).get("state").asString()).isEqualTo("SKIPPED");
        JsonNode failed = TransferTestSupport.awaitState(api, submit("""
                {"remote":"jobs-fast","direction":"DOWNLOAD","remotePath":"/policy/a.txt","folder":"jobs",
                 "localPath":"a.txt","overwrite":"FAIL"}"""), "FAILED", Duration.ofSeconds(30));
        assertThat(failed.get("error").asString()).contains("overwrite is FAIL");
        assertThat(Files.readString(folderRoot.resolve("a.txt"))).isEqualTo("local");

        TransferTestSupport.awaitState(api, submit("""
                {"remote":"jobs-fast","direction":"DOWNLOAD","remotePath":"/policy/a.txt","folder":"jobs",
                 "localPath":"a.txt","append":true}"""), "SUCCEEDED", Duration.ofSeconds(30));
        assertThat(Files.readString(folderRoot.resolve("a.txt"))).isEqualTo("localremote");
    }

    @Test
    void aJobUsesItsOwnDataModeAndTransferTypeOverTheRemotes() throws Exception {
        fast.put("modes/text.txt", "line one\nline two\n".getBytes(StandardCharsets.UTF_8));

        long eprt = submit("""
                {"remote":"jobs-fast","direction":"DOWNLOAD","remotePath":"/modes/text.txt","folder":"jobs",
                 "localPath":"modes/eprt.txt","dataMode":"EPRT"}""");
        JsonNode eprtJob = TransferTestSupport.awaitState(api, eprt, "SUCCEEDED", Duration.ofSeconds(30));
        assertThat(eprtJob.get("dataMode").asString()).isEqualTo("EPRT");
        assertThat(api.get("/api/v1/transfers/" + eprt + "/transcript").text()).contains("> EPRT |1|127.0.0.1|", "> TYPE I");

        long ascii = submit("""
                {"remote":"jobs-fast","direction":"DOWNLOAD","remotePath":"/modes/text.txt","folder":"jobs",
                 "localPath":"modes/ascii.txt","dataMode":"PORT","transferType":"ASCII"}""");
        TransferTestSupport.awaitState(api, ascii, "SUCCEEDED", Duration.ofSeconds(30));
        assertThat(api.get("/api/v1/transfers/" + ascii + "/transcript").text()).contains("> TYPE A", "> PORT 127,0,0,1,");
        assertThat(Files.readString(folderRoot.resolve("modes/ascii.txt"))).isEqualTo("line one\nline two\n");
    }

    @Test
    void aJobReusesTheConnectionAnEarlierJobLeftCleanInTheRemotesModeAndTypeButNeverOneThatFailed() throws Exception {
        fast.put("pooled/crlf.txt", "a\r\nb\r\n".getBytes(StandardCharsets.UTF_8));
        TransferTestSupport.createRemote(api, "jobs-pooled", fast, "EPSV");

        long ascii = submit("""
                {"remote":"jobs-pooled","direction":"DOWNLOAD","remotePath":"/pooled/crlf.txt","folder":"jobs",
                 "localPath":"pooled/ascii.txt","dataMode":"PORT","transferType":"ASCII"}""");
        TransferTestSupport.awaitState(api, ascii, "SUCCEEDED", Duration.ofSeconds(30));
        assertThat(api.get("/api/v1/transfers/" + ascii + "/transcript").text()).contains("> PASS ****", "> TYPE A", "> PORT ")
                .doesNotContain("# reusing");
        assertThat(pool("jobs-pooled")).containsEntry("created", 1).containsEntry("idle", 1);

        // the next job gets that connection back in the remote's own data mode (EPSV) and type (binary)
        long binary = submit("""
                {"remote":"jobs-pooled","direction":"DOWNLOAD","remotePath":"/pooled/crlf.txt","folder":"jobs",
                 "localPath":"pooled/binary.txt"}""");
        TransferTestSupport.awaitState(api, binary, "SUCCEEDED", Duration.ofSeconds(30));
        String transcript = api.get("/api/v1/transfers/" + binary + "/transcript").text();
        assertThat(transcript).contains("# reusing the connection to 127.0.0.1:" + fast.port(), "> PASS ****", "> EPSV",
                "> RETR /pooled/crlf.txt").doesNotContain("> PORT ", "> TYPE A").doesNotContain(FtpPeers.PASSWORD);
        assertThat(Files.readString(folderRoot.resolve("pooled/binary.txt"))).isEqualTo("a\r\nb\r\n");
        assertThat(pool("jobs-pooled")).containsEntry("created", 1).containsEntry("idle", 1);

        // a job that failed leaves its connection in an unknown state: closed, and the next job opens a new one
        long missing = submit("""
                {"remote":"jobs-pooled","direction":"DOWNLOAD","remotePath":"/pooled/missing.txt","folder":"jobs",
                 "localPath":"pooled/missing.txt"}""");
        TransferTestSupport.awaitState(api, missing, "FAILED", Duration.ofSeconds(30));
        assertThat(pool("jobs-pooled")).as(api.get("/api/v1/transfers/" + missing + "/transcript").text())
                .containsEntry("destroyed", 1).containsEntry("idle", 0);
        long again = submit("""
                {"remote":"jobs-pooled","direction":"DOWNLOAD","remotePath":"/pooled/crlf.txt","folder":"jobs",
                 "localPath":"pooled/again.txt"}""");
        TransferTestSupport.awaitState(api, again, "SUCCEEDED", Duration.ofSeconds(30));
        assertThat(api.get("/api/v1/transfers/" + again + "/transcript").text()).contains("> PASS ****").doesNotContain("# reusing");
        assertThat(pool("jobs-pooled")).containsEntry("created", 2);
    }

    private Map<String, Integer> pool(String remote) {
        JsonNode pool = api.get("/api/v1/remotes/" + remote + "/pool").json();
        return Map.of("created", pool.get("created").asInt(), "destroyed", pool.get("destroyed").asInt(),
                "idle", pool.get("idle").asInt(), "active", pool.get("active").asInt());
    }

    @Test
    void invalidRequestIsRefusedWithFieldErrors() {
        Api.Response refused = api.post("/api/v1/transfers", """
                {"remote":"no-such-remote","direction":"DOWNLOAD","remotePath":"/x","folder":"no-such-folder","localPath":"x"}""");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(refused.text()).contains("\"field\":\"remote\"", "\"field\":\"folder\"");
        assertThat(api.get("/api/v1/transfers/999999").status()).isEqualTo(404);

        // a CR/LF in a path would smuggle further commands onto the job's control connection
        Api.Response smuggled = api.post("/api/v1/transfers", """
                {"remote":"jobs-fast","direction":"DOWNLOAD","remotePath":"/a.txt\\r\\nDELE /b.txt","folder":"jobs","localPath":"a.txt"}""");
        assertThat(smuggled.status()).isEqualTo(400);
        assertThat(smuggled.text()).contains("\"field\":\"remotePath\"");
        Api.Response badGlob = api.post("/api/v1/transfers", """
                {"remote":"jobs-fast","direction":"DOWNLOAD","remotePath":"/out/[a-","glob":true,"folder":"jobs","localPath":"x"}""");
        assertThat(badGlob.status()).isEqualTo(400);
        assertThat(badGlob.text()).contains("\"field\":\"remotePath\"", "glob");
        Api.Response upward = api.post("/api/v1/transfers", """
                {"remote":"jobs-fast","direction":"DOWNLOAD","remotePath":"/a.txt","folder":"jobs","localPath":"../../etc/a.txt"}""");
        assertThat(upward.status()).isEqualTo(400);
        assertThat(upward.text()).contains("\"field\":\"localPath\"");
    }

    @Test
    void cancelStopsAJobWithinASecondAndRemovesThePartialFileThenRetryFinishesIt() throws Exception {
        Path source = slow.put("cancel/slow.bin", TransferTestSupport.randomBytes(7, 4 * 1024 * 1024));
        long id = TransferTestSupport.downloadUnderWay(api, "jobs-slow", "/cancel/slow.bin", "jobs", "slow.bin", 200_000);
        List<String> events = TransferTestSupport.firstEvents(api, id, 2);
        assertThat(events).allMatch(e -> e.startsWith("event:progress")).anyMatch(e -> e.contains("\"bytesPerSecond\""));
        assertThat(TransferTestSupport.partials(storage.partialsRoot().resolve("job" + id))).hasSize(1);
        assertThat(TransferTestSupport.partials(folderRoot)).as("partials live outside the folder").isEmpty();
        // the transcript is written in batches, but the command whose bytes are moving shows while they move
        assertThat(api.get("/api/v1/transfers/" + id + "/transcript").text()).contains("> PASS ****", "> RETR /cancel/slow.bin");

        TransferTestSupport.cancelWithinASecond(api, id);
        assertThat(TransferTestSupport.partials(storage.partialsRoot().resolve("job" + id))).isEmpty();
        assertThat(folderRoot.resolve("slow.bin")).doesNotExist();

        assertThat(api.post("/api/v1/transfers/" + id + "/retry", null).status()).isEqualTo(202);
        JsonNode done = TransferTestSupport.awaitState(api, id, "SUCCEEDED", Duration.ofSeconds(30));
        assertThat(done.get("attempts").asInt()).isEqualTo(2);
        assertThat(TransferTestSupport.sha256(folderRoot.resolve("slow.bin"))).isEqualTo(TransferTestSupport.sha256(source));
    }

    @Test
    void aCancelledUploadStopsWithinASecondAndLeavesNoTemporaryFileOnTheServer() throws Exception {
        Files.write(folderRoot.resolve("outgoing.bin"), TransferTestSupport.randomBytes(13, 4 * 1024 * 1024));
        long id = submit("""
                {"remote":"jobs-slow","direction":"UPLOAD","remotePath":"/outgoing.bin","folder":"jobs",
                 "localPath":"outgoing.bin"}""");
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> Files.exists(slow.root().resolve(".outgoing.bin.ftpbridge-job" + id + ".part")));

        TransferTestSupport.cancelWithinASecond(api, id);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> !Files.exists(slow.root().resolve(".outgoing.bin.ftpbridge-job" + id + ".part")));
        assertThat(slow.root().resolve("outgoing.bin")).doesNotExist();
        assertThat(api.post("/api/v1/transfers/" + id + "/cancel", null).status()).isEqualTo(409);
    }

    @Test
    void aServerKilledMidFileIsRetriedAndTheDownloadResumesWithRest() throws Exception {
        Path source = slow.put("kill/resume.bin", TransferTestSupport.randomBytes(9, 4 * 1024 * 1024));
        long id = TransferTestSupport.downloadUnderWay(api, "jobs-slow", "/kill/resume.bin", "jobs", "resume.bin", 1_000_000);
        slow.stop();
        Thread.sleep(300);
        slow.start();

        JsonNode done = TransferTestSupport.awaitState(api, id, "SUCCEEDED", Duration.ofSeconds(40));
        assertThat(done.get("attempts").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(TransferTestSupport.sha256(folderRoot.resolve("resume.bin"))).isEqualTo(TransferTestSupport.sha256(source));
        String transcript = api.get("/api/v1/transfers/" + id + "/transcript").text();
        long restOffset = TransferTestSupport.restOffset(transcript);
        assertThat(restOffset).as(transcript).isGreaterThan(1_000_000);
        assertThat(transcript).contains("> PASV", "< 227 Entering Passive Mode", "< 350 Restart position accepted (" + restOffset + ")");
        assertThat(TransferTestSupport.firstEvents(api, id, 5)).singleElement()
                .satisfies(e -> assertThat(e).startsWith("event:state").contains("\"state\":\"SUCCEEDED\""));
    }

    @Test
    void anUploadBrokenByAKilledServerResumesWithRestIntoItsTemporaryFile() throws Exception {
        Path local = folderRoot.resolve("resume-up.bin");
        Files.write(local, TransferTestSupport.randomBytes(17, 4 * 1024 * 1024));
        long id = submit("""
                {"remote":"jobs-slow","direction":"UPLOAD","remotePath":"/resume-up.bin","folder":"jobs",
                 "localPath":"resume-up.bin"}""");
        Path temp = slow.root().resolve(".resume-up.bin.ftpbridge-job" + id + ".part");
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> Files.exists(temp) && Files.size(temp) > 1_000_000);
        slow.stop();
        Thread.sleep(300);
        slow.start();

        JsonNode done = TransferTestSupport.awaitState(api, id, "SUCCEEDED", Duration.ofSeconds(40));
        assertThat(done.get("attempts").asInt()).isGreaterThanOrEqualTo(2);
        String transcript = api.get("/api/v1/transfers/" + id + "/transcript").text();
        assertThat(TransferTestSupport.restOffset(transcript)).as(transcript).isGreaterThan(1_000_000);
        assertThat(transcript).contains("> STOR /.resume-up.bin.ftpbridge-job" + id + ".part", "> RNTO /resume-up.bin");
        assertThat(TransferTestSupport.sha256(slow.root().resolve("resume-up.bin"))).isEqualTo(TransferTestSupport.sha256(local));
        assertThat(temp).doesNotExist();
    }

    /**
     * Downloads {@code /<name>.bin} into the folder and uploads it back as {@code /<name>-copy.bin};
     * both transcripts must show the server's checksum asked with {@code command} and equal to ours.
     */
    private void roundTripIsVerified(String remote, String name, String command, String algorithm, String digest) {
        long down = submit("""
                {"remote":"%s","direction":"DOWNLOAD","remotePath":"/%s.bin","folder":"jobs","localPath":"%s.bin"}"""
                .formatted(remote, name, name));
        TransferTestSupport.awaitState(api, down, "SUCCEEDED", Duration.ofSeconds(30));
        assertThat(api.get("/api/v1/transfers/" + down + "/transcript").text()).contains("> %s /%s.bin".formatted(command, name),
                "# verify /%s.bin %s remote=%s local=%s".formatted(name, algorithm, digest, digest));

        long up = submit("""
                {"remote":"%s","direction":"UPLOAD","remotePath":"/%s-copy.bin","folder":"jobs","localPath":"%s.bin"}"""
                .formatted(remote, name, name));
        TransferTestSupport.awaitState(api, up, "SUCCEEDED", Duration.ofSeconds(30));
        assertThat(api.get("/api/v1/transfers/" + up + "/transcript").text()).contains(
                "> %s /.%s-copy.bin.ftpbridge-job%d.part".formatted(command, name, up),
                "%s remote=%s local=%s".formatted(algorithm, digest, digest));
    }

    private long submit(String body) {
        return TransferTestSupport.submit(api, body);
    }

    private JsonNode job(long id) {
        return api.get("/api/v1/transfers/" + id).json();
    }
}
