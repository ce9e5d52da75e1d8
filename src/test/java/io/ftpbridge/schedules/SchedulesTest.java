package io.ftpbridge.schedules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ftpbridge.folders.FolderService;
import io.ftpbridge.ftpserver.FtpServerLifecycle;
import io.ftpbridge.testsupport.Api;
import io.ftpbridge.testsupport.ExternalCommand;
import io.ftpbridge.testsupport.FtpBridgeTest;
import io.ftpbridge.testsupport.PureFtpdPeer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Schedules against a real pure-ftpd (partner folders fetched once each, removed there only once complete
 * here, a refused removal finished by the next run) and against our own FTP server with a throttled user
 * (a run that is still active when the next due time comes: QUEUE waits and then runs, SKIP skips).
 */
@FtpBridgeTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SchedulesTest {

    @LocalServerPort
    int httpPort;

    @Autowired
    FolderService folders;

    @Autowired
    FtpServerLifecycle ftp;

    @Autowired
    JdbcClient jdbc;

    Api api;
    PureFtpdPeer partner;
    Path folderRoot;

    @BeforeAll
    void setUp() {
        api = new Api(httpPort);
        partner = PureFtpdPeer.start(26420, 26439);
        Api.Response remote = api.post("/api/v1/remotes", """
                {"name":"sched-partner","host":"%s","port":%d,"username":"%s","password":"%s","dataMode":"PASV",
                 "connectTimeout":"PT5S","readTimeout":"PT10S"}""".formatted(partner.host(), partner.port(), PureFtpdPeer.USER,
                PureFtpdPeer.PASSWORD));
        assertThat(remote.status()).as(remote.text()).isEqualTo(201);
        assertThat(api.post("/api/v1/folders", "{\"name\":\"sched\"}").status()).isEqualTo(201);
        folderRoot = folders.storageOf("sched").root();
        // our own FTP server as the remote, with a user throttled so that a download takes seconds
        api.createFolderAndUser("slowsrc", "slow-peer", "slow-peer-pass-1", "/", "LIST", "READ");
        assertThat(api.patch("/api/v1/users/slow-peer", "{\"downloadBytesPerSecond\":60000}").status()).isEqualTo(200);
        assertThat(api.putBytes("/api/v1/folders/slowsrc/files/slow.bin", new byte[300_000]).status()).isEqualTo(201);
        assertThat(api.post("/api/v1/remotes", """
                {"name":"own-slow","host":"127.0.0.1","port":%d,"username":"slow-peer","password":"slow-peer-pass-1",
                 "dataMode":"EPSV"}""".formatted(ftp.port())).status()).isEqualTo(201);
    }

    @AfterAll
    void tearDown() {
        partner.close();
    }

    private long createSchedule(String body) {
        Api.Response created = api.post("/api/v1/schedules", body);
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.json().get("id").asLong();
    }

    private Set<Long> jobsOf(long schedule) {
        Set<Long> jobs = new HashSet<>();
        for (JsonNode run : api.get("/api/v1/schedules/" + schedule).json().get("lastRuns")) {
            if (!run.get("jobId").isNull()) {
                jobs.add(run.get("jobId").asLong());
            }
        }
        return jobs;
    }

    @Test
    void onlyNewWithDeleteFetchesEachFileOnceAndRemovesItOnlyWhenCompleteHere() throws Exception {
        Path drop = Files.createDirectories(partner.root().resolve("drop"));
        List<String> names = List.of("a.txt", "b.txt", "c.txt");
        for (int i = 0; i < names.size(); i++) {
            Files.write(drop.resolve(names.get(i)), ("file " + i + "\n").repeat(20_000 * (i + 1)).getBytes(StandardCharsets.UTF_8));
        }
        Files.writeString(drop.resolve("ignored.bin"), "not matched");
        // pure-ftpd runs as nobody: its files are nobody's, as an upload there would make them
        assertThat(ExternalCommand.run(List.of("chown", "-R", "nobody:nogroup", drop.toString())).ok()).isTrue();
        long schedule = createSchedule("""
                {"name":"drop-fetch","cron":"*/2 * * * * *","timeZone":"Europe/Paris","job":{"remote":"sched-partner",
                 "direction":"DOWNLOAD","remotePath":"/drop/*.txt","folder":"sched","localPath":"in/","glob":true},
                 "onlyNew":true,"afterSuccess":"DELETE"}""");
        assertThat(api.get("/api/v1/schedules/" + schedule).json().get("nextRunAt").isNull()).isFalse();

        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(50)).until(() -> {
            for (int i = 0; i < names.size(); i++) {
                if (!Files.exists(drop.resolve(names.get(i)))) {
                    // gone at the partner: it must be complete here already
                    Path local = folderRoot.resolve("in").resolve(names.get(i));
                    assertThat(local).exists();
                    assertThat(Files.size(local)).isEqualTo(("file " + i + "\n").length() * 20_000L * (i + 1));
                }
            }
            return names.stream().noneMatch(n -> Files.exists(drop.resolve(n)));
        });
        assertThat(drop.resolve("ignored.bin")).exists();
        Thread.sleep(4500); // two more firings: nothing new, nothing fetched again
        Set<Long> jobs = jobsOf(schedule);
        assertThat(jobs).hasSize(3);
        for (long job : jobs) {
            assertThat(api.get("/api/v1/transfers/" + job).json().get("state").asString()).isEqualTo("SUCCEEDED");
        }
        api.delete("/api/v1/schedules/" + schedule);
    }

    @Test
    void onlyNewSkipsFilesAlreadyFetchedWithTheSameSizeAndTime() throws Exception {
        Path keep = Files.createDirectories(partner.root().resolve("keep"));
        Files.writeString(keep.resolve("one.csv"), "1,2,3\n");
        long schedule = createSchedule("""
                {"name":"keep-fetch","cron":"0 0 3 * * *","job":{"remote":"sched-partner","direction":"DOWNLOAD",
                 "remotePath":"/keep/*.csv","folder":"sched","localPath":"kept/","glob":true},"onlyNew":true}""");
        assertThat(api.post("/api/v1/schedules/" + schedule + "/run", null).status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(folderRoot.resolve("kept/one.csv")));
        Files.writeString(keep.resolve("two.csv"), "4,5,6\n");
        await().atMost(Duration.ofSeconds(10)).until(() -> jobsOf(schedule).stream()
                .allMatch(j -> api.get("/api/v1/transfers/" + j).json().get("state").asString().equals("SUCCEEDED")));
        assertThat(api.post("/api/v1/schedules/" + schedule + "/run", null).status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(folderRoot.resolve("kept/two.csv")));
        assertThat(jobsOf(schedule)).hasSize(2);
        assertThat(keep.resolve("one.csv")).exists();
        api.delete("/api/v1/schedules/" + schedule);
    }

    /** A schedule whose cron does not come during the test: its due times are set in the database. */
    private long slowSchedule(String name, String overlap) {
        return createSchedule("""
                {"name":"%s","cron":"0 0 3 1 1 *","overlap":"%s","job":{"remote":"own-slow","direction":"DOWNLOAD",
                 "remotePath":"/slow.bin","folder":"sched","localPath":"%s/slow.bin"}}""".formatted(name, overlap, name));
    }

    private JsonNode runs(long schedule) {
        return api.get("/api/v1/schedules/" + schedule).json().get("lastRuns");
    }

    private JsonNode job(long id) {
        return api.get("/api/v1/transfers/" + id).json();
    }

    private boolean finished(long job) {
        return List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(job(job).get("state").asString());
    }

    private OffsetDateTime nextRunAt(long schedule) {
        return OffsetDateTime.parse(api.get("/api/v1/schedules/" + schedule).json().get("nextRunAt").asString());
    }

    /** The schedule's due time, as if it had come (or as if the service had been down since then). */
    private OffsetDateTime makeDue(long schedule, OffsetDateTime due) {
        jdbc.sql("UPDATE transfer_schedule SET next_run_at = :due WHERE id = :id").param("due", due).param("id", schedule).update();
        return due;
    }

    private static OffsetDateTime secondsAgo(long seconds) {
        return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).minusSeconds(seconds);
    }

    /** Waits until the due time was taken (the next one is the cron's, a year away); the first run must still be active. */
    private void awaitDueTaken(long schedule, long activeJob) {
        await().atMost(Duration.ofSeconds(10)).until(() -> nextRunAt(schedule).isAfter(OffsetDateTime.now().plusDays(1)));
        assertThat(finished(activeJob)).as("the first run must still be active when the due time comes").isFalse();
    }

    @Test
    void queueMakesTheNextRunWaitForTheActiveRunAndThenRunsIt() {
        long schedule = slowSchedule("queue-slow", "QUEUE");
        Api.Response now = api.post("/api/v1/schedules/" + schedule + "/run", null);
        assertThat(now.status()).isEqualTo(202);
        long first = now.json().get("lastRuns").get(0).get("jobId").asLong();

        OffsetDateTime due = makeDue(schedule, secondsAgo(1));
        awaitDueTaken(schedule, first);
        assertThat(runs(schedule)).as("queued: neither started nor skipped while the first run is active").hasSize(1);
        // run-now behind the active run joins the queued firing: one more run, not two
        assertThat(api.post("/api/v1/schedules/" + schedule + "/run", null).json().get("lastRuns")).hasSize(1);

        await().atMost(Duration.ofSeconds(60)).until(() -> finished(first));
        await().atMost(Duration.ofSeconds(10)).until(() -> runs(schedule).size() == 2);
        JsonNode queued = runs(schedule).get(0);
        assertThat(OffsetDateTime.parse(queued.get("firedAt").asString()).toInstant()).isEqualTo(due.toInstant());
        long second = queued.get("jobId").asLong();
        assertThat(OffsetDateTime.parse(job(second).get("createdAt").asString()))
                .as("the queued run started only after the first one ended")
                .isAfterOrEqualTo(OffsetDateTime.parse(job(first).get("finishedAt").asString()));
        assertThat(job(first).get("state").asString()).isEqualTo("SUCCEEDED");
        await().atMost(Duration.ofSeconds(60)).until(() -> finished(second));
        assertThat(job(second).get("state").asString()).isEqualTo("SUCCEEDED");
        assertThat(runs(schedule)).as("nothing else was queued").hasSize(2);
        api.delete("/api/v1/schedules/" + schedule);
    }

    @Test
    void skipRecordsASkippedRunWhileTheLastRunIsActiveAndStartsNothing() throws Exception {
        long schedule = slowSchedule("skip-slow", "SKIP");
        long first = api.post("/api/v1/schedules/" + schedule + "/run", null).json().get("lastRuns").get(0).get("jobId").asLong();

        OffsetDateTime due = makeDue(schedule, secondsAgo(1));
        awaitDueTaken(schedule, first);
        JsonNode runs = runs(schedule);
        assertThat(runs).hasSize(2);
        assertThat(runs.get(0).get("jobId").isNull()).as("the due time is recorded as skipped: %s", runs).isTrue();
        assertThat(OffsetDateTime.parse(runs.get(0).get("firedAt").asString()).toInstant()).isEqualTo(due.toInstant());
        JsonNode runNow = api.post("/api/v1/schedules/" + schedule + "/run", null).json().get("lastRuns");
        assertThat(runNow).hasSize(3);
        assertThat(runNow.get(0).get("jobId").isNull()).as("run-now behind an active run is skipped too").isTrue();

        await().atMost(Duration.ofSeconds(60)).until(() -> finished(first));
        Thread.sleep(1500); // three polls: a skipped run never starts later
        assertThat(jobsOf(schedule)).containsExactly(first);
        assertThat(runs(schedule)).hasSize(3);
        api.delete("/api/v1/schedules/" + schedule);
    }

    @Test
    void afterDowntimeTheMissedDueTimesRunOnceNotOncePerSlot() throws Exception {
        Path dir = Files.createDirectories(partner.root().resolve("missed"));
        Files.writeString(dir.resolve("m.txt"), "missed\n");
        long schedule = createSchedule("""
                {"name":"daily-missed","cron":"0 0 3 * * *","job":{"remote":"sched-partner","direction":"DOWNLOAD",
                 "remotePath":"/missed/m.txt","folder":"sched","localPath":"missed/m.txt"}}""");
        // down since three days: the due times of three days have passed
        OffsetDateTime due = makeDue(schedule, secondsAgo(3 * 24 * 3600 + 60));

        await().atMost(Duration.ofSeconds(10)).until(() -> !runs(schedule).isEmpty());
        Thread.sleep(2000); // four polls more
        JsonNode runs = runs(schedule);
        assertThat(runs).as("one run for all the missed due times").hasSize(1);
        assertThat(OffsetDateTime.parse(runs.get(0).get("firedAt").asString()).toInstant()).isEqualTo(due.toInstant());
        OffsetDateTime next = nextRunAt(schedule);
        assertThat(next).as("the next due time is the cron's next after now, not a missed one")
                .isAfter(OffsetDateTime.now()).isBefore(OffsetDateTime.now().plusDays(1).plusMinutes(1));
        long job = runs.get(0).get("jobId").asLong();
        await().atMost(Duration.ofSeconds(20)).until(() -> finished(job));
        assertThat(job(job).get("state").asString()).isEqualTo("SUCCEEDED");
        assertThat(Files.readString(folderRoot.resolve("missed/m.txt"))).isEqualTo("missed\n");
        api.delete("/api/v1/schedules/" + schedule);
    }

    @Test
    void runNowStartsARunAtOnceAndLeavesTheNextDueTime() throws Exception {
        Path dir = Files.createDirectories(partner.root().resolve("now"));
        Files.writeString(dir.resolve("n.txt"), "now\n");
        long schedule = createSchedule("""
                {"name":"run-now","cron":"0 30 4 * * *","job":{"remote":"sched-partner","direction":"DOWNLOAD",
                 "remotePath":"/now/n.txt","folder":"sched","localPath":"now/n.txt"}}""");
        OffsetDateTime next = nextRunAt(schedule);
        Api.Response run = api.post("/api/v1/schedules/" + schedule + "/run", null);
        assertThat(run.status()).isEqualTo(202);
        JsonNode runs = run.json().get("lastRuns");
        assertThat(runs).hasSize(1);
        assertThat(OffsetDateTime.parse(run.json().get("nextRunAt").asString()).toInstant()).isEqualTo(next.toInstant());
        long job = runs.get(0).get("jobId").asLong();
        await().atMost(Duration.ofSeconds(20)).until(() -> finished(job));
        assertThat(job(job).get("state").asString()).isEqualTo("SUCCEEDED");
        assertThat(Files.readString(folderRoot.resolve("now/n.txt"))).isEqualTo("now\n");
        assertThat(api.post("/api/v1/schedules/999999/run", null).status()).isEqualTo(404);
        api.delete("/api/v1/schedules/" + schedule);
    }

    private Map<String, Object> fileRow(long schedule, String path) {
        return jdbc.sql("SELECT state, source_attempts, source_error FROM schedule_file WHERE schedule_id = :id AND path = :path")
                .param("id", schedule).param("path", path).query().singleRow();
    }

    /** A partner directory with files of these sizes where pure-ftpd (working as nobody) may read but not delete (550). */
    private Path lockedPartnerDir(String name, Map<String, Integer> sizes) throws Exception {
        Path dir = Files.createDirectories(partner.root().resolve(name));
        for (Map.Entry<String, Integer> file : sizes.entrySet()) {
            Files.write(dir.resolve(file.getKey()), new byte[file.getValue()]);
        }
        assertThat(ExternalCommand.run(List.of("chown", "-R", "nobody:nogroup", dir.toString())).ok()).isTrue();
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
        return dir;
    }

    /** An onlyNew + DELETE schedule of {@code /<dir>/*.dat} into the folder's {@code <dir>/}, run now. */
    private long fetchAndDeleteNow(String name, String dir) {
        long schedule = createSchedule("""
                {"name":"%s","cron":"0 0 3 * * *","job":{"remote":"sched-partner","direction":"DOWNLOAD",
                 "remotePath":"/%s/*.dat","folder":"sched","localPath":"%s/","glob":true},
                 "onlyNew":true,"afterSuccess":"DELETE"}""".formatted(name, dir, dir));
        assertThat(api.post("/api/v1/schedules/" + schedule + "/run", null).status()).isEqualTo(202);
        return schedule;
    }

    @Test
    void aRefusedDeleteAtTheSourceIsOwedAndTheNextRunFinishesItWithoutFetchingAgain() throws Exception {
        Path locked = lockedPartnerDir("locked", Map.of("x.dat", 150_000, "y.dat", 70_000));
        long schedule = fetchAndDeleteNow("locked-fetch", "locked");
        Set<Long> jobs = jobsOf(schedule);
        assertThat(jobs).hasSize(2);

        await().atMost(Duration.ofSeconds(30)).until(() -> fileRow(schedule, "/locked/x.dat").get("source_error") != null
                && fileRow(schedule, "/locked/y.dat").get("source_error") != null);
        assertThat(fileRow(schedule, "/locked/x.dat").get("state")).isEqualTo("SOURCE");
        assertThat(locked.resolve("x.dat")).as("a refused delete leaves the source").exists();
        assertThat(folderRoot.resolve("locked/x.dat")).hasSize(150_000);
        assertThat(folderRoot.resolve("locked/y.dat")).hasSize(70_000);
        for (long job : jobs) {
            assertThat(job(job).get("state").asString()).isEqualTo("SUCCEEDED");
        }

        // still refused: the next run tries the delete again first and fetches nothing again
        int attempts = ((Number) fileRow(schedule, "/locked/x.dat").get("source_attempts")).intValue();
        assertThat(api.post("/api/v1/schedules/" + schedule + "/run", null).status()).isEqualTo(202);
        assertThat(((Number) fileRow(schedule, "/locked/x.dat").get("source_attempts")).intValue()).isGreaterThan(attempts);
        assertThat(jobsOf(schedule)).isEqualTo(jobs);

        // y.dat goes as if the delete had happened and a crash came before it was recorded; x.dat may be deleted now
        Files.delete(locked.resolve("y.dat"));
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(api.post("/api/v1/schedules/" + schedule + "/run", null).status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(locked.resolve("x.dat"))
                && "DONE".equals(fileRow(schedule, "/locked/x.dat").get("state"))
                && "DONE".equals(fileRow(schedule, "/locked/y.dat").get("state")));
        assertThat(fileRow(schedule, "/locked/x.dat").get("source_error")).isNull();
        assertThat(jobsOf(schedule)).as("no file was fetched twice").isEqualTo(jobs);
        assertThat(folderRoot.resolve("locked/x.dat")).hasSize(150_000);
        assertThat(folderRoot.resolve("locked/y.dat")).hasSize(70_000);
        api.delete("/api/v1/schedules/" + schedule);
    }

    @Test
    void aSourceReplacedWhileItsDeleteWasOwedIsFetchedAgainNotDeleted() throws Exception {
        Path dir = lockedPartnerDir("changed", Map.of("c.dat", 40_000));
        long schedule = fetchAndDeleteNow("changed-fetch", "changed");
        await().atMost(Duration.ofSeconds(30)).until(() -> fileRow(schedule, "/changed/c.dat").get("source_error") != null);
        assertThat(folderRoot.resolve("changed/c.dat")).hasSize(40_000);

        // the partner puts a new version under the same name before the delete could be done
        byte[] newer = "new version\n".repeat(5_000).getBytes(StandardCharsets.UTF_8);
        Files.write(dir.resolve("c.dat"), newer);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(api.post("/api/v1/schedules/" + schedule + "/run", null).status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> !Files.exists(dir.resolve("c.dat")));
        assertThat(Files.readAllBytes(folderRoot.resolve("changed/c.dat"))).as("the new version is here, not lost").isEqualTo(newer);
        assertThat(jobsOf(schedule)).as("the first version and the new one, once each").hasSize(2);
        api.delete("/api/v1/schedules/" + schedule);
    }

    @Test
    void badSchedulesAreRefusedWithTheField() {
        Api.Response cron = api.post("/api/v1/schedules", """
                {"name":"bad-cron","cron":"every day","job":{"remote":"sched-partner","direction":"DOWNLOAD",
                 "remotePath":"/x","folder":"sched","localPath":"x"}}""");
        assertThat(cron.status()).isEqualTo(400);
        assertThat(cron.text()).contains("\"cron\"");

        Api.Response zone = api.post("/api/v1/schedules", """
                {"name":"bad-zone","cron":"0 * * * * *","timeZone":"Mars/Olympus","job":{"remote":"nope","direction":"DOWNLOAD",
                 "remotePath":"/x","folder":"no-folder","localPath":"x"}}""");
        assertThat(zone.status()).isEqualTo(400);
        assertThat(zone.text()).contains("timeZone").contains("job.remote").contains("job.folder");

        Api.Response onlyNew = api.post("/api/v1/schedules", """
                {"name":"bad-only-new","cron":"0 * * * * *","onlyNew":true,"job":{"remote":"sched-partner","direction":"DOWNLOAD",
                 "remotePath":"/x","folder":"sched","localPath":"x"}}""");
        assertThat(onlyNew.status()).isEqualTo(400);
        assertThat(onlyNew.text()).contains("onlyNew");
    }
}
