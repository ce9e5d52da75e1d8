package io.ftpbridge.admins;

import static org.assertj.core.api.Assertions.assertThat;

import io.ftpbridge.ftpserver.FtpServerLifecycle;
import io.ftpbridge.testsupport.Api;
import io.ftpbridge.testsupport.FtpBridgeTest;
import io.ftpbridge.testsupport.Ftplib;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** Administrator accounts over REST, their roles, and passwords that stop working the moment they change. */
@FtpBridgeTest
class AdminAccountsTest {

    @LocalServerPort
    int port;

    @Autowired
    FtpServerLifecycle ftp;

    @Test
    void administratorsAreCreatedListedChangedAndDeletedWithoutEverShowingAPassword() {
        Api admin = new Api(port);
        Api.Response created = admin.post("/api/v1/admins", """
                {"username":"crud-op","password":"crud-op-secret","role":"OPERATOR"}""");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        assertThat(created.header("Location")).isEqualTo("/api/v1/admins/crud-op");
        JsonNode body = created.json();
        assertThat(body.get("role").asString()).isEqualTo("OPERATOR");
        assertThat(body.get("enabled").asBoolean()).isTrue();
        assertThat(body.get("createdAt").isNull()).isFalse();
        assertThat(body.get("lastLoginAt").isNull()).isTrue();

        assertThat(admin.post("/api/v1/admins", """
                {"username":"crud-op","password":"crud-op-secret","role":"OPERATOR"}""").status()).isEqualTo(409);
        Api.Response invalid = admin.post("/api/v1/admins", """
                {"username":"bad name","password":"short","role":"ROOT"}""");
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.header("Content-Type")).startsWith("application/problem+json");

        Api operator = admin.as("crud-op", "crud-op-secret");
        assertThat(operator.get("/api/v1/users").status()).isEqualTo(200);
        assertThat(operator.get("/api/v1/admins").status()).as("OPERATOR does not manage administrators").isEqualTo(403);
        assertThat(admin.get("/api/v1/admins/crud-op").json().get("lastLoginAt").isNull())
                .as("lastLoginAt is set by a login").isFalse();

        Api.Response page = admin.get("/api/v1/admins?page=0&size=500");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.json().get("total").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(page.text()).contains("\"crud-op\"").doesNotContain("crud-op-secret", "password", "{bcrypt}");

        // a demotion applies to the next request, cached credentials or not
        assertThat(admin.patch("/api/v1/admins/crud-op", "{\"role\":\"VIEWER\"}").status()).isEqualTo(200);
        assertThat(operator.post("/api/v1/folders", "{\"name\":\"crud-op-folder\"}").status()).isEqualTo(403);
        assertThat(operator.get("/api/v1/folders").status()).isEqualTo(200);

        assertThat(admin.patch("/api/v1/admins/crud-op", "{\"enabled\":false}").status()).isEqualTo(200);
        assertThat(operator.get("/api/v1/folders").status()).as("a disabled account is refused at once").isEqualTo(401);

        assertThat(admin.delete("/api/v1/admins/crud-op").status()).isEqualTo(204);
        assertThat(admin.get("/api/v1/admins/crud-op").status()).isEqualTo(404);
        assertThat(operator.get("/api/v1/folders").status()).isEqualTo(401);
    }

    @Test
    void anAdministratorsOldPasswordFailsTheMomentItIsChanged() {
        Api admin = new Api(port);
        assertThat(admin.post("/api/v1/admins", """
                {"username":"rotating","password":"first-password","role":"VIEWER"}""").status()).isEqualTo(201);
        Api old = admin.as("rotating", "first-password");
        assertThat(old.get("/api/v1/me").status()).isEqualTo(200); // now remembered as verified
        assertThat(old.get("/api/v1/me").json().get("role").asString()).isEqualTo("VIEWER");

        Api.Response wrongCurrent = old.put("/api/v1/me/password",
                "{\"currentPassword\":\"not-it-at-all\",\"newPassword\":\"second-password\"}");
        assertThat(wrongCurrent.status()).isEqualTo(400);
        assertThat(old.put("/api/v1/me/password",
                "{\"currentPassword\":\"first-password\",\"newPassword\":\"second-password\"}").status()).isEqualTo(204);

        assertThat(old.get("/api/v1/me").status()).as("the remembered old password is forgotten at once").isEqualTo(401);
        assertThat(admin.as("rotating", "second-password").get("/api/v1/me").status()).isEqualTo(200);

        // the same when an ADMIN sets it
        assertThat(admin.patch("/api/v1/admins/rotating", "{\"password\":\"third-password\"}").status()).isEqualTo(200);
        assertThat(admin.as("rotating", "second-password").get("/api/v1/me").status()).isEqualTo(401);
        assertThat(admin.as("rotating", "third-password").get("/api/v1/me").status()).isEqualTo(200);
    }

    @Test
    void anFtpUsersOldPasswordFailsOverFtpAndRestTheMomentItIsChanged() {
        Api admin = new Api(port);
        admin.createFolderAndUser("rotating-ftp-folder", "rotating-ftp", "ftp-first-pass", "/", Api.ALL);
        assertThat(ftpLogin("rotating-ftp", "ftp-first-pass")).contains("login OK");
        assertThat(ftpLogin("rotating-ftp", "ftp-first-pass")).contains("login OK"); // remembered
        Api user = admin.as("rotating-ftp", "ftp-first-pass");
        assertThat(user.get("/api/v1/me").json().get("kind").asString()).isEqualTo("FTP_USER");

        assertThat(user.put("/api/v1/me/password",
                "{\"currentPassword\":\"ftp-first-pass\",\"newPassword\":\"ftp-second-pass\"}").status()).isEqualTo(204);
        assertThat(ftpLogin("rotating-ftp", "ftp-first-pass")).contains("login ERR 530");
        assertThat(user.get("/api/v1/me").status()).isEqualTo(401);
        assertThat(ftpLogin("rotating-ftp", "ftp-second-pass")).contains("login OK");

        assertThat(admin.patch("/api/v1/users/rotating-ftp", "{\"password\":\"ftp-third-pass\"}").status()).isEqualTo(200);
        assertThat(ftpLogin("rotating-ftp", "ftp-second-pass")).contains("login ERR 530");
        assertThat(ftpLogin("rotating-ftp", "ftp-third-pass")).contains("login OK");

        assertThat(admin.patch("/api/v1/users/rotating-ftp", "{\"enabled\":false}").status()).isEqualTo(200);
        assertThat(ftpLogin("rotating-ftp", "ftp-third-pass")).contains("login ERR 530");
        assertThat(admin.as("rotating-ftp", "ftp-third-pass").get("/api/v1/me").status()).isEqualTo(401);
    }

    @Test
    void aWrongPasswordIsNeverTakenForARememberedOne() {
        Api admin = new Api(port);
        assertThat(admin.get("/api/v1/me").status()).isEqualTo(200);
        assertThat(admin.as(Api.ADMIN, Api.ADMIN_PASSWORD + "x").get("/api/v1/me").status()).isEqualTo(401);
        assertThat(admin.as(Api.ADMIN, "").get("/api/v1/me").status()).isEqualTo(401);
        assertThat(admin.get("/api/v1/me").status()).isEqualTo(200);
    }

    private String ftpLogin(String user, String password) {
        return Ftplib.script("127.0.0.1", ftp.port(), """
                f = connect()
                attempt('login', lambda: f.login('%s', '%s'))
                """.formatted(user, password)).output();
    }
}
