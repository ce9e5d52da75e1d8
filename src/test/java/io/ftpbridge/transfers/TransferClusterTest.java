package io.ftpbridge.transfers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ftpbridge.FtpBridgeApplication;
import io.ftpbridge.testsupport.Api;
import io.ftpbridge.testsupport.FtpPeers;
import io.ftpbridge.testsupport.PostgresSupport;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * Whole ftpbridge instances started and stopped here, on one PostgreSQL database and one data
 * directory: a job survives a restart, and two instances share a queue without running a job twice.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TransferClusterTest {

    FtpPeers.Peer peer;
    PostgresSupport.Database db;
    Path dataDir;
    ConfigurableApplicationContext a;
    ConfigurableApplicationContext b;

    @BeforeAll
    void startPeerAndTwoInstances() throws Exception {
        peer = FtpPeers.vsftpd(FtpPeers.options().passivePorts(26060, 26079).maxBytesPerSecond(1_000_000));
        db = PostgresSupport.freshDatabase();
        dataDir = Files.createTempDirectory("ftpbridge-cluster-");
        a = start(db, dataDir);
        b = start(db, dataDir);
        TransferTestSupport.createRemote(api(a), "cluster-peer", peer, "PASV");
        assertThat(api(a).post("/api/v1/folders", "{\"name\":\"cluster\"}").status()).isEqualTo(201);
    }

    @AfterAll
    void stopAll() {
        a.close();
        b.close();
        peer.close();
    }

    @Test
    @Order(1)
    void twoInstancesShareFiftyJobsAndNoJobRunsTwice() throws Exception {
        for (int i = 0; i < 50; i++) {
            peer.put("pair/f-%02d.bin".formatted(i), TransferTestSupport.randomBytes(200 + i, 150_000));
        }
        Api apiA = api(a);
        Api apiB = api(b);
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            ids.add(TransferTestSupport.submit(i % 2 == 0 ? apiA : apiB, """
                    {"remote":"cluster-peer","direction":"DOWNLOAD","remotePath":"/pair/f-%02d.bin","folder":"cluster",
                     "localPath":"pair/f-%02d.bin"}""".formatted(i, i)));
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() ->
                apiB.get("/api/v1/transfers?state=SUCCEEDED&size=100").json().get("total").asLong() == 50);

        Set<String> owners = new HashSet<>();
        for (long id : ids) {
            JsonNode job = apiA.get("/api/v1/transfers/" + id).json();
            assertThat(job.get("attempts").asInt()).isEqualTo(1);
            String transcript = apiA.get("/api/v1/transfers/" + id + "/transcript").text();
            assertThat(transcript.lines().filter(l -> l.startsWith("> RETR ")).count()).as(transcript).isEqualTo(1);
            assertThat(transcript.lines().filter(l -> l.startsWith("< 220")).count()).as(transcript).isEqualTo(1);
            owners.addAll(owners(transcript));
        }
        assertThat(owners).as("both instances ran jobs").hasSize(2);
        String serverLog = peer.log();
        for (int i = 0; i < 50; i++) {
            String file = "/pair/f-%02d.bin".formatted(i);
            assertThat(count(serverLog, "OK DOWNLOAD: Client \"127.0.0.1\", \"" + file + "\"")).as(file).isEqualTo(1);
            assertThat(Files.size(dataDir.resolve("storage/cluster/pair/f-%02d.bin".formatted(i)))).isEqualTo(150_000);
        }
    }

    @Test
    @Order(2)
    void aJobCaughtByAStopIsResumedByTheNextStartAndFinishes() throws Exception {
        b.close(); // one instance left, so that the job's run is stopped with it
        Path source = peer.put("restart/big.bin", TransferTestSupport.randomBytes(11, 5 * 1024 * 1024));
        long id = TransferTestSupport.downloadUnderWay(api(a), "cluster-peer", "/restart/big.bin", "cluster", "big.bin", 1_500_000);
        a.close();
        Path folder = dataDir.resolve("storage/cluster");
        assertThat(TransferTestSupport.partials(dataDir.resolve("partials/job" + id))).hasSize(1);
        assertThat(folder.resolve("big.bin")).doesNotExist();

        a = start(db, dataDir);
        Api api = api(a);
        JsonNode done = TransferTestSupport.awaitState(api, id, "SUCCEEDED", Duration.ofSeconds(30));
        assertThat(done.get("attempts").asInt()).isEqualTo(2);
        assertThat(TransferTestSupport.sha256(folder.resolve("big.bin"))).isEqualTo(TransferTestSupport.sha256(source));
        assertThat(TransferTestSupport.partials(folder)).isEmpty();
        assertThat(TransferTestSupport.partials(dataDir.resolve("partials/job" + id))).isEmpty();
        String transcript = api.get("/api/v1/transfers/" + id + "/transcript").text();
        assertThat(TransferTestSupport.restOffset(transcript)).as(transcript).isGreaterThan(1_500_000);
        assertThat(owners(transcript)).hasSize(2);
    }

    @Test
    @Order(3)
    void aJobWhoseLeaseRanOutIsTakenOverButALiveLeaseIsLeftAlone() throws Exception {
        peer.put("lease/file.bin", TransferTestSupport.randomBytes(31, 100_000));
        // what a crashed instance leaves behind, and what a live one holds: rows no REST call can make
        long crashed = insertRunningJob("crashed-instance", OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(1));
        long alive = insertRunningJob("live-instance", OffsetDateTime.now(ZoneOffset.UTC).plusHours(1));

        Api api = api(a);
        JsonNode taken = TransferTestSupport.awaitState(api, crashed, "SUCCEEDED", Duration.ofSeconds(20));
        assertThat(taken.get("attempts").asInt()).isEqualTo(1);
        assertThat(Files.size(dataDir.resolve("storage/cluster/lease-crashed-instance.bin"))).isEqualTo(100_000);
        Thread.sleep(1000); // several polls
        JsonNode untouched = api.get("/api/v1/transfers/" + alive).json();
        assertThat(untouched.get("state").asString()).isEqualTo("RUNNING");
        assertThat(untouched.get("runBy").asString()).isEqualTo("live-instance");
        assertThat(untouched.get("attempts").asInt()).isZero();
    }

    private long insertRunningJob(String owner, OffsetDateTime leaseUntil) throws Exception {
        try (Connection c = DriverManager.getConnection(db.url(), db.username(), db.password());
             PreparedStatement insert = c.prepareStatement("""
                     INSERT INTO transfer_job (remote, direction, remote_path, folder, local_path, overwrite, state, owner,
                                               lease_until, created_at, started_at)
                     VALUES ('cluster-peer', 'DOWNLOAD', '/lease/file.bin', 'cluster', ?, 'REPLACE', 'RUNNING', ?, ?, ?, ?)
                     """, new String[] {"id"})) {
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            insert.setString(1, "lease-" + owner + ".bin");
            insert.setString(2, owner);
            insert.setObject(3, leaseUntil);
            insert.setObject(4, now);
            insert.setObject(5, now);
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    private static ConfigurableApplicationContext start(PostgresSupport.Database db, Path dataDir) {
        return new SpringApplicationBuilder(FtpBridgeApplication.class).run(
                "--spring.datasource.url=" + db.url(),
                "--spring.datasource.username=" + db.username(),
                "--spring.datasource.password=" + db.password(),
                "--ftpbridge.data-dir=" + dataDir,
                "--server.port=0",
                "--ftpbridge.ftp.port=0",
                "--ftpbridge.ftp.passive-ports=26080-26099",
                "--ftpbridge.admin.password=" + Api.ADMIN_PASSWORD,
                "--ftpbridge.transfers.concurrency=4",
                "--ftpbridge.transfers.poll-interval=200ms",
                "--ftpbridge.transfers.lease=5s",
                "--logging.level.org.springframework=WARN",
                "--logging.level.org.hibernate=WARN",
                "--logging.level.com.zaxxer=WARN",
                "--logging.level.org.flywaydb=WARN",
                "--spring.main.banner-mode=off");
    }

    private static Api api(ConfigurableApplicationContext context) {
        return new Api(Integer.parseInt(context.getEnvironment().getProperty("local.server.port")));
    }

    /** The instances that ran attempts of a job, from its transcript's {@code # attempt N by X} notes. */
    private static Set<String> owners(String transcript) {
        Set<String> owners = new HashSet<>();
        Matcher m = Pattern.compile("^# attempt \\d+ by (\\S+)$", Pattern.MULTILINE).matcher(transcript);
        while (m.find()) {
            owners.add(m.group(1));
        }
        return owners;
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
