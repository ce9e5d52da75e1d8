package io.ftpbridge.folders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ftpbridge.ftpserver.FtpServerLifecycle;
import io.ftpbridge.storage.StorageService;
import io.ftpbridge.testsupport.Api;
import io.ftpbridge.testsupport.ExternalCommand;
import io.ftpbridge.testsupport.FtpBridgeTest;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** The files of a folder over REST: the same bytes as over FTP, ranges, and nothing partial left behind. */
@FtpBridgeTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FolderFilesRestTest {

    private static final String FOLDER = "restfiles";
    private static final String FILES = "/api/v1/folders/" + FOLDER + "/files/";

    @LocalServerPort
    int httpPort;

    @Autowired
    FtpServerLifecycle ftp;

    @Autowired
    FolderService folders;

    Api api;
    Path folderRoot;

    @BeforeAll
    void createFolderAndFtpUser() throws IOException {
        api = new Api(httpPort);
        api.createFolderAndUser(FOLDER, "rest-files-user", "rest-files-password", "/", Api.ALL);
        folderRoot = folders.storageOf(FOLDER).root();
    }

    @Test
    void fileUploadedOverRestIsDownloadedOverFtpByteForByte() throws Exception {
        byte[] bytes = random(2 * 1024 * 1024 + 3, 1);

        Api.Response created = api.putBytes(FILES + "from-rest.bin", bytes);
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        assertThat(created.json().get("size").asLong()).isEqualTo(bytes.length);
        assertThat(created.header("Location")).endsWith(FILES + "from-rest.bin");

        Path downloaded = Files.createTempFile("ftp-download-", ".bin");
        ExternalCommand.Result curl = ExternalCommand.run(List.of("curl", "-sS", "--max-time", "60",
                "--user", "rest-files-user:rest-files-password", "-o", downloaded.toString(),
                "ftp://127.0.0.1:" + ftp.port() + "/from-rest.bin"));
        assertThat(curl.ok()).as(curl.output()).isTrue();
        assertThat(sha256(Files.readAllBytes(downloaded))).isEqualTo(sha256(bytes));

        byte[] replacement = random(1000, 2);
        Api.Response replaced = api.putBytes(FILES + "from-rest.bin", replacement);
        assertThat(replaced.status()).isEqualTo(200);
        assertThat(Files.readAllBytes(folderRoot.resolve("from-rest.bin"))).isEqualTo(replacement);
        assertThat(temporaryFiles()).as("the replaced content is not left behind").isEmpty();
    }

    @Test
    void fileUploadedOverFtpIsDownloadedOverRestByteForByteWithValidators() throws Exception {
        byte[] bytes = random(1024 * 1024 + 5, 3);
        Path upload = Files.createTempFile("ftp-upload-", ".bin");
        Files.write(upload, bytes);
        ExternalCommand.Result curl = ExternalCommand.run(List.of("curl", "-sS", "--max-time", "60",
                "--user", "rest-files-user:rest-files-password", "-T", upload.toString(),
                "ftp://127.0.0.1:" + ftp.port() + "/from-ftp.bin"));
        assertThat(curl.ok()).as(curl.output()).isTrue();

        Api.Response download = api.get(FILES + "from-ftp.bin");
        assertThat(download.status()).isEqualTo(200);
        assertThat(sha256(download.raw().body())).isEqualTo(sha256(bytes));
        assertThat(download.header("Content-Length")).isEqualTo(String.valueOf(bytes.length));
        assertThat(download.header("Accept-Ranges")).isEqualTo("bytes");
        String etag = download.header("ETag");
        assertThat(etag).startsWith("\"").endsWith("\"");
        assertThat(download.header("Last-Modified")).isNotBlank();

        Api.Response notModified = api.send(api.builder(FILES + "from-ftp.bin").header("If-None-Match", etag).GET());
        assertThat(notModified.status()).isEqualTo(304);
        assertThat(notModified.raw().body()).isEmpty();
    }

    @Test
    void uploadLargerThanTheTestHeapIsStreamedToDiskAndBack() throws Exception {
        // the test JVM runs with -Xmx1g: a body held in memory could not get through
        long size = 1200L * 1024 * 1024 + 7;
        Path sparse = Files.createTempFile("larger-than-heap-", ".bin");
        try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(sparse.toFile(), "rw")) {
            file.setLength(size);
        }
        String url = "http://127.0.0.1:" + httpPort + FILES + "larger-than-heap.bin";
        try {
            ExternalCommand.Result up = ExternalCommand.run(List.of("curl", "-sS", "--fail", "-o", "/dev/null",
                    "-u", Api.ADMIN + ":" + Api.ADMIN_PASSWORD, "-H", "Content-Type: application/octet-stream",
                    "-T", sparse.toString(), url));
            assertThat(up.ok()).as(up.output()).isTrue();
            assertThat(Files.size(folderRoot.resolve("larger-than-heap.bin"))).isEqualTo(size);

            ExternalCommand.Result down = ExternalCommand.run(List.of("curl", "-sS", "--fail", "-o", "/dev/null",
                    "-w", "%{size_download}", "-u", Api.ADMIN + ":" + Api.ADMIN_PASSWORD, url));
            assertThat(down.ok()).as(down.output()).isTrue();
            assertThat(down.output().trim()).isEqualTo(String.valueOf(size));
        } finally {
            Files.deleteIfExists(sparse);
            api.delete(FILES + "larger-than-heap.bin");
        }
    }

    @Test
    void folderRootIsListedWithOrWithoutTrailingSlashAndRestTransfersAreCounted() {
        String before = api.get("/actuator/prometheus").text();
        assertThat(api.putBytes(FILES + "counted.txt", "12345".getBytes()).status()).isEqualTo(201);
        assertThat(api.get(FILES + "counted.txt").text()).isEqualTo("12345");

        Api.Response withoutSlash = api.get("/api/v1/folders/" + FOLDER + "/files");
        assertThat(withoutSlash.status()).isEqualTo(200);
        assertThat(withoutSlash.json().findValuesAsString("name")).contains("counted.txt");
        assertThat(api.get(FILES).json().findValuesAsString("name")).contains("counted.txt");
        Api.Response rootUpload = api.putBytes(FILES, "x".getBytes());
        assertThat(rootUpload.status()).isEqualTo(400);
        assertThat(rootUpload.header("Content-Type")).startsWith("application/problem+json");

        String after = api.get("/actuator/prometheus").text();
        assertThat(sample(after, "ftpbridge_rest_uploads_total") - sample(before, "ftpbridge_rest_uploads_total")).isEqualTo(1);
        assertThat(sample(after, "ftpbridge_rest_uploaded_bytes_total") - sample(before, "ftpbridge_rest_uploaded_bytes_total"))
                .isEqualTo(5);
        assertThat(sample(after, "ftpbridge_rest_downloads_total") - sample(before, "ftpbridge_rest_downloads_total")).isEqualTo(1);
    }

    private static double sample(String prometheus, String name) {
        return prometheus.lines().filter(l -> l.startsWith(name + " ")).map(l -> Double.parseDouble(l.substring(name.length() + 1)))
                .findFirst().orElseThrow(() -> new AssertionError("no metric " + name));
    }

    @Test
    void rangesAreServedWith206And416WhenUnsatisfiable() {
        byte[] bytes = random(10_000, 4);
        assertThat(api.putBytes(FILES + "ranges.bin", bytes).status()).isEqualTo(201);

        Api.Response first = range("bytes=0-99");
        assertThat(first.status()).isEqualTo(206);
        assertThat(first.raw().body()).isEqualTo(Arrays.copyOfRange(bytes, 0, 100));
        assertThat(first.header("Content-Range")).isEqualTo("bytes 0-99/10000");
        assertThat(first.header("Content-Length")).isEqualTo("100");

        Api.Response middle = range("bytes=4000-5999");
        assertThat(middle.status()).isEqualTo(206);
        assertThat(middle.raw().body()).isEqualTo(Arrays.copyOfRange(bytes, 4000, 6000));
        assertThat(middle.header("Content-Range")).isEqualTo("bytes 4000-5999/10000");

        Api.Response suffix = range("bytes=-500");
        assertThat(suffix.status()).isEqualTo(206);
        assertThat(suffix.raw().body()).isEqualTo(Arrays.copyOfRange(bytes, 9500, 10_000));
        assertThat(suffix.header("Content-Range")).isEqualTo("bytes 9500-9999/10000");

        Api.Response unsatisfiable = range("bytes=10000-");
        assertThat(unsatisfiable.status()).isEqualTo(416);
        assertThat(unsatisfiable.header("Content-Range")).isEqualTo("bytes */10000");
    }

    private Api.Response range(String range) {
        return api.send(api.builder(FILES + "ranges.bin").header("Range", range).GET());
    }

    @Test
    void killedUploadLeavesNeitherFileNorTemporaryFile() throws Exception {
        byte[] original = random(5000, 5);
        assertThat(api.putBytes(FILES + "kept.bin", original).status()).isEqualTo(201);
        Path big = Files.createTempFile("slow-upload-", ".bin");
        Files.write(big, random(4 * 1024 * 1024, 6));

        for (String name : List.of("killed.bin", "kept.bin")) {
            Process curl = new ProcessBuilder("curl", "-sS", "--limit-rate", "200k", "-u", Api.ADMIN + ":" + Api.ADMIN_PASSWORD,
                    "-H", "Content-Type: application/octet-stream", "-T", big.toString(),
                    "http://127.0.0.1:" + httpPort + FILES + name)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            await().atMost(Duration.ofSeconds(20)).until(() -> temporaryFiles().size() == 1
                    && Files.size(temporaryFiles().get(0)) > 100_000);
            curl.destroyForcibly().waitFor();

            await().atMost(Duration.ofSeconds(20)).until(() -> temporaryFiles().isEmpty());
        }
        assertThat(folderRoot.resolve("killed.bin")).doesNotExist();
        assertThat(Files.readAllBytes(folderRoot.resolve("kept.bin"))).isEqualTo(original);
        assertThat(api.get(FILES).json().findValuesAsString("name")).doesNotContain("killed.bin");
    }

    @Test
    void bodyShorterThanItsContentLengthIsAnsweredWith400AndLeavesTheFileAsItWas() throws Exception {
        byte[] original = random(3000, 10);
        assertThat(api.putBytes(FILES + "truncated.bin", original).status()).isEqualTo(201);
        String credentials = java.util.Base64.getEncoder()
                .encodeToString((Api.ADMIN + ":" + Api.ADMIN_PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        for (String name : List.of("truncated.bin", "never-complete.bin")) {
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", httpPort)) {
                socket.setSoTimeout(20_000);
                String head = "PUT " + FILES + name + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic " + credentials
                        + "\r\nContent-Type: application/octet-stream\r\nContent-Length: 100000\r\nConnection: close\r\n\r\n";
                socket.getOutputStream().write(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                socket.getOutputStream().write(random(1000, 11));
                socket.getOutputStream().flush();
                socket.shutdownOutput();
                String response = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                // Tomcat puts the response into its error state when the body ends early, so the
                // body is Spring Boot's error JSON rather than our problem detail; the status is 400
                assertThat(response).startsWith("HTTP/1.1 400");
            }
        }
        assertThat(Files.readAllBytes(folderRoot.resolve("truncated.bin"))).isEqualTo(original);
        assertThat(folderRoot.resolve("never-complete.bin")).doesNotExist();
        assertThat(temporaryFiles()).isEmpty();
    }

    @Test
    void uploadBeyondQuotaIsRefusedWith507AndLeavesNothing() {
        assertThat(api.post("/api/v1/folders", "{\"name\":\"restquota\",\"quotaBytes\":4096}").status()).isEqualTo(201);
        String files = "/api/v1/folders/restquota/files/";

        Api.Response announced = api.putBytes(files + "too-big.bin", random(5000, 7));
        assertThat(announced.status()).isEqualTo(507);
        assertThat(announced.header("Content-Type")).startsWith("application/problem+json");
        assertThat(announced.json().get("status").asInt()).isEqualTo(507);
        assertThat(announced.json().get("detail").asString()).contains("quota");

        // no Content-Length: the quota is enforced while the bytes arrive
        Api.Response streamed = api.send(api.builder(files + "streamed.bin")
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(random(5000, 8)))));
        assertThat(streamed.status()).isEqualTo(507);
        assertThat(streamed.json().get("title").asString()).isEqualTo("Quota exceeded");

        assertThat(api.get(files).json().size()).isZero();
        assertThat(api.get("/api/v1/folders/restquota").json().get("usage").get("bytes").asLong()).isZero();
        assertThat(api.putBytes(files + "fits.bin", random(4096, 9)).status()).isEqualTo(201);
    }

    @Test
    void directoriesAreListedCreatedRenamedAndDeletedRecursivelyOnlyWhenAsked() {
        assertThat(api.post(FILES + "tree?op=mkdir", null).status()).isEqualTo(201);
        assertThat(api.post(FILES + "tree/sub?op=mkdir", null).status()).isEqualTo(201);
        assertThat(api.post(FILES + "tree?op=mkdir", null).status()).isEqualTo(409);
        assertThat(api.putBytes(FILES + "tree/sub/a%20file.txt", "hello".getBytes()).status()).isEqualTo(201);
        assertThat(api.putBytes(FILES + "tree/sub/a%20file.txt?append=true", " world".getBytes()).status()).isEqualTo(200);
        assertThat(api.get(FILES + "tree/sub/a%20file.txt").text()).isEqualTo("hello world");

        JsonNode listing = api.get(FILES + "tree/sub").json();
        assertThat(listing.size()).isEqualTo(1);
        assertThat(listing.get(0).get("name").asString()).isEqualTo("a file.txt");
        assertThat(listing.get(0).get("type").asString()).isEqualTo("FILE");
        assertThat(listing.get(0).get("size").asLong()).isEqualTo(11);
        assertThat(listing.get(0).get("modified").asString()).isNotBlank();
        assertThat(api.get(FILES + "tree").json().get(0).get("type").asString()).isEqualTo("DIRECTORY");
        assertThat(api.putBytes(FILES + "tree/%C3%A9t%C3%A9%20~%24lock.txt", "utf8".getBytes()).status()).isEqualTo(201);
        assertThat(folderRoot.resolve("tree/été ~$lock.txt")).hasContent("utf8");

        Api.Response renamed = api.post(FILES + "tree/sub/a%20file.txt?op=rename&to=tree/renamed.txt", null);
        assertThat(renamed.status()).as(renamed.text()).isEqualTo(200);
        assertThat(renamed.json().get("name").asString()).isEqualTo("renamed.txt");
        assertThat(api.get(FILES + "tree/renamed.txt").text()).isEqualTo("hello world");
        assertThat(api.get(FILES + "tree/sub/a%20file.txt").status()).isEqualTo(404);

        Api.Response notEmpty = api.delete(FILES + "tree");
        assertThat(notEmpty.status()).isEqualTo(409);
        assertThat(notEmpty.header("Content-Type")).startsWith("application/problem+json");
        assertThat(folderRoot.resolve("tree/renamed.txt")).exists();
        assertThat(api.delete(FILES + "tree?recursive=true").status()).isEqualTo(204);
        assertThat(folderRoot.resolve("tree")).doesNotExist();
        assertThat(api.get(FILES + "tree").status()).isEqualTo(404);
        assertThat(api.get("/api/v1/folders/no-such-folder/files/").status()).isEqualTo(404);
    }

    @Test
    void traversalIsRefusedWith400AndNothingOutsideTheFolderIsReadOrWritten() throws Exception {
        Path storageRoot = folderRoot.getParent();
        Path secret = storageRoot.resolve("secret.txt");
        Files.writeString(secret, "outside the folder");
        Files.createDirectories(folderRoot);
        List<String> before = listing(storageRoot);
        String base = "http://127.0.0.1:" + httpPort + FILES;
        List<String> attempts = List.of(
                "../secret.txt",
                "sub/../../secret.txt",
                "%2e%2e/secret.txt",
                "%2E%2E%2Fsecret.txt",
                "..%2Fsecret.txt",
                "a%2F..%2F..%2Fsecret.txt",
                "/" + secret,
                "C:/secret.txt",
                "%2F" + secret.toString().substring(1),
                "%00secret.txt",
                "x%00/../secret.txt",
                "..%5Csecret.txt",
                "..\\secret.txt");
        for (String attempt : attempts) {
            for (String method : List.of("GET", "PUT", "DELETE")) {
                List<String> command = new java.util.ArrayList<>(List.of("curl", "-sS", "--path-as-is", "-g",
                        "-u", Api.ADMIN + ":" + Api.ADMIN_PASSWORD, "-X", method, "-w", "\n%{http_code} %{content_type}"));
                if (method.equals("PUT")) {
                    command.addAll(List.of("-H", "Content-Type: application/octet-stream", "--data-binary", "overwritten"));
                }
                command.add(base + attempt);
                ExternalCommand.Result result = ExternalCommand.run(command);
                assertThat(result.ok()).as(result.output()).isTrue();
                String statusLine = result.output().lines().reduce((a, b) -> b).orElseThrow();
                assertThat(statusLine).as(method + " " + attempt + ": " + result.output())
                        .startsWith("400 application/problem+json");
                assertThat(result.output()).doesNotContain("outside the folder");
            }
        }
        assertThat(api.putBytes(FILES + "movable.txt", "stays".getBytes()).status()).isEqualTo(201);
        for (String to : List.of("../escaped.txt", "a/../../escaped.txt", "//tmp/escaped.txt", "x%00y", "..%5Cescaped")) {
            Api.Response rename = api.post(FILES + "movable.txt?op=rename&to=" + to, null);
            assertThat(rename.status()).as("rename to " + to + ": " + rename.text()).isEqualTo(400);
            assertThat(rename.header("Content-Type")).startsWith("application/problem+json");
        }
        assertThat(api.delete(FILES + "movable.txt").status()).isEqualTo(204);
        assertThat(Files.readString(secret)).isEqualTo("outside the folder");
        assertThat(listing(storageRoot)).isEqualTo(before);
    }

    private static List<String> listing(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }

    private List<Path> temporaryFiles() throws IOException {
        try (Stream<Path> files = Files.list(folderRoot)) {
            return files.filter(p -> p.getFileName().toString().startsWith(".ftpbridge-upload-")).toList();
        }
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
