package io.ftpbridge.me;

import static org.assertj.core.api.Assertions.assertThat;

import io.ftpbridge.ftpserver.FtpServerLifecycle;
import io.ftpbridge.testsupport.Api;
import io.ftpbridge.testsupport.FtpBridgeTest;
import io.ftpbridge.testsupport.Ftplib;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * An FTP user's own tree over REST, side by side with the same user over FTP: the same mounts,
 * the same permission refusals, the same quota, nothing outside its mounts.
 */
@FtpBridgeTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MyFilesRestTest {

    private static final String USER = "me-user";
    private static final String PASSWORD = "me-user-password";

    @LocalServerPort
    int port;

    @Autowired
    FtpServerLifecycle ftp;

    Api admin;
    Api me;

    @BeforeAll
    void userWithAWritableQuotaMountAndAReadOnlyMount() {
        admin = new Api(port);
        assertThat(admin.post("/api/v1/folders", "{\"name\":\"me-work\",\"quotaBytes\":10000}").status()).isEqualTo(201);
        assertThat(admin.post("/api/v1/folders", "{\"name\":\"me-docs\"}").status()).isEqualTo(201);
        assertThat(admin.post("/api/v1/folders", "{\"name\":\"me-elsewhere\"}").status()).isEqualTo(201);
        assertThat(admin.putBytes("/api/v1/folders/me-docs/files/manual.txt", "read me".getBytes()).status()).isEqualTo(201);
        assertThat(admin.putBytes("/api/v1/folders/me-elsewhere/files/secret.txt", "not yours".getBytes()).status()).isEqualTo(201);
        Api.Response user = admin.post("/api/v1/users", """
                {"username":"%s","password":"%s","mounts":[
                  {"folder":"me-work","path":"/work","permissions":["LIST","READ","WRITE","APPEND","DELETE","RENAME","MKDIR","RMDIR"]},
                  {"folder":"me-docs","path":"/docs","permissions":["LIST","READ"]}]}""".formatted(USER, PASSWORD));
        assertThat(user.status()).as(user.text()).isEqualTo(201);
        me = admin.as(USER, PASSWORD);
    }

    @Test
    void meShowsTheUsersMountsAndUsage() {
        JsonNode profile = me.get("/api/v1/me").json();
        assertThat(profile.get("username").asString()).isEqualTo(USER);
        assertThat(profile.get("kind").asString()).isEqualTo("FTP_USER");
        assertThat(profile.get("role").isNull()).isTrue();
        assertThat(profile.get("mounts").toString()).contains("\"/work\"", "\"/docs\"").doesNotContain("me-elsewhere");
        assertThat(profile.get("usage").toString()).contains("\"me-work\"", "\"quotaBytes\":10000");
        assertThat(profile.toString()).doesNotContain(PASSWORD, "location");
    }

    @Test
    void theUsersTreeIsItsMountsWithListRangeDownloadMkdirRenameAndDelete() {
        assertThat(me.get("/api/v1/me/files").json().toString()).contains("\"docs\"", "\"work\"").doesNotContain("me-elsewhere");
        assertThat(me.get("/api/v1/me/files/docs/manual.txt").text()).isEqualTo("read me");
        Api.Response range = me.send(me.builder("/api/v1/me/files/docs/manual.txt").header("Range", "bytes=0-3").GET());
        assertThat(range.status()).isEqualTo(206);
        assertThat(range.text()).isEqualTo("read");
        assertThat(range.header("ETag")).isNotBlank();

        assertThat(me.post("/api/v1/me/files/work/reports?op=mkdir", null).status()).isEqualTo(201);
        assertThat(me.putBytes("/api/v1/me/files/work/reports/a.txt", "abc".getBytes()).status()).isEqualTo(201);
        assertThat(me.send(me.builder("/api/v1/me/files/work/reports/a.txt?append=true")
                .PUT(HttpRequest.BodyPublishers.ofString("def"))).status()).isEqualTo(200);
        assertThat(me.post("/api/v1/me/files/work/reports/a.txt?op=rename&to=/work/reports/b.txt", null).status()).isEqualTo(200);
        assertThat(admin.get("/api/v1/folders/me-work/files/reports/b.txt").text())
                .as("the same bytes in the folder").isEqualTo("abcdef");
        assertThat(ftp("f.retrbinary('RETR /work/reports/b.txt', lambda b: print('BYTES', b.decode()))")).contains("BYTES abcdef");
        assertThat(me.delete("/api/v1/me/files/work/reports").status()).isEqualTo(409);
        assertThat(me.delete("/api/v1/me/files/work/reports?recursive=true").status()).isEqualTo(204);
    }

    @Test
    void aWriteLessMountRefusesTheUploadOverRestAsOverFtp() {
        Api.Response rest = me.putBytes("/api/v1/me/files/docs/new.txt", "nope".getBytes());
        assertThat(rest.status()).isEqualTo(403);
        assertThat(rest.json().get("detail").asString()).contains("WRITE");
        assertThat(ftp("attempt('STOR', lambda: f.storbinary('STOR /docs/new.txt', io.BytesIO(b'nope')))"))
                .contains("STOR ERR 550");
        assertThat(me.delete("/api/v1/me/files/docs/manual.txt").status()).isEqualTo(403);
        assertThat(me.post("/api/v1/me/files/docs/sub?op=mkdir", null).status()).isEqualTo(403);
        assertThat(me.post("/api/v1/me/files/docs/manual.txt?op=rename&to=/docs/x.txt", null).status()).isEqualTo(403);
        assertThat(me.putBytes("/api/v1/me/files/root.txt", "x".getBytes()).status())
                .as("the virtual root is read-only").isEqualTo(403);
        assertThat(admin.get("/api/v1/folders/me-docs/files").text()).doesNotContain("new.txt");
    }

    @Test
    void anUploadBeyondTheQuotaIsRefusedOverRestAsOverFtpAndLeavesNothing() {
        byte[] big = new byte[20_000];
        Api.Response rest = me.putBytes("/api/v1/me/files/work/big.bin", big);
        assertThat(rest.status()).isEqualTo(507);
        assertThat(rest.header("Content-Type")).startsWith("application/problem+json");
        assertThat(ftp("attempt('STOR', lambda: f.storbinary('STOR /work/big-ftp.bin', io.BytesIO(bytes(20000))))"))
                .contains("STOR ERR 552");
        assertThat(admin.get("/api/v1/folders/me-work/files").text()).doesNotContain("big.bin", "big-ftp.bin");
    }

    @Test
    void noPathLeadsOutsideTheUsersMounts() {
        assertThat(me.get("/api/v1/me/files/me-elsewhere/secret.txt").status()).isEqualTo(404);
        assertThat(me.get("/api/v1/me/files/work/%2e%2e/%2e%2e/me-elsewhere").status()).isEqualTo(400);
        assertThat(me.get("/api/v1/me/files/work/..%2F..%2Fme-elsewhere").status()).isEqualTo(400);
        assertThat(me.post("/api/v1/me/files/work/x?op=rename&to=../../me-elsewhere/x", null).status()).isIn(400, 403, 404);
        assertThat(me.get("/api/v1/folders/me-elsewhere/files/secret.txt").status())
                .as("an FTP user never reaches admin endpoints").isEqualTo(403);
        assertThat(me.get("/api/v1/users").status()).isEqualTo(403);
        assertThat(me.post("/api/v1/api-keys", "{\"name\":\"k\",\"role\":\"VIEWER\"}").status()).isEqualTo(403);
        assertThat(admin.get("/api/v1/me/files").status()).as("administrators have no FTP tree").isEqualTo(403);
    }

    private String ftp(String body) {
        return Ftplib.run(ftp.port(), USER, PASSWORD, body).output();
    }
}
