package io.ftpbridge.folders;

import static org.assertj.core.api.Assertions.assertThat;

import io.ftpbridge.ftpserver.FtpServerLifecycle;
import io.ftpbridge.testsupport.Api;
import io.ftpbridge.testsupport.ExternalCommand;
import io.ftpbridge.testsupport.FtpBridgeTest;
import io.ftpbridge.testsupport.Ftplib;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Attacks on storage through REST (and FTP beside it): quotas under concurrent appends, lost
 * appends, ranges, paging and validation limits, paths in errors, overlapping folders, symlinks.
 * Each shows the attack failing and ordinary requests still working.
 */
@FtpBridgeTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StorageHardeningTest {

    private static final int MIB = 1024 * 1024;
    private static final int CHUNK = 300_000;

    @LocalServerPort
    int httpPort;

    @Autowired
    FtpServerLifecycle ftp;

    Api api;

    @BeforeAll
    void setUp() {
        api = new Api(httpPort);
    }

    // ---- 15.2: the quota holds against appends held open together

    @Test
    void appendsHeldOpenTogetherOverRestNeverTakeAFolderAboveItsQuota() throws Exception {
        assertThat(api.post("/api/v1/folders", "{\"name\":\"rest-quota\",\"quotaBytes\":%d}".formatted(MIB)).status())
                .isEqualTo(201);
        for (int i = 0; i < 6; i++) {
            assertThat(api.putBytes("/api/v1/folders/rest-quota/files/f%d.bin".formatted(i), bytes('a', 10_000)).status())
                    .isEqualTo(201);
        }
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Future<Api.Response>> appends = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String path = "/api/v1/folders/rest-quota/files/f%d.bin?append=true".formatted(i);
            byte fill = (byte) ('A' + i);
            // chunked (no Content-Length): the quota can only be checked while the bytes arrive; each starts
            // while the earlier ones are still open with bytes accepted but not yet on disk
            appends.add(pool.submit(() -> api.send(api.builder(path).header("Content-Type", "application/octet-stream")
                    .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> slowly(bytes(fill, CHUNK), 10_000, 20))))));
            Thread.sleep(150);
        }
        long accepted = 0;
        int refused = 0;
        for (int i = 0; i < 6; i++) {
            Api.Response response = appends.get(i).get();
            byte[] content = Files.readAllBytes(location("rest-quota").resolve("f%d.bin".formatted(i)));
            if (response.status() == 200) {
                assertThat(content).hasSize(10_000 + CHUNK);
                assertThat(Arrays.copyOfRange(content, 10_000, content.length)).isEqualTo(bytes((byte) ('A' + i), CHUNK));
                accepted += CHUNK;
            } else {
                assertThat(response.status()).as(response.text()).isEqualTo(507);
                assertThat(response.header("Content-Type")).contains("application/problem+json");
                assertThat(content).as("a refused append leaves the file as it was").isEqualTo(bytes('a', 10_000));
                refused++;
            }
        }
        pool.shutdown();
        assertThat(refused).as("1.8 MB of appends cannot all fit in 1 MiB").isPositive();
        assertThat(accepted).as("what fits is accepted").isGreaterThanOrEqualTo(2L * CHUNK);
        long usage = api.get("/api/v1/folders/rest-quota").json().get("usage").get("bytes").asLong();
        assertThat(usage).isEqualTo(60_000 + accepted).isLessThanOrEqualTo(MIB);
        assertThat(api.putBytes("/api/v1/folders/rest-quota/files/small.txt", bytes('s', 100)).status())
                .as("a small upload still fits").isEqualTo(201);
    }

    @Test
    void replacingDeletingAndRenamingWhileUploadingNeverTakeAFolderAboveItsQuota() throws Exception {
        assertThat(api.post("/api/v1/folders", "{\"name\":\"churn-quota\",\"quotaBytes\":%d}".formatted(MIB)).status())
                .isEqualTo(201);
        String files = "/api/v1/folders/churn-quota/files/";
        assertThat(api.putBytes(files + "big.bin", bytes('b', 500_000)).status()).isEqualTo(201);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        // a slow replace of big.bin frees its 500 kB when it ends; big.bin is deleted meanwhile (freeing them
        // already) and two appends start into the room: the 500 kB may be freed once, not twice
        Future<Api.Response> replace = pool.submit(() -> api.send(api.builder(files + "big.bin")
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> slowly(bytes('r', 10), 1, 100)))));
        awaitTemporaryFileIn(location("churn-quota")); // the replace has begun (while big.bin was there)
        assertThat(api.delete(files + "big.bin").status()).isEqualTo(204);
        List<Future<Api.Response>> appends = new ArrayList<>();
        for (String name : List.of("a.bin", "b.bin")) {
            appends.add(pool.submit(() -> api.send(api.builder(files + name + "?append=true")
                    .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> slowly(bytes('g', 700_000), 10_000, 20))))));
        }
        assertThat(replace.get().status()).isIn(200, 201);
        long accepted = 10;
        for (Future<Api.Response> append : appends) {
            Api.Response response = append.get();
            assertThat(response.status()).as(response.text()).isIn(201, 507);
            accepted += response.status() == 201 ? 700_000 : 0;
        }
        long usage = api.get("/api/v1/folders/churn-quota").json().get("usage").get("bytes").asLong();
        assertThat(accepted).as("both appends cannot fit (one or both ran out of room)").isLessThan(1_400_010);
        assertThat(usage).isEqualTo(accepted).isLessThanOrEqualTo(MIB);

        // a file being appended to can be neither deleted nor renamed away from under the append
        assertThat(api.delete(files + "a.bin").status()).isIn(204, 404);
        assertThat(api.delete(files + "b.bin").status()).isIn(204, 404);
        assertThat(api.putBytes(files + "held.bin", bytes('h', 100)).status()).isEqualTo(201);
        Future<Api.Response> append = pool.submit(() -> api.send(api.builder(files + "held.bin?append=true")
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> slowly(bytes('g', 100_000), 5_000, 100)))));
        Thread.sleep(800); // well inside the append's two seconds
        Api.Response busyDelete = api.delete(files + "held.bin");
        Api.Response busyRename = api.post(files + "held.bin?op=rename&to=other.bin", null);
        assertThat(append.get().status()).isEqualTo(200);
        pool.shutdown();
        assertThat(busyDelete.status()).as(busyDelete.text()).isEqualTo(409);
        assertThat(busyDelete.text()).contains("busy");
        assertThat(busyRename.status()).isEqualTo(409);
        assertThat(Files.size(location("churn-quota").resolve("held.bin"))).isEqualTo(100_100);
        assertThat(api.delete(files + "held.bin").status()).as("once the append ended").isEqualTo(204);
    }

    // ---- 15.3: concurrent appends to one file lose nothing

    @Test
    void concurrentAppendsOverRestAndFtpToOneFileKeepEveryAcceptedChunkWhole() throws Exception {
        api.createFolderAndUser("sh-appends", "sh-appender", "sh-appender-password", "/", Api.ALL);
        String script = """
                import threading
                def appe(i):
                    try:
                        c = connect()
                        c.login('sh-appender', 'sh-appender-password')
                        r = c.storbinary('APPE /log.bin', io.BytesIO(bytes([ord('a') + i]) * %d), blocksize=8192)
                        print('FTP%%d OK %%s' %% (i, r.split()[0]))
                        c.quit()
                    except ftplib.all_errors as e:
                        print('FTP%%d ERR %%s' %% (i, str(e)[:60]))
                threads = [threading.Thread(target=appe, args=(i,)) for i in range(6)]
                [t.start() for t in threads]
                [t.join() for t in threads]
                """.formatted(CHUNK);
        CompletableFuture<ExternalCommand.Result> ftpAppends =
                CompletableFuture.supplyAsync(() -> Ftplib.script("127.0.0.1", ftp.port(), script));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Api.Response>> restAppends = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            byte fill = (byte) ('A' + i);
            restAppends.add(pool.submit(() -> api.send(api.builder("/api/v1/folders/sh-appends/files/log.bin?append=true")
                    .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> slowly(bytes(fill, CHUNK), 64 * 1024, 5))))));
        }
        Set<Byte> succeeded = new HashSet<>();
        for (int i = 0; i < 8; i++) {
            Api.Response response = restAppends.get(i).get();
            if (response.status() == 200 || response.status() == 201) {
                succeeded.add((byte) ('A' + i));
            } else {
                assertThat(response.status()).as(response.text()).isEqualTo(409); // refused as busy, never half-done
            }
        }
        pool.shutdown();
        String ftpOutput = ftpAppends.get().output();
        Matcher ok = Pattern.compile("FTP(\\d) OK 226").matcher(ftpOutput);
        while (ok.find()) {
            succeeded.add((byte) ('a' + Integer.parseInt(ok.group(1))));
        }
        assertThat(succeeded).as(ftpOutput).hasSizeGreaterThanOrEqualTo(12);

        byte[] content = Files.readAllBytes(location("sh-appends").resolve("log.bin"));
        assertThat(content.length).as("every successful append is in the file, whole").isEqualTo(succeeded.size() * CHUNK);
        Set<Byte> seen = new HashSet<>();
        for (int offset = 0; offset < content.length; offset += CHUNK) {
            byte fill = content[offset];
            assertThat(Arrays.copyOfRange(content, offset, offset + CHUNK)).as("chunk at %d is one append's bytes", offset)
                    .isEqualTo(bytes(fill, CHUNK));
            seen.add(fill);
        }
        assertThat(seen).isEqualTo(succeeded);
    }

    // ---- 15.9: a 416 has no body

    @Test
    void unsatisfiableRangeIsAnswered416WithoutTheFileAsBody() {
        assertThat(api.post("/api/v1/folders", "{\"name\":\"ranges416\"}").status()).isEqualTo(201);
        assertThat(api.putBytes("/api/v1/folders/ranges416/files/r.bin", bytes('r', 100_000)).status()).isEqualTo(201);
        for (String range : List.of("bytes=100000-", "bytes=200000-300000", "bytes=abc", "bytes=5-2")) {
            Api.Response response = api.send(api.builder("/api/v1/folders/ranges416/files/r.bin").header("Range", range).GET());
            assertThat(response.status()).as(range).isEqualTo(416);
            assertThat(response.header("Content-Range")).isEqualTo("bytes */100000");
            assertThat(response.raw().body()).as("no bytes of the file for " + range).isEmpty();
        }
        Api.Response ok = api.send(api.builder("/api/v1/folders/ranges416/files/r.bin").header("Range", "bytes=99990-").GET());
        assertThat(ok.status()).isEqualTo(206);
        assertThat(ok.raw().body()).hasSize(10);
    }

    // ---- 15.10: paging overflow and bcrypt's limit are 400s

    @Test
    void pageTimesSizePastIntegerRangeIsA400NotA500() {
        for (String list : List.of("folders", "users", "remotes", "transfers", "sessions")) {
            Api.Response response = api.get("/api/v1/%s?page=2147483647&size=50".formatted(list));
            assertThat(response.status()).as(list + ": " + response.text()).isEqualTo(400);
            assertThat(response.text()).contains("\"field\":\"page\"");
            assertThat(api.get("/api/v1/%s?page=0&size=50".formatted(list)).status()).isEqualTo(200);
        }
        assertThat(api.get("/api/v1/folders?page=42949672&size=50").status()).isEqualTo(200); // 2,147,483,600: still an int
    }

    @Test
    void passwordsLongerThan72BytesInUtf8AreRefusedWithTheField() {
        api.post("/api/v1/folders", "{\"name\":\"pw-limit\"}");
        String tooLongChars = "é".repeat(37); // 37 characters, 74 bytes
        Api.Response created = api.post("/api/v1/users", """
                {"username":"pw-long","password":"%s","mounts":[{"folder":"pw-limit","path":"/","permissions":["LIST"]}]}"""
                .formatted(tooLongChars));
        assertThat(created.status()).as(created.text()).isEqualTo(400);
        assertThat(created.text()).contains("\"field\":\"password\"");
        assertThat(api.post("/api/v1/users", """
                {"username":"pw-long","password":"%s"}""".formatted("p".repeat(73))).text()).contains("\"field\":\"password\"");

        String limit = "p".repeat(72);
        assertThat(api.post("/api/v1/users", """
                {"username":"pw-ok","password":"%s","mounts":[{"folder":"pw-limit","path":"/","permissions":["LIST"]}]}"""
                .formatted(limit)).status()).isEqualTo(201);
        assertThat(api.patch("/api/v1/users/pw-ok", "{\"password\":\"%s\"}".formatted(tooLongChars)).text())
                .contains("\"field\":\"password\"");
        assertThat(api.put("/api/v1/users/pw-ok", "{\"username\":\"pw-ok\",\"password\":\"%s\"}".formatted("q".repeat(80))).status())
                .isEqualTo(400);
        ExternalCommand.Result login = Ftplib.run(ftp.port(), "pw-ok", limit, "print('LOGIN', f.pwd())");
        assertThat(login.output()).contains("LOGIN /");
    }

    // ---- 15.11: no control characters into a control connection

    @Test
    void controlCharactersInRemoteFieldsAreRefusedWithTheFieldAlsoInPatch() {
        String template = """
                {"name":"%s","host":"%s","username":"%s","password":"%s"}""";
        record Case(String field, String host, String user, String password) {
        }
        for (Case c : List.of(new Case("username", "127.0.0.1", "anon\\r\\nDELE /x", "pw"),
                new Case("password", "127.0.0.1", "anon", "pw\\r\\nRMD /"),
                new Case("host", "127.0.0.1\\r\\n", "anon", "pw"),
                new Case("username", "127.0.0.1", "anon\\u0000x", "pw"),
                new Case("password", "127.0.0.1", "anon", "pw\\tx\\u007f"))) {
            Api.Response response = api.post("/api/v1/remotes", template.formatted("cr-" + c.field(), c.host(), c.user(), c.password()));
            assertThat(response.status()).as(response.text()).isEqualTo(400);
            assertThat(response.text()).contains("\"field\":\"%s\"".formatted(c.field()));
        }
        assertThat(api.post("/api/v1/remotes", template.formatted("cr-ok", "127.0.0.1", "anon", "p@ss w0rd!")).status())
                .isEqualTo(201);
        for (String field : List.of("host", "username", "password")) {
            Api.Response patched = api.patch("/api/v1/remotes/cr-ok", "{\"%s\":\"x\\nQUIT\"}".formatted(field));
            assertThat(patched.status()).isEqualTo(400);
            assertThat(patched.text()).contains("\"field\":\"%s\"".formatted(field));
        }
        assertThat(api.put("/api/v1/remotes/cr-ok", template.formatted("cr-ok", "127.0.0.1", "anon\r", "pw").replace("\r", "\\r"))
                .status()).isEqualTo(400);
        assertThat(api.patch("/api/v1/remotes/cr-ok", "{\"username\":\"someone-else\"}").status()).isEqualTo(200);
        assertThat(api.get("/api/v1/remotes/cr-ok").json().get("username").asString()).isEqualTo("someone-else");
    }

    // ---- 15.17: no server paths in errors, no overlapping folders, no facts of links out of the folder

    @Test
    void storageErrorsNeverShowWhereStorageLivesOnTheServer() throws IOException {
        assertThat(api.post("/api/v1/folders", "{\"name\":\"paths\"}").status()).isEqualTo(201);
        Path root = location("paths");
        String files = "/api/v1/folders/paths/files/";
        assertThat(api.putBytes(files + "file.txt", bytes('x', 10)).status()).isEqualTo(201);
        assertThat(api.post(files + "dir?op=mkdir", null).status()).isEqualTo(201);
        assertThat(api.putBytes(files + "dir/inner.txt", bytes('y', 10)).status()).isEqualTo(201);
        List<Api.Response> errors = List.of(
                api.get(files + "file.txt/below"),
                api.post(files + "file.txt/sub?op=mkdir", null),
                api.post(files + "file.txt?op=rename&to=missing/deeper/file.txt", null),
                api.post(files + "dir?op=rename&to=file.txt/x", null),
                api.delete(files + "dir"),
                api.delete(files + "nothing-here"),
                api.putBytes(files + "file.txt/child", bytes('z', 3)),
                api.putBytes(files + "no-dir/child", bytes('z', 3)),
                api.get(files + "missing.txt"),
                api.post(files + "dir?op=mkdir", null));
        for (Api.Response error : errors) {
            assertThat(error.status()).as(error.text()).isBetween(400, 499);
            assertThat(error.text()).as("problem detail").doesNotContain(root.toString())
                    .doesNotContain(root.getParent().toString()).doesNotContain("/tmp/");
        }
        Api.Response outside = api.patch("/api/v1/folders/paths", "{\"location\":\"/etc/ftpbridge-nope\"}");
        assertThat(outside.status()).isEqualTo(400);
        assertThat(outside.text()).doesNotContain(root.getParent().toString());
    }

    @Test
    void aFolderLocationOverlappingAnotherFoldersDirectoryIsRefused() throws IOException {
        assertThat(api.post("/api/v1/folders", "{\"name\":\"owner-a\"}").status()).isEqualTo(201);
        Path a = location("owner-a");
        Path storageRoot = a.getParent();
        Files.createSymbolicLink(storageRoot.resolve("alias-of-a"), a);
        for (String location : List.of(a.toString(), a + "/sub", storageRoot + "/alias-of-a", storageRoot + "/alias-of-a/x")) {
            Api.Response response = api.post("/api/v1/folders", "{\"name\":\"intruder\",\"location\":\"%s\"}".formatted(location));
            assertThat(response.status()).as(location + ": " + response.text()).isEqualTo(409);
            assertThat(response.text()).contains("\"field\":\"location\"", "owner-a");
        }
        // the other way round: a folder whose directory would contain an existing one
        assertThat(api.post("/api/v1/folders", "{\"name\":\"nested\",\"location\":\"%s/outer/inner\"}".formatted(storageRoot))
                .status()).isEqualTo(201);
        Api.Response outer = api.post("/api/v1/folders", "{\"name\":\"outer\"}");
        assertThat(outer.status()).as(outer.text()).isEqualTo(409);
        assertThat(outer.text()).contains("\"field\":\"location\"", "nested");

        assertThat(api.post("/api/v1/folders", "{\"name\":\"separate\",\"location\":\"%s/separate-place\"}".formatted(storageRoot))
                .status()).isEqualTo(201);
        Api.Response moved = api.patch("/api/v1/folders/separate", "{\"location\":\"%s/sub\"}".formatted(a));
        assertThat(moved.status()).isEqualTo(409);
        assertThat(moved.text()).contains("\"field\":\"location\"");
        assertThat(api.patch("/api/v1/folders/separate", "{\"location\":\"%s/elsewhere\"}".formatted(storageRoot)).status())
                .isEqualTo(200);
    }

    @Test
    void listingsLeaveOutLinksThatLeadOutOfTheFolder() throws IOException {
        api.createFolderAndUser("links", "linker", "linker-password", "/", Api.ALL);
        Path root = location("links");
        Path outside = Files.createTempDirectory("outside-");
        Files.writeString(outside.resolve("secret.txt"), "s".repeat(12345));
        Files.writeString(root.resolve("real.txt"), "real");
        Files.createSymbolicLink(root.resolve("out-file"), outside.resolve("secret.txt"));
        Files.createSymbolicLink(root.resolve("out-dir"), outside);
        Files.createSymbolicLink(root.resolve("dangling"), root.resolve("nowhere"));
        Files.createSymbolicLink(root.resolve("in-link"), root.resolve("real.txt"));

        String rest = api.get("/api/v1/folders/links/files/").text();
        assertThat(rest).contains("\"real.txt\"", "\"in-link\"").doesNotContain("out-file", "out-dir", "dangling", "12345");
        ExternalCommand.Result ftpList = Ftplib.run(ftp.port(), "linker", "linker-password", """
                lines = []
                f.retrlines('LIST /', lines.append)
                print('LIST', lines)
                mlsd = [n for n, facts in f.mlsd('/')]
                print('MLSD', sorted(mlsd))
                """);
        assertThat(ftpList.output()).contains("real.txt", "in-link").doesNotContain("out-file", "out-dir", "dangling", "12345");
        assertThat(api.get("/api/v1/folders/links/files/out-file").status()).isEqualTo(400);
    }

    // ---- helpers

    private Path location(String folder) {
        return Path.of(api.get("/api/v1/folders/" + folder).json().get("location").asString());
    }

    private static void awaitTemporaryFileIn(Path dir) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            try (var files = Files.list(dir)) {
                if (files.anyMatch(p -> p.getFileName().toString().startsWith(".ftpbridge-upload-"))) {
                    return;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no upload began in " + dir);
    }

    private static byte[] bytes(char fill, int size) {
        return bytes((byte) fill, size);
    }

    private static byte[] bytes(byte fill, int size) {
        byte[] b = new byte[size];
        Arrays.fill(b, fill);
        return b;
    }

    /** A body that arrives in {@code chunk}-byte pieces with a pause before each: a slow client. */
    private static InputStream slowly(byte[] body, int chunk, long pauseMillis) {
        return new InputStream() {
            private int position;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (position >= body.length) {
                    return -1;
                }
                try {
                    Thread.sleep(pauseMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                int n = Math.min(Math.min(len, chunk), body.length - position);
                System.arraycopy(body, position, b, off, n);
                position += n;
                return n;
            }
        };
    }
}
