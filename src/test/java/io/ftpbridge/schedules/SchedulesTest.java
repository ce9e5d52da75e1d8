package io.ftpbridge.schedules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ftpbridge.folders.FolderService;
import io.ftpbridge.testsupport.Api;
import io.ftpbridge.testsupport.ExternalCommand;
import io.ftpbridge.testsupport.FtpBridgeTest;
import io.ftpbridge.testsupport.PureFtpdPeer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** Schedules against a real pure-ftpd: partner folders fetched once each, removed there only once complete here. */
@FtpBridgeTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SchedulesTest {

    @LocalServerPort
    int httpPort;

    @Autowired
    FolderService folders;

    Api api;
    PureFtpdPeer partner;
    Path folderRoot;

    @BeforeAll
    void setUp() {
        api = new Api(httpPort);
        partner = PureFtpdPeer.start(34420, 34439);
        Api.Response remote = api.post("/api/v1/remotes", """
                {"name":"sched-partner","host":"%s","port":%d,"username":"%s","password":"%s","dataMode":"PASV",
                 "connectTimeout":"PT5S","readTimeout":"PT10S"}""".formatted(partner.host(), partner.port(), PureFtpdPeer.USER,
                PureFtpdPeer.PASSWORD));
        assertThat(remote.status()).as(remote.text()).isEqualTo(201);
        assertThat(api.post("/api/v1/folders", "{\"name\":\"sched\"}").status()).isEqualTo(201);
        folderRoot = folders.storageOf("sched").root();
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
