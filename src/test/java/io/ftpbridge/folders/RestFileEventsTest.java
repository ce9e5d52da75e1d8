package io.ftpbridge.folders;

import static org.assertj.core.api.Assertions.assertThat;

import io.ftpbridge.testsupport.Api;
import io.ftpbridge.testsupport.FtpBridgeTest;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Every file action over REST is an event in GET /api/v1/events, as over FTP: downloads (whole, through
 * sendfile, and Range) of a folder's files and of an FTP user's own tree, uploads, mkdir, rename,
 * delete and rmdir; a 304, a 416 or a body the client broke off is not a download.
 */
@FtpBridgeTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestFileEventsTest {

    @LocalServerPort
    int httpPort;

    @Autowired
    FolderService folders;

    Api api;
    Api user;

    @BeforeAll
    void setUp() {
        api = new Api(httpPort);
        api.createFolderAndUser("restev", "restev-user", "restev-pass-1", "/", Api.ALL);
        user = api.as("restev-user", "restev-pass-1");
    }

    private List<JsonNode> events(OffsetDateTime from, String type) {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode e : api.get("/api/v1/events?size=500&folder=restev&type=" + type + "&from=" + from).json().get("items")) {
            found.add(e);
        }
        return found;
    }

    private static List<String> describe(List<JsonNode> events) {
        return events.stream().map(e -> "%s %s %s %s".formatted(text(e, "path"), text(e, "size"), text(e, "actor"),
                text(e, "protocol"))).toList();
    }

    private static String text(JsonNode event, String field) {
        JsonNode value = event.get(field);
        return value == null || value.isNull() ? "-" : value.asString();
    }

    @Test
    void restDownloadsWholeAndRangedAreEventsLikeFtpRetr() {
        OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC);
        byte[] small = "0123456789".repeat(100).getBytes();
        byte[] big = new byte[200_000]; // above the sendfile threshold: Tomcat sends it after the handler returns
        assertThat(api.putBytes("/api/v1/folders/restev/files/small.txt", small).status()).isEqualTo(201);
        assertThat(api.putBytes("/api/v1/folders/restev/files/big.bin", big).status()).isEqualTo(201);

        Api.Response whole = api.get("/api/v1/folders/restev/files/small.txt");
        assertThat(whole.status()).isEqualTo(200);
        assertThat(whole.raw().body()).hasSize(1000);
        Api.Response range = api.send(api.builder("/api/v1/folders/restev/files/small.txt").header("Range", "bytes=10-29").GET());
        assertThat(range.status()).isEqualTo(206);
        assertThat(range.raw().body()).hasSize(20);
        assertThat(api.get("/api/v1/folders/restev/files/big.bin").raw().body()).hasSize(200_000);
        Api.Response mine = user.send(user.builder("/api/v1/me/files/small.txt").header("Range", "bytes=-5").GET());
        assertThat(mine.status()).isEqualTo(206);
        assertThat(mine.raw().body()).hasSize(5);
        assertThat(user.get("/api/v1/me/files/big.bin").raw().body()).hasSize(200_000);
        // not downloads: a revalidation answered 304, an unsatisfiable range answered 416, a directory listing
        Api.Response notModified = api.send(api.builder("/api/v1/folders/restev/files/small.txt")
                .header("If-None-Match", whole.header("ETag")).GET());
        assertThat(notModified.status()).isEqualTo(304);
        assertThat(api.send(api.builder("/api/v1/folders/restev/files/small.txt").header("Range", "bytes=5000-6000").GET())
                .status()).isEqualTo(416);
        assertThat(api.get("/api/v1/folders/restev/files/").status()).isEqualTo(200);

        List<JsonNode> downloads = events(start, "FILE_DOWNLOADED");
        assertThat(describe(downloads)).containsExactlyInAnyOrder(
                "/small.txt 1000 admin REST",
                "/small.txt 20 admin REST",
                "/big.bin 200000 admin REST",
                "/small.txt 5 restev-user REST",
                "/big.bin 200000 restev-user REST");
    }

    @Test
    void aDownloadBrokenOffByTheClientIsNotAnEvent() throws Exception {
        OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC);
        int size = 30_000_000;
        Files.write(folders.storageOf("restev").root().resolve("huge.bin"), new byte[size]);
        String basic = Base64.getEncoder().encodeToString((Api.ADMIN + ":" + Api.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
        try (Socket socket = new Socket("127.0.0.1", httpPort)) {
            socket.getOutputStream().write(("GET /api/v1/folders/restev/files/huge.bin HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: Basic " + basic + "\r\nRange: bytes=0-" + (size - 1) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] some = socket.getInputStream().readNBytes(64 * 1024);
            assertThat(new String(some, 0, 12, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 206");
            socket.setSoLinger(true, 0); // reset: the rest of the body cannot be written
        }
        Thread.sleep(2000);
        Api.Response whole = api.send(api.builder("/api/v1/folders/restev/files/huge.bin").header("Range", "bytes=0-" + (size - 1)).GET());
        assertThat(whole.status()).isEqualTo(206);
        assertThat(whole.raw().body()).hasSize(size);
        assertThat(describe(events(start, "FILE_DOWNLOADED"))).as("only the download that went out whole")
                .containsExactly("/huge.bin " + size + " admin REST");
    }

    @Test
    void restUploadMkdirRenameDeleteAndRmdirAreEvents() {
        OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC);
        assertThat(user.post("/api/v1/me/files/inbox?op=mkdir", null).status()).isEqualTo(201);
        assertThat(user.putBytes("/api/v1/me/files/inbox/a.csv", "1,2,3\n".getBytes()).status()).isEqualTo(201);
        assertThat(api.post("/api/v1/folders/restev/files/inbox/a.csv?op=rename&to=inbox/b.csv", null).status()).isEqualTo(200);
        assertThat(user.delete("/api/v1/me/files/inbox/b.csv").status()).isEqualTo(204);
        assertThat(api.delete("/api/v1/folders/restev/files/inbox").status()).isEqualTo(204);

        assertThat(describe(events(start, "DIR_CREATED"))).containsExactly("/inbox - restev-user REST");
        assertThat(describe(events(start, "FILE_UPLOADED"))).containsExactly("/inbox/a.csv 6 restev-user REST");
        List<JsonNode> renamed = events(start, "FILE_RENAMED");
        assertThat(describe(renamed)).containsExactly("/inbox/b.csv 6 admin REST");
        assertThat(renamed.get(0).get("fromPath").asString()).isEqualTo("/inbox/a.csv");
        assertThat(describe(events(start, "FILE_DELETED"))).containsExactly("/inbox/b.csv 6 restev-user REST");
        assertThat(describe(events(start, "DIR_DELETED"))).containsExactly("/inbox - admin REST");
    }
}
