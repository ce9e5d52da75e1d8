package io.ftpbridge.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ftpbridge.ftpserver.FtpServerLifecycle;
import io.ftpbridge.testsupport.Api;
import io.ftpbridge.testsupport.FtpBridgeTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** Every file action over FTP (curl) and REST, FTP logins and quota refusals are listed by GET /api/v1/events. */
@FtpBridgeTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventsTest {

    @LocalServerPort
    int httpPort;

    @Autowired
    FtpServerLifecycle ftp;

    Api api;

    @BeforeAll
    void setUp() {
        api = new Api(httpPort);
        assertThat(api.post("/api/v1/folders", "{\"name\":\"evfolder\",\"quotaBytes\":100000}").status()).isEqualTo(201);
        api.createUser("evuser", "evuser-pass-1", "evfolder", "/", Api.ALL);
    }

    private int curl(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("curl", "-sS", "--ftp-pasv"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }

    private String url(String password, String path) {
        return "ftp://evuser:%s@127.0.0.1:%d%s".formatted(password, ftp.port(), path);
    }

    private JsonNode events(String query) {
        return api.get("/api/v1/events?size=200&" + query).json().get("items");
    }

    private static JsonNode find(JsonNode items, String type, String path) {
        for (JsonNode e : items) {
            if (e.get("type").asString().equals(type) && (path == null || path.equals(e.get("path").asString()))) {
                return e;
            }
        }
        return null;
    }

    @Test
    void fileActionsLoginsAndQuotaRefusalsBecomeEvents(@TempDir Path tmp) throws Exception {
        OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC).minusSeconds(1);
        Path file = Files.write(tmp.resolve("r.bin"), "0123456789".repeat(100).getBytes(StandardCharsets.UTF_8));
        assertThat(curl("-T", file.toString(), url("evuser-pass-1", "/r.bin"))).isZero();
        assertThat(curl("-o", tmp.resolve("back.bin").toString(), url("evuser-pass-1", "/r.bin"))).isZero();
        assertThat(curl(url("wrong-password", "/"))).isNotZero();
        assertThat(curl("-Q", "MKD /sub", "-Q", "RNFR /r.bin", "-Q", "RNTO /sub/r2.bin", url("evuser-pass-1", "/"))).isZero();
        assertThat(api.delete("/api/v1/folders/evfolder/files/sub/r2.bin").status()).isEqualTo(204);
        Path big = Files.write(tmp.resolve("big.bin"), new byte[200_000]);
        assertThat(curl("-T", big.toString(), url("evuser-pass-1", "/big.bin"))).isNotZero();

        JsonNode items = events("folder=evfolder&from=" + start);
        JsonNode uploaded = find(items, "FILE_UPLOADED", "/r.bin");
        assertThat(uploaded).as(items.toString()).isNotNull();
        assertThat(uploaded.get("size").asLong()).isEqualTo(1000);
        assertThat(uploaded.get("actor").asString()).isEqualTo("evuser");
        assertThat(uploaded.get("protocol").asString()).isEqualTo("FTP");
        assertThat(uploaded.get("instance").asString()).isNotBlank();
        JsonNode downloaded = find(items, "FILE_DOWNLOADED", "/r.bin");
        assertThat(downloaded).as(items.toString()).isNotNull();
        assertThat(downloaded.get("size").asLong()).isEqualTo(1000);
        assertThat(find(items, "DIR_CREATED", "/sub")).isNotNull();
        JsonNode renamed = find(items, "FILE_RENAMED", "/sub/r2.bin");
        assertThat(renamed).isNotNull();
        assertThat(renamed.get("fromPath").asString()).isEqualTo("/r.bin");
        JsonNode deleted = find(items, "FILE_DELETED", "/sub/r2.bin");
        assertThat(deleted).isNotNull();
        assertThat(deleted.get("protocol").asString()).isEqualTo("REST");
        assertThat(deleted.get("actor").asString()).isEqualTo(Api.ADMIN);
        JsonNode quota = find(items, "QUOTA_EXCEEDED", "/big.bin");
        assertThat(quota).as(items.toString()).isNotNull();
        assertThat(find(items, "FILE_UPLOADED", "/big.bin")).isNull();

        JsonNode logins = events("type=LOGIN_FAILED&from=" + start);
        assertThat(logins).anyMatch(e -> e.get("actor").asString().equals("evuser") && e.get("protocol").asString().equals("FTP")
                && e.get("address").asString().equals("127.0.0.1"));
        assertThat(events("type=LOGIN_SUCCEEDED&from=" + start)).anyMatch(e -> e.get("actor").asString().equals("evuser"));
        assertThat(events("type=FILE_DELETED&folder=evfolder")).allMatch(e -> e.get("type").asString().equals("FILE_DELETED"));
    }

    @Test
    void badFiltersAreRefused() {
        assertThat(api.get("/api/v1/events?type=NOT_A_TYPE").status()).isEqualTo(400);
        assertThat(api.get("/api/v1/events?from=yesterday").status()).isEqualTo(400);
    }
}
