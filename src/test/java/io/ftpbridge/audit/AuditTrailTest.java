package io.ftpbridge.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.ftpbridge.ftpserver.FtpServerLifecycle;
import io.ftpbridge.testsupport.Api;
import io.ftpbridge.testsupport.FtpBridgeTest;
import io.ftpbridge.testsupport.Ftplib;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/** Every change over REST and every login over FTP and REST leaves an audit row, and no row holds a secret. */
@FtpBridgeTest
class AuditTrailTest {

    @LocalServerPort
    int port;

    @Autowired
    FtpServerLifecycle ftp;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void eachChangeLeavesARowWithActorMethodTargetAndStatus() {
        Api admin = new Api(port);
        Instant start = Instant.now().minusSeconds(1);
        assertThat(admin.post("/api/v1/folders", "{\"name\":\"audited\"}").status()).isEqualTo(201);
        admin.createUser("audited-user", "audited-user-secret", "audited", "/", Api.ALL);
        assertThat(admin.patch("/api/v1/users/audited-user", "{\"password\":\"audited-new-secret\"}").status()).isEqualTo(200);
        assertThat(admin.putBytes("/api/v1/folders/audited/files/a.txt", "a".getBytes()).status()).isEqualTo(201);
        assertThat(admin.post("/api/v1/folders/audited/files/a.txt?op=rename&to=b.txt", null).status()).isEqualTo(200);
        assertThat(admin.post("/api/v1/folders/audited/files/b.txt?op=rename&to=x%00y%0Aforged", null).status()).isEqualTo(400);
        Api.Response key = admin.post("/api/v1/api-keys", "{\"name\":\"audited-key\",\"role\":\"OPERATOR\"}");
        String whole = key.json().get("key").asString();
        assertThat(admin.bearer(whole).delete("/api/v1/users/audited-user").status()).isEqualTo(204);
        assertThat(admin.delete("/api/v1/users/nobody-here").status()).isEqualTo(404);
        assertThat(admin.as("audited-viewer-less", "whatever-pass").post("/api/v1/folders", "{\"name\":\"x\"}").status())
                .isEqualTo(401);
        Api.Response token = admin.post("/api/v1/auth/token", null);

        List<JsonNode> rows = rows(admin, "/api/v1/audit?from=" + start + "&size=500");
        JsonNode created = row(rows, "folders.create", "folders/audited");
        assertThat(created.get("actor").asString()).isEqualTo("admin");
        assertThat(created.get("authMethod").asString()).isEqualTo("BASIC");
        assertThat(created.get("method").asString()).isEqualTo("POST");
        assertThat(created.get("path").asString()).isEqualTo("/api/v1/folders");
        assertThat(created.get("status").asInt()).isEqualTo(201);
        assertThat(created.get("clientAddress").asString()).isEqualTo("127.0.0.1");
        assertThat(row(rows, "users.create", "users/audited-user").get("status").asInt()).isEqualTo(201);
        assertThat(row(rows, "users.update", "users/audited-user").get("method").asString()).isEqualTo("PATCH");
        assertThat(row(rows, "folders.files.upload", "folders/audited/files/a.txt").get("status").asInt()).isEqualTo(201);
        assertThat(row(rows, "folders.files.rename", "folders/audited/files/a.txt -> b.txt").get("status").asInt()).isEqualTo(200);
        assertThat(row(rows, "folders.files.rename", "folders/audited/files/b.txt -> x\\u0000y\\u000aforged").get("status").asInt())
                .as("a refused request with control characters is recorded too").isEqualTo(400);
        String keyId = key.json().get("id").asString();
        assertThat(row(rows, "api-keys.create", "api-keys/" + keyId).get("status").asInt()).isEqualTo(201);
        JsonNode byKey = row(rows, "users.delete", "users/audited-user");
        assertThat(byKey.get("authMethod").asString()).isEqualTo("API_KEY");
        assertThat(byKey.get("keyId").asString()).isEqualTo(keyId);
        assertThat(row(rows, "users.delete", "users/nobody-here").get("status").asInt()).isEqualTo(404);
        assertThat(row(rows, "login.failed", "REST UNKNOWN_USER").get("actor").asString()).isEqualTo("audited-viewer-less");
        assertThat(row(rows, "auth.token", "auth/token").get("status").asInt()).isEqualTo(200);

        String everything = jdbc.queryForList("select * from audit_event").toString() + rows;
        // the key's secret is what follows "fbk_<id>_" (base64url, which may itself hold '_')
        assertThat(everything).doesNotContain("audited-user-secret", "audited-new-secret", whole,
                whole.substring(("fbk_" + keyId + "_").length()), token.json().get("access_token").asString(),
                Api.ADMIN_PASSWORD, "whatever-pass");
    }

