package io.ftpbridge.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.ftpbridge.testsupport.Api;
import io.ftpbridge.testsupport.Instances;
import io.ftpbridge.testsupport.PostgresSupport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPConnectionClosedException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Two instances on one PostgreSQL share failed-login counts, bans and IP lists: a guesser
 * alternating between them is banned after as many failures as one that is not.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DefenderClusterTest {

    ConfigurableApplicationContext a;
    ConfigurableApplicationContext b;
    Api apiA;
    Api apiB;

    @BeforeAll
    void startTwoInstances() throws Exception {
        PostgresSupport.Database db = PostgresSupport.freshDatabase();
        Path dataDir = Files.createTempDirectory("ftpbridge-defender-");
        String[] guard = {"--ftpbridge.ftp.login-failures.max-attempts=4", "--ftpbridge.ftp.login-failures.delay=10ms",
                "--ftpbridge.ftp.login-failures.max-attempts-per-account=0"};
        a = Instances.start(db, dataDir, concat(guard, "--ftpbridge.ftp.passive-ports=26120-26129"));
        b = Instances.start(db, dataDir, concat(guard, "--ftpbridge.ftp.passive-ports=26130-26139"));
        apiA = Instances.api(a);
        apiB = Instances.api(b);
        apiA.createFolderAndUser("guarded", "guarded-user", "right-password", "/", Api.ALL);
    }

    @AfterAll
    void stopAll() {
        a.close();
        b.close();
    }

    @Test
    @Order(1)
    void entriesThatAreNotCidrsAreRefusedWithTheField() {
        for (String bad : new String[] {"300.1.1.1/24", "192.0.2.0/33", "2001:db8::/129", "example.com", "192.0.2.1/24", ""}) {
            Api.Response response = apiA.post("/api/v1/ip-lists", "{\"cidr\":\"%s\",\"type\":\"DENY\"}".formatted(bad));
            assertThat(response.status()).as(bad).isEqualTo(400);
            assertThat(response.json().get("errors").get(0).get("field").asString()).isEqualTo("cidr");
        }
        Api.Response v6 = apiA.post("/api/v1/ip-lists", "{\"cidr\":\"2001:db8::/32\",\"type\":\"ALLOW\",\"note\":\"lab\"}");
        assertThat(v6.status()).isEqualTo(201);
        assertThat(v6.json().get("protocols").toString()).isEqualTo("[\"FTP\",\"REST\"]");
        assertThat(v6.json().get("cidr").asString()).isEqualTo("2001:db8:0:0:0:0:0:0/32");
        assertThat(apiB.get("/api/v1/ip-lists/" + v6.json().get("id").asLong()).json().get("note").asString()).isEqualTo("lab");
        assertThat(apiB.delete("/api/v1/ip-lists/" + v6.json().get("id").asLong()).status()).isEqualTo(204);
        assertThat(apiA.get("/api/v1/ip-lists/" + v6.json().get("id").asLong()).status()).isEqualTo(404);
    }

    @Test
    @Order(2)
    void anAllowListedAddressIsNeverBanned() throws Exception {
        long id = apiA.post("/api/v1/ip-lists", "{\"cidr\":\"127.0.0.0/8\",\"type\":\"ALLOW\",\"protocols\":[\"FTP\"]}")
                .json().get("id").asLong();
        for (int i = 0; i < 8; i++) {
            assertThat(login(i % 2 == 0 ? a : b, "wrong-" + i)).isEqualTo(530);
        }
        assertThat(login(a, "right-password")).isEqualTo(230);
        assertThat(apiB.get("/api/v1/defender/bans").json().get("total").asLong()).isZero();
        assertThat(apiB.delete("/api/v1/ip-lists/" + id).status()).isEqualTo(204);
    }

    @Test
    @Order(3)
    void aGuesserAlternatingBetweenInstancesIsBannedAfterTheSameFailuresThenUnbanned() throws Exception {
        Thread.sleep(1100); // the allow entry just deleted is gone from every instance's copy
        for (int i = 0; i < 4; i++) {
            assertThat(login(i % 2 == 0 ? a : b, "guess-" + i)).as("attempt %d", i).isEqualTo(530);
        }
        assertThat(greeting(a)).isEqualTo(421);
        assertThat(greeting(b)).isEqualTo(421);
        // the ban covers REST logins from 127.0.0.1 too: the administrator comes over IPv6 loopback
        assertThat(apiA.get("/api/v1/defender/bans").status()).isEqualTo(429);
        Api v6A = new Api("[::1]", port(a));
        JsonNode bans = v6A.get("/api/v1/defender/bans").json();
        assertThat(bans.get("total").asLong()).isEqualTo(1);
        assertThat(bans.get("items").get(0).get("address").asString()).isEqualTo("127.0.0.1");
        assertThat(bans.get("items").get(0).get("failures").asInt()).isEqualTo(4);
        assertThat(bans.get("items").get(0).get("bannedUntil").asString()).isNotBlank();

        Api v6B = new Api("[::1]", port(b));
        assertThat(v6B.delete("/api/v1/defender/bans/127.0.0.1").status()).isEqualTo(204);
        assertThat(v6B.delete("/api/v1/defender/bans/127.0.0.1").status()).isEqualTo(404);
        assertThat(login(a, "right-password")).isEqualTo(230);
        assertThat(login(b, "right-password")).isEqualTo(230);
    }

    @Test
    @Order(4)
    void aDeniedAddressIsRefusedByFtpAtConnectAndByRestWith403() throws Exception {
        long ftp = apiA.post("/api/v1/ip-lists", "{\"cidr\":\"127.0.0.1/32\",\"type\":\"DENY\",\"protocols\":[\"FTP\"]}")
                .json().get("id").asLong();
        Thread.sleep(1100);
        assertThat(greeting(a)).isEqualTo(421);
        assertThat(greeting(b)).isEqualTo(421);
        assertThat(apiB.get("/api/v1/sessions").status()).as("REST is not in the entry").isEqualTo(200);

        long rest = apiA.post("/api/v1/ip-lists", "{\"cidr\":\"127.0.0.0/24\",\"type\":\"DENY\",\"protocols\":[\"REST\"],"
                + "\"note\":\"lab\"}").json().get("id").asLong();
        Thread.sleep(1100);
        Api.Response refused = apiB.get("/api/v1/sessions");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(refused.json().get("status").asInt()).isEqualTo(403);
        // the administrator still reaches the API over IPv6 loopback and lifts both entries
        Api v6 = new Api("[::1]", port(b));
        assertThat(v6.get("/api/v1/ip-lists").json().get("total").asLong()).isEqualTo(2);
        assertThat(v6.delete("/api/v1/ip-lists/" + rest).status()).isEqualTo(204);
        assertThat(v6.delete("/api/v1/ip-lists/" + ftp).status()).isEqualTo(204);
        Thread.sleep(1100);
        assertThat(apiA.get("/api/v1/sessions").status()).isEqualTo(200);
        assertThat(login(b, "right-password")).isEqualTo(230);
    }

    @Test
    @Order(5)
    void anExpiredDenyEntryNoLongerApplies() throws Exception {
        apiA.post("/api/v1/ip-lists", "{\"cidr\":\"127.0.0.1\",\"type\":\"DENY\",\"expiresAt\":\"2020-01-01T00:00:00Z\"}");
        Thread.sleep(1100);
        assertThat(apiA.get("/api/v1/sessions").status()).isEqualTo(200);
        assertThat(login(a, "right-password")).isEqualTo(230);
    }

    private static int port(ConfigurableApplicationContext instance) {
        return Integer.parseInt(instance.getEnvironment().getProperty("local.server.port"));
    }

    /** The reply to PASS of one fresh connection (or the refusal in place of the greeting). */
    private static int login(ConfigurableApplicationContext instance, String password) throws IOException {
        FTPClient client = new FTPClient();
        try {
            client.connect("127.0.0.1", Instances.ftpPort(instance));
            if (client.getReplyCode() != 220) {
                return client.getReplyCode();
            }
            client.login("guarded-user", password);
            return client.getReplyCode();
        } catch (FTPConnectionClosedException e) {
            return client.getReplyCode();
        } finally {
            if (client.isConnected()) {
                client.disconnect();
            }
        }
    }

    private static int greeting(ConfigurableApplicationContext instance) throws IOException {
        FTPClient client = new FTPClient();
        try {
            client.connect("127.0.0.1", Instances.ftpPort(instance));
            return client.getReplyCode();
        } catch (FTPConnectionClosedException e) {
            return client.getReplyCode();
        } finally {
            if (client.isConnected()) {
                client.disconnect();
            }
        }
    }

    private static String[] concat(String[] first, String... more) {
        String[] all = java.util.Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }
}
