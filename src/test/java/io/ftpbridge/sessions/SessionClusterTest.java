package io.ftpbridge.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ftpbridge.testsupport.Api;
import io.ftpbridge.testsupport.Instances;
import io.ftpbridge.testsupport.PostgresSupport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPConnectionClosedException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/** Two instances on one PostgreSQL: each lists the other's FTP sessions and kicks them. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SessionClusterTest {

    static final int SESSIONS = 40;

    PostgresSupport.Database db;
    ConfigurableApplicationContext a;
    ConfigurableApplicationContext b;

    @BeforeAll
    void startTwoInstances() throws Exception {
        db = PostgresSupport.freshDatabase();
        Path dataDir = Files.createTempDirectory("ftpbridge-sessions-");
        a = Instances.start(db, dataDir, "--ftpbridge.ftp.passive-ports=26100-26109",
                "--ftpbridge.ftp.max-connections-per-user=" + (SESSIONS + 10));
        b = Instances.start(db, dataDir, "--ftpbridge.ftp.passive-ports=26110-26119");
        Instances.api(a).createFolderAndUser("shared", "roamer", "roamer-password", "/", Api.ALL);
    }

    @AfterAll
    void stopAll() {
        a.close();
        b.close();
    }

    @Test
    void eachInstanceListsTheOthersSessionsAndAKickReachesTheOwnerWithinTwoSeconds() throws Exception {
        FTPClient onA = login(a);
        FTPClient onB = login(b);
        try {
            onB.printWorkingDirectory();
            String instanceA = a.getBean(SessionRegistry.class).instance();
            String instanceB = b.getBean(SessionRegistry.class).instance();
            assertThat(instanceA).isNotEqualTo(instanceB);

            Api apiA = Instances.api(a);
            JsonNode fromB = await().atMost(Duration.ofSeconds(5)).until(() -> sessionOn(apiA, instanceB), s -> s != null
                    && "PWD".equals(s.get("lastCommand").asString()));
            assertThat(fromB.get("username").asString()).isEqualTo("roamer");
            assertThat(fromB.get("remoteAddress").asString()).startsWith("127.0.0.1:");
            assertThat(fromB.get("bytesOut").asLong()).isPositive();
            assertThat(fromB.get("transfer").isNull()).isTrue();
            assertThat(sessionOn(apiA, instanceA)).isNotNull();
            // a page agrees with the whole list; read again when a session of an instance that ended before this test (an
            // earlier run on this database) expired between the two reads
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                JsonNode all = Instances.api(b).get("/api/v1/sessions?size=500").json();
                JsonNode page = Instances.api(b).get("/api/v1/sessions?size=1&page=1").json();
                assertThat(page.get("total").asLong()).isEqualTo(all.get("items").size()).isGreaterThanOrEqualTo(2);
                assertThat(page.get("items")).hasSize(1);
                assertThat(page.get("items").get(0).get("id")).isEqualTo(all.get("items").get(1).get("id"));
            });

            long asked = System.nanoTime();
            assertThat(apiA.delete("/api/v1/sessions/" + fromB.get("id").asString()).status()).isEqualTo(204);
            await().atMost(Duration.ofMillis(2500)).pollInterval(Duration.ofMillis(50)).until(() -> closed(onB));
            assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(Duration.ofSeconds(2));
            assertThat(closed(onA)).isFalse();
            await().atMost(Duration.ofSeconds(3)).until(() -> sessionOn(apiA, instanceB) == null);
            assertThat(apiA.delete("/api/v1/sessions/" + fromB.get("id").asString()).status()).isEqualTo(404);
        } finally {
            onA.disconnect();
            onB.disconnect();
        }
    }

    @Test
    void commandsOfManySessionsReachTheDatabaseInOneTransactionPerHeartbeat() throws Exception {
        String instanceA = a.getBean(SessionRegistry.class).instance();
        Duration heartbeat = a.getBean(SessionProperties.class).heartbeat();
        List<FTPClient> clients = new ArrayList<>();
        try (RegistryWriteLog writes = RegistryWriteLog.install(db)) {
            for (int i = 0; i < SESSIONS; i++) {
                clients.add(login(a));
            }
            Thread.sleep(heartbeat.toMillis() * 2); // the logins are written
            OffsetDateTime from = OffsetDateTime.now(ZoneOffset.UTC);
            long started = System.nanoTime();
            AtomicLong commands = new AtomicLong();
            ExecutorService talkers = Executors.newFixedThreadPool(4);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int slice = t;
                done.add(talkers.submit(() -> {
                    while (System.nanoTime() - started < Duration.ofSeconds(3).toNanos()) {
                        for (int s = slice; s < clients.size(); s += 4) {
                            clients.get(s).sendNoOp();
                            clients.get(s).printWorkingDirectory();
                            commands.addAndGet(2);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(1, TimeUnit.MINUTES);
            }
            talkers.shutdown();
            Thread.sleep(heartbeat.toMillis() + 200); // the last commands are written
            Duration window = Duration.ofNanos(System.nanoTime() - started);
            RegistryWriteLog.Writes written = writes.since(instanceA, from);
            long heartbeats = window.toMillis() / heartbeat.toMillis() + 1;
            System.out.printf("SessionClusterTest: %d commands on %d sessions in %d ms: %s%n", commands.get(), SESSIONS,
                    window.toMillis(), written);
            assertThat(written.sessionRows()).as("the commands' sessions were written").isGreaterThanOrEqualTo(SESSIONS);
            assertThat(commands.get()).isGreaterThan(written.sessionRows() * 3);
            assertThat(written.transactions()).as("write transactions in %d ms", window.toMillis())
                    .isLessThanOrEqualTo(heartbeats);
            assertThat(written.leaseRenewals()).as("each write transaction renews the lease")
                    .isEqualTo(written.transactions());
            assertThat(written.mostPerSessionAndTransaction()).as("a session is written once per transaction").isEqualTo(1);
        } finally {
            for (FTPClient client : clients) {
                client.disconnect();
            }
        }
    }

    @Test
    void sessionsOfAnInstanceWhoseLeaseRanOutAreNotListed() throws Exception {
        String dead = "dead-" + UUID.randomUUID().toString().substring(0, 8);
        String alive = "alive-" + UUID.randomUUID().toString().substring(0, 8);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        insertInstanceWithSession(dead, now.minusSeconds(30));
        insertInstanceWithSession(alive, now.plusMinutes(5));
        JsonNode items = Instances.api(a).get("/api/v1/sessions?size=500").json().get("items");
        assertThat(items.valueStream().map(i -> i.get("instance").asString())).contains(alive).doesNotContain(dead);
    }

    private void insertInstanceWithSession(String instance, OffsetDateTime leaseUntil) throws Exception {
        try (Connection c = DriverManager.getConnection(db.url(), db.username(), db.password())) {
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO ftp_instance (id, started_at, lease_until) VALUES (?, ?, ?)")) {
                s.setString(1, instance);
                s.setObject(2, leaseUntil.minusHours(1));
                s.setObject(3, leaseUntil);
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO ftp_session (id, instance, username, remote_address,"
                    + " connected_at, last_command) VALUES (?, ?, 'ghost', '192.0.2.9:4000', ?, 'NOOP')")) {
                s.setString(1, UUID.randomUUID().toString());
                s.setString(2, instance);
                s.setObject(3, leaseUntil.minusMinutes(30));
                s.executeUpdate();
            }
        }
    }

    private static FTPClient login(ConfigurableApplicationContext instance) throws IOException {
        FTPClient client = new FTPClient();
        client.connect("127.0.0.1", Instances.ftpPort(instance));
        assertThat(client.login("roamer", "roamer-password")).isTrue();
        return client;
    }

    private static boolean closed(FTPClient client) {
        try {
            client.sendNoOp();
            return false;
        } catch (FTPConnectionClosedException e) {
            return true;
        } catch (IOException e) {
            return true;
        }
    }

    private static JsonNode sessionOn(Api api, String instance) {
        for (JsonNode item : api.get("/api/v1/sessions?size=500").json().get("items")) {
            if (instance.equals(item.get("instance").asString()) && "roamer".equals(item.get("username").asString())) {
                return item;
            }
        }
        return null;
    }
}