    @Test
    void ftpAndRestLoginsAreRecordedAndFiltersNarrowTheTrail() {
        Api admin = new Api(port);
        admin.createFolderAndUser("audit-login-folder", "audit-login", "audit-login-pass", "/", Api.ALL);
        Instant start = Instant.now().minusSeconds(1);
        // a REST Basic login is recorded when its password is checked afresh (not yet remembered)
        assertThat(admin.as("audit-login", "audit-login-pass").get("/api/v1/me").status()).isEqualTo(200);
        Ftplib.script("127.0.0.1", ftp.port(), """
                f = connect()
                attempt('bad', lambda: f.login('audit-login', 'wrong-password'))
                f = connect()
                attempt('good', lambda: f.login('audit-login', 'audit-login-pass'))
                """);

        List<JsonNode> logins = rows(admin, "/api/v1/audit?actor=audit-login&action=login.*&from=" + start);
        assertThat(logins).extracting(r -> r.get("action").asString() + " " + r.get("target").asString())
                .contains("login.failed FTP BAD_PASSWORD", "login.succeeded FTP", "login.succeeded REST");
        assertThat(logins).allSatisfy(r -> assertThat(r.get("actor").asString()).isEqualTo("audit-login"));

        assertThat(rows(admin, "/api/v1/audit?actor=audit-login&action=login.failed")).hasSize(1);
        assertThat(rows(admin, "/api/v1/audit?actor=audit-login&to=" + start)).isEmpty();
        assertThat(rows(admin, "/api/v1/audit?target=audit-login-folder&action=folders.create")).hasSize(1);
        Api.Response page = admin.get("/api/v1/audit?page=0&size=2");
        assertThat(page.json().get("items")).hasSize(2);
        assertThat(page.json().get("total").asLong()).isGreaterThan(2);
        assertThat(admin.get("/api/v1/audit?from=yesterday").status()).isEqualTo(400);
    }

    @Autowired
    AuditTrail trail;

    @Test
    void rowsPastTheRetentionAreDeletedByThePurge() {
        Instant now = Instant.now();
        jdbc.update("insert into audit_event (occurred_at, actor, action) values (?, 'purge-old', 'test.old')",
                Timestamp.from(now.minus(Duration.ofDays(91))));
        jdbc.update("insert into audit_event (occurred_at, actor, action) values (?, 'purge-kept', 'test.kept')",
                Timestamp.from(now.minus(Duration.ofDays(89))));
        trail.purge();
        Api admin = new Api(port);
        assertThat(rows(admin, "/api/v1/audit?actor=purge-old")).isEmpty();
        assertThat(rows(admin, "/api/v1/audit?actor=purge-kept")).hasSize(1);
    }

    private static List<JsonNode> rows(Api api, String path) {
        Api.Response response = api.get(path);
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        List<JsonNode> rows = new ArrayList<>();
        response.json().get("items").forEach(rows::add);
        return rows;
    }

    private static JsonNode row(List<JsonNode> rows, String action, String target) {
        return rows.stream()
                .filter(r -> r.get("action").asString().equals(action) && target.equals(r.get("target").asString()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no audit row " + action + " " + target + " in " + rows));
    }
}
