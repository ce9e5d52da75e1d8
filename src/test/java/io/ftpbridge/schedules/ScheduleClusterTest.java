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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.context.ConfigurableApplicationContext;

/** Two whole instances on one PostgreSQL database: a schedule every 2 s fires once per due time, not once per instance. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScheduleClusterTest {

    FtpPeers.Peer peer;
    PostgresSupport.Database db;
    Path dataDir;
    ConfigurableApplicationContext a;
    ConfigurableApplicationContext b;

    @BeforeAll
    void startPeerAndTwoInstances() throws Exception {
        peer = FtpPeers.vsftpd(FtpPeers.options().passivePorts(34440, 34459));
        peer.put("tick/file.txt", "tick\n".getBytes());
        db = PostgresSupport.freshDatabase();
        dataDir = Files.createTempDirectory("ftpbridge-schedules-");
        a = start(db, dataDir);
        b = start(db, dataDir);
    }

    @AfterAll
    void stopAll() {
        a.close();
        b.close();
        peer.close();
    }

    @Test
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

    private static ConfigurableApplicationContext start(PostgresSupport.Database db, Path dataDir) {
        return Instances.start(db, dataDir, "--ftpbridge.ftp.passive-ports=34460-34479",
                "--ftpbridge.schedules.poll-interval=100ms");
    }

    private static Api api(ConfigurableApplicationContext context) {
        return new Api(Integer.parseInt(context.getEnvironment().getProperty("local.server.port")));
    }
}
