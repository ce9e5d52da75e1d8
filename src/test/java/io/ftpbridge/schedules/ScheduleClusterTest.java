package io.ftpbridge.schedules;

import static org.assertj.core.api.Assertions.assertThat;

import io.ftpbridge.testsupport.Api;
import io.ftpbridge.testsupport.FtpPeers;
import io.ftpbridge.testsupport.Instances;
import io.ftpbridge.testsupport.PostgresSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import io.ftpbridge.testsupport.ExternalCommand;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import static org.awaitility.Awaitility.await;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two whole instances on one PostgreSQL database: a schedule every 2 s fires once per due time, not once
 * per instance; after all instances were down for several due times, the restarted one fires once for
 * them and finishes a source action owed from before.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScheduleClusterTest {

    FtpPeers.Peer peer;
    PostgresSupport.Database db;
    Path dataDir;
    ConfigurableApplicationContext a;
    ConfigurableApplicationContext b;
    ConfigurableApplicationContext restarted;

    @BeforeAll
    void startPeerAndTwoInstances() throws Exception {
        peer = FtpPeers.vsftpd(FtpPeers.options().passivePorts(26440, 26459));
        peer.put("tick/file.txt", "tick\n".getBytes());
        db = PostgresSupport.freshDatabase();
        dataDir = Files.createTempDirectory("ftpbridge-schedules-");
        a = start(db, dataDir);
        b = start(db, dataDir);
    }

    @AfterAll
    void stopAll() {
        for (ConfigurableApplicationContext c : new ConfigurableApplicationContext[] {a, b, restarted}) {
            if (c != null && c.isActive()) {
                c.close();
            }
        }
        peer.close();
    }

    @Test
    @Order(1)
    void aScheduleEveryTwoSecondsOnTwoInstancesFiresOncePerDueTime() throws Exception {
        Api api = api(a);
        assertThat(api.post("/api/v1/remotes", """
                {"name":"tick-peer","host":"%s","port":%d,"username":"%s","password":"%s","dataMode":"EPSV"}"""
                .formatted(peer.host(), peer.port(), peer.user(), peer.password())).status()).isEqualTo(201);
        assertThat(api.post("/api/v1/folders", "{\"name\":\"ticks\"}").status()).isEqualTo(201);
        Api.Response created = api.post("/api/v1/schedules", """
                {"name":"every-2s","cron":"*/2 * * * * *","overlap":"QUEUE","job":{"remote":"tick-peer","direction":"DOWNLOAD",
                 "remotePath":"/tick/file.txt","folder":"ticks","localPath":"file.txt"}}""");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        long id = created.json().get("id").asLong();

        Thread.sleep(Duration.ofSeconds(11).toMillis());
        assertThat(api(b).put("/api/v1/schedules/" + id, """
                {"name":"every-2s","cron":"*/2 * * * * *","enabled":false,"job":{"remote":"tick-peer","direction":"DOWNLOAD",
                 "remotePath":"/tick/file.txt","folder":"ticks","localPath":"file.txt"}}""").status()).isEqualTo(200);

        List<OffsetDateTime> fired = new ArrayList<>();
        Set<Long> jobs = new HashSet<>();
        try (Connection c = DriverManager.getConnection(db.url(), db.username(), db.password());
             ResultSet rs = c.createStatement().executeQuery(
                     "SELECT fired_at, job_id FROM schedule_run WHERE schedule_id = " + id + " ORDER BY fired_at")) {
            while (rs.next()) {
                fired.add(rs.getObject(1, OffsetDateTime.class));
                jobs.add(rs.getLong(2));
            }
        }
        assertThat(fired.size()).as("firings in 11 s: %s", fired).isBetween(4, 6);
        assertThat(new HashSet<>(fired)).as("each due time once").hasSize(fired.size());
        assertThat(jobs).as("one job per firing").hasSize(fired.size());
        for (int i = 1; i < fired.size(); i++) {
            assertThat(Duration.between(fired.get(i - 1), fired.get(i))).isEqualTo(Duration.ofSeconds(2));
        }
    }

    @Test
    @Order(2)
    void afterDowntimeTheRestartedInstanceFiresOnceForTheMissedDueTimesAndFinishesAnOwedDelete() throws Exception {
        Api api = api(a);
        if (api.get("/api/v1/remotes/tick-peer").status() == 404) {
            assertThat(api.post("/api/v1/remotes", """
                    {"name":"tick-peer","host":"%s","port":%d,"username":"%s","password":"%s","dataMode":"EPSV"}"""
                    .formatted(peer.host(), peer.port(), peer.user(), peer.password())).status()).isEqualTo(201);
            assertThat(api.post("/api/v1/folders", "{\"name\":\"ticks\"}").status()).isEqualTo(201);
        }
        // the directory is root's: vsftpd's user may read the file but not delete it
        Path owed = peer.put("owed/o.dat", new byte[50_000]);
        Api.Response partner = api.post("/api/v1/schedules", """
                {"name":"owed-delete","cron":"0 0 3 1 1 *","onlyNew":true,"afterSuccess":"DELETE","job":{"remote":"tick-peer",
                 "direction":"DOWNLOAD","remotePath":"/owed/*.dat","folder":"ticks","localPath":"owed/","glob":true}}""");
        assertThat(partner.status()).as(partner.text()).isEqualTo(201);
        long partnerId = partner.json().get("id").asLong();
        assertThat(api.post("/api/v1/schedules/" + partnerId + "/run", null).status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> "SOURCE".equals(sql("SELECT state FROM schedule_file WHERE schedule_id = "
                + partnerId + " AND source_error IS NOT NULL")));

        Api.Response created = api.post("/api/v1/schedules", """
                {"name":"down-2s","cron":"*/2 * * * * *","job":{"remote":"tick-peer","direction":"DOWNLOAD",
                 "remotePath":"/tick/file.txt","folder":"ticks","localPath":"down.txt"}}""");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        long id = created.json().get("id").asLong();
        await().atMost(Duration.ofSeconds(10)).until(() -> Long.parseLong(sql("SELECT COUNT(*) FROM schedule_run WHERE schedule_id = " + id)) > 0);

        a.close();
        b.close();
        long lastRunBefore = Long.parseLong(sql("SELECT MAX(id) FROM schedule_run WHERE schedule_id = " + id));
        Thread.sleep(9000); // four or five due times pass with no instance up
        assertThat(ExternalCommand.run(List.of("chown", FtpPeers.USER + ":", owed.getParent().toString())).ok()).isTrue();
        OffsetDateTime restartBegins = OffsetDateTime.now();
        restarted = start(db, dataDir);
        Thread.sleep(3000);
        assertThat(api(restarted).put("/api/v1/schedules/" + id, """
                {"name":"down-2s","cron":"*/2 * * * * *","enabled":false,"job":{"remote":"tick-peer","direction":"DOWNLOAD",
                 "remotePath":"/tick/file.txt","folder":"ticks","localPath":"down.txt"}}""").status()).isEqualTo(200);

        List<OffsetDateTime> missed = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(db.url(), db.username(), db.password());
             ResultSet rs = c.createStatement().executeQuery("SELECT fired_at FROM schedule_run WHERE schedule_id = " + id
                     + " AND id > " + lastRunBefore + " ORDER BY id")) {
            while (rs.next()) {
                OffsetDateTime fired = rs.getObject(1, OffsetDateTime.class);
                if (fired.isBefore(restartBegins)) {
                    missed.add(fired);
                }
            }
        }
        assertThat(missed).as("one firing for all the due times missed while down").hasSize(1);

        await().atMost(Duration.ofSeconds(20)).until(() -> !Files.exists(owed));
        assertThat(sql("SELECT state FROM schedule_file WHERE schedule_id = " + partnerId)).isEqualTo("DONE");
        assertThat(sql("SELECT COUNT(*) FROM schedule_run WHERE job_id IS NOT NULL AND schedule_id = " + partnerId))
                .as("the owed delete was finished without fetching the file again").isEqualTo("1");
        assertThat(Files.size(dataDir.resolve("storage/ticks/owed/o.dat"))).isEqualTo(50_000);
    }

    private String sql(String query) throws Exception {
        try (Connection c = DriverManager.getConnection(db.url(), db.username(), db.password());
             ResultSet rs = c.createStatement().executeQuery(query)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static ConfigurableApplicationContext start(PostgresSupport.Database db, Path dataDir) {
        return Instances.start(db, dataDir, "--ftpbridge.ftp.passive-ports=26460-26479",
                "--ftpbridge.schedules.poll-interval=100ms");
    }

    private static Api api(ConfigurableApplicationContext context) {
        return new Api(Integer.parseInt(context.getEnvironment().getProperty("local.server.port")));
    }
}
