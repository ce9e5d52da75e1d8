package io.ftpbridge.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.ftpbridge.FtpBridgeApplication;
import io.ftpbridge.testsupport.Api;
import io.ftpbridge.testsupport.PostgresSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Two instances on one fresh PostgreSQL database and storage, with the same
 * {@code ftpbridge.secrets.key}: tokens and API keys work on both, a revocation reaches the other
 * within 5 s, and the last enabled ADMIN is kept.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AccessClusterTest {

    ConfigurableApplicationContext a;
    ConfigurableApplicationContext b;

    @BeforeAll
    void startTwoInstances() throws Exception {
        PostgresSupport.Database db = PostgresSupport.freshDatabase();
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        String secrets = Base64.getEncoder().encodeToString(key);
        Path dataDir = Files.createTempDirectory("ftpbridge-access-");
        a = start(db, dataDir, secrets, "26300-26309");
        b = start(db, dataDir, secrets, "26310-26319");
    }

    @AfterAll
    void stopBoth() {
        a.close();
        b.close();
    }

    @Test
    void aTokenIssuedByOneInstanceIsAcceptedByTheOther() {
        Api.Response issued = api(a).post("/api/v1/auth/token", null);
        assertThat(issued.status()).as(issued.text()).isEqualTo(200);
        JsonNode token = issued.json();
        assertThat(token.get("token_type").asString()).isEqualTo("Bearer");
        assertThat(token.get("expires_in").asLong()).isEqualTo(900);
        String value = token.get("access_token").asString();
        assertThat(value.split("\\.")).hasSize(3);

        Api onB = api(b).bearer(value);
        assertThat(onB.get("/api/v1/users").status()).isEqualTo(200);
        JsonNode me = onB.get("/api/v1/me").json();
        assertThat(me.get("username").asString()).isEqualTo(Api.ADMIN);
        assertThat(me.get("authMethod").asString()).isEqualTo("TOKEN");
        assertThat(me.get("role").asString()).isEqualTo("ADMIN");

        assertThat(onB.post("/api/v1/auth/token", null).status()).as("a token is not exchanged for another").isEqualTo(403);
        String[] parts = value.split("\\.");
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"iss\":\"ftpbridge\",\"sub\":\"admin\",\"kind\":\"ADMIN\",\"exp\":4102444800}".getBytes()) + "." + parts[2];
        Api.Response refused = api(b).bearer(forged).get("/api/v1/users");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(api(b).bearer("not-a-token").get("/api/v1/users").status()).isEqualTo(401);
    }

    @Test
    void anFtpUsersTokenReachesItsOwnFilesOnTheOtherInstanceAndNothingElse() {
        api(a).createFolderAndUser("cluster-own", "cluster-ftp", "cluster-ftp-pass", "/", Api.ALL);
        Api.Response issued = api(a).as("cluster-ftp", "cluster-ftp-pass").post("/api/v1/auth/token", null);
        assertThat(issued.status()).isEqualTo(200);
        Api onB = api(b).bearer(issued.json().get("access_token").asString());
        assertThat(onB.putBytes("/api/v1/me/files/hello.txt", "hello".getBytes()).status()).isEqualTo(201);
        assertThat(onB.get("/api/v1/me/files/hello.txt").text()).isEqualTo("hello");
        assertThat(onB.get("/api/v1/users").status()).isEqualTo(403);

        assertThat(api(a).patch("/api/v1/users/cluster-ftp", "{\"enabled\":false}").status()).isEqualTo(200);
        assertThat(onB.get("/api/v1/me/files").status()).as("a disabled user's token is refused").isEqualTo(401);
    }

    @Test
    void aKeyRevokedOnOneInstanceIsRefusedByTheOtherWithinFiveSeconds() throws InterruptedException {
        Api.Response made = api(a).post("/api/v1/api-keys", "{\"name\":\"cluster-key\",\"role\":\"VIEWER\"}");
        assertThat(made.status()).isEqualTo(201);
        Api keyOnB = api(b).bearer(made.json().get("key").asString());
        assertThat(keyOnB.get("/api/v1/users").status()).isEqualTo(200);

        assertThat(api(a).delete("/api/v1/api-keys/" + made.json().get("id").asString()).status()).isEqualTo(204);
        long revoked = System.nanoTime();
        while (keyOnB.get("/api/v1/users").status() == 200) {
            assertThat((System.nanoTime() - revoked) / 1_000_000).as("ms until the other instance refuses the key")
                    .isLessThan(5_000);
            Thread.sleep(100);
        }
        assertThat(keyOnB.get("/api/v1/users").status()).isEqualTo(401);
    }

    @Test
    @Order(Integer.MAX_VALUE) // may leave the bootstrap admin disabled
    void theLastEnabledAdminCannotBeDeletedDisabledOrDemoted() {
        Api admin = api(a);
        assertThat(admin.delete("/api/v1/admins/admin").status()).isEqualTo(409);
        assertThat(admin.patch("/api/v1/admins/admin", "{\"enabled\":false}").status()).isEqualTo(409);
        Api.Response demote = admin.patch("/api/v1/admins/admin", "{\"role\":\"OPERATOR\"}");
        assertThat(demote.status()).isEqualTo(409);
        assertThat(demote.json().get("detail").asString()).contains("last enabled ADMIN");
        assertThat(admin.put("/api/v1/admins/admin", "{\"username\":\"admin\",\"role\":\"VIEWER\"}").status()).isEqualTo(409);
        assertThat(admin.get("/api/v1/me").json().get("role").asString()).isEqualTo("ADMIN");

        // two ADMINs disabling each other at once on two instances: one of them stays
        assertThat(admin.post("/api/v1/admins", "{\"username\":\"second\",\"password\":\"second-pass\",\"role\":\"ADMIN\"}")
                .status()).isEqualTo(201);
        CompletableFuture<Integer> first = CompletableFuture.supplyAsync(() ->
                api(a).patch("/api/v1/admins/second", "{\"enabled\":false}").status());
        CompletableFuture<Integer> second = CompletableFuture.supplyAsync(() ->
                api(b).as("second", "second-pass").patch("/api/v1/admins/admin", "{\"enabled\":false}").status());
        int adminDisabledSecond = first.join();
        int secondDisabledAdmin = second.join();
        // one wins; the other is refused as the last enabled ADMIN (409) or, when the winner's change
        // was committed before it authenticated, as a disabled account (401)
        assertThat(List.of(adminDisabledSecond, secondDisabledAdmin)).containsOnlyOnce(200);
        // (429: the login guard refused the loser's concurrent attempt; it changed nothing either)
        assertThat(adminDisabledSecond == 200 ? secondDisabledAdmin : adminDisabledSecond).isIn(401, 409, 429);
        Api survivor = adminDisabledSecond == 200 ? api(b) : api(b).as("second", "second-pass");
        JsonNode admins = survivor.get("/api/v1/admins").json();
        long enabledAdmins = 0;
        for (JsonNode item : admins.get("items")) {
            if (item.get("enabled").asBoolean() && item.get("role").asString().equals("ADMIN")) {
                enabledAdmins++;
            }
        }
        assertThat(enabledAdmins).isEqualTo(1);
    }

    private static ConfigurableApplicationContext start(PostgresSupport.Database db, Path dataDir, String secretsKey,
                                                        String passivePorts) {
        return new SpringApplicationBuilder(FtpBridgeApplication.class).run(
                "--spring.datasource.url=" + db.url(),
                "--spring.datasource.username=" + db.username(),
                "--spring.datasource.password=" + db.password(),
                "--ftpbridge.data-dir=" + dataDir,
                "--ftpbridge.secrets.key=" + secretsKey,
                "--spring.datasource.hikari.maximum-pool-size=4", // a shared PostgreSQL: stay small
                "--server.port=0",
                "--ftpbridge.ftp.port=0",
                "--ftpbridge.ftp.passive-ports=" + passivePorts,
                "--ftpbridge.admin.password=" + Api.ADMIN_PASSWORD,
                // failed logins are counted in the shared database: other tests' failures from 127.0.0.1 must not lock it here
                "--ftpbridge.ftp.login-failures.max-attempts=1000",
                "--ftpbridge.ftp.login-failures.max-attempts-per-account=1000",
                "--logging.level.org.springframework=WARN",
                "--logging.level.org.hibernate=WARN",
                "--logging.level.com.zaxxer=WARN",
                "--logging.level.org.flywaydb=WARN",
                "--spring.main.banner-mode=off");
    }

    private static Api api(ConfigurableApplicationContext context) {
        return new Api(Integer.parseInt(context.getEnvironment().getProperty("local.server.port")));
    }
}
