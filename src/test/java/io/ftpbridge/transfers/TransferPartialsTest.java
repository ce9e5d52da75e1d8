package io.ftpbridge.transfers;

import static org.assertj.core.api.Assertions.assertThat;

import io.ftpbridge.ftpserver.FtpServerLifecycle;
import io.ftpbridge.storage.StorageService;
import io.ftpbridge.testsupport.Api;
import io.ftpbridge.testsupport.ExternalCommand;
import io.ftpbridge.testsupport.FtpBridgeTest;
import io.ftpbridge.testsupport.Ftplib;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** A transfer job's partial files, here and on the remote server, are out of reach of FTP and REST users. */
@FtpBridgeTest
class TransferPartialsTest {

    @LocalServerPort
    int httpPort;

    @Autowired
    FtpServerLifecycle ftp;

    @Autowired
    StorageService storage;

    @Test
    void bytesPlantedUnderAJobsOldPartialNameAreNeverDelivered() throws Exception {
        Api api = new Api(httpPort);
        api.createFolderAndUser("planted-src", "planted-source", "planted-source-password", "/", Api.ALL);
        api.createFolderAndUser("planted-dst", "planter", "planter-password", "/", Api.ALL);
        TransferTestSupport.createRemote(api, "planted-self", "127.0.0.1", ftp.port(), "planted-source",
                "planted-source-password", "EPSV");
        byte[] payload = TransferTestSupport.randomBytes(5, 600_000);
        Path source = Path.of(api.get("/api/v1/folders/planted-src").json().get("location").asString()).resolve("data.bin");
        Files.write(source, payload);

        // job ids are sequential: the attacker sees one and plants bytes under the names of the next ones
        long probe = TransferTestSupport.submit(api, """
                {"remote":"planted-self","direction":"DOWNLOAD","remotePath":"/data.bin","folder":"planted-dst","localPath":"probe.bin"}""");
        TransferTestSupport.awaitState(api, probe, "SUCCEEDED", Duration.ofSeconds(30));
        plantUnderTheNextJobsNames("planter", "planter-password", probe);

        long id = TransferTestSupport.submit(api, """
                {"remote":"planted-self","direction":"DOWNLOAD","remotePath":"/data.bin","folder":"planted-dst","localPath":"data.bin"}""");
        assertThat(id).isBetween(probe + 1, probe + 5);
        JsonNode done = TransferTestSupport.awaitState(api, id, "SUCCEEDED", Duration.ofSeconds(30));
        Path delivered = Path.of(api.get("/api/v1/folders/planted-dst").json().get("location").asString()).resolve("data.bin");
        assertThat(Files.readAllBytes(delivered)).as("the delivered file is the remote file, not the planted bytes")
                .isEqualTo(payload);
        String transcript = api.get("/api/v1/transfers/" + id + "/transcript").text();
        assertThat(transcript).as("nothing planted was resumed from").doesNotContain("> REST ");
        assertThat(done.get("progress").get("bytesDone").asLong()).isEqualTo(payload.length);
        assertThat(TransferTestSupport.partials(storage.partialsRoot().resolve("job" + id))).isEmpty();
        assertThat(storage.partialsRoot().startsWith(storage.storageRoot())).as("partials live outside folder storage").isFalse();
    }

    @Test
    void bytesPlantedUnderAnUploadsTemporaryNameOnTheServerAreNeverResumedFrom() throws Exception {
        Api api = new Api(httpPort);
        api.createFolderAndUser("upload-src", "upload-owner", "upload-owner-password", "/", Api.ALL);
        api.createFolderAndUser("upload-dst", "upload-target", "upload-target-password", "/", Api.ALL);
        TransferTestSupport.createRemote(api, "upload-self", "127.0.0.1", ftp.port(), "upload-target",
                "upload-target-password", "EPSV");
        byte[] payload = TransferTestSupport.randomBytes(6, 600_000);
        Files.write(Path.of(api.get("/api/v1/folders/upload-src").json().get("location").asString()).resolve("data.bin"), payload);

        long probe = TransferTestSupport.submit(api, """
                {"remote":"upload-self","direction":"UPLOAD","remotePath":"/probe.bin","folder":"upload-src","localPath":"data.bin"}""");
        TransferTestSupport.awaitState(api, probe, "SUCCEEDED", Duration.ofSeconds(30));
        // a user of the remote server plants bytes under the temporary names of the next upload jobs
        plantUnderTheNextJobsNames("upload-target", "upload-target-password", probe);

        long id = TransferTestSupport.submit(api, """
                {"remote":"upload-self","direction":"UPLOAD","remotePath":"/data.bin","folder":"upload-src","localPath":"data.bin"}""");
        assertThat(id).isBetween(probe + 1, probe + 5);
        TransferTestSupport.awaitState(api, id, "SUCCEEDED", Duration.ofSeconds(30));
        Path delivered = Path.of(api.get("/api/v1/folders/upload-dst").json().get("location").asString()).resolve("data.bin");
        assertThat(Files.readAllBytes(delivered)).as("the delivered file is the folder's file, not the planted bytes")
                .isEqualTo(payload);
        assertThat(api.get("/api/v1/transfers/" + id + "/transcript").text()).as("nothing planted was resumed from")
                .doesNotContain("> REST ");
    }

    /** Stores bytes over FTP as {@code user} under {@code /.data.bin}'s temporary names of the five jobs after {@code probe}. */
    private void plantUnderTheNextJobsNames(String user, String password, long probe) {
        StringBuilder plant = new StringBuilder();
        for (long id = probe + 1; id <= probe + 5; id++) {
            plant.append("attempt('PLANT%d', lambda: f.storbinary('STOR /.data.bin.ftpbridge-job%d.part', io.BytesIO(b'EVIL' * 25000)))\n"
                    .formatted(id, id));
        }
        ExternalCommand.Result planted = Ftplib.run(ftp.port(), user, password, plant.toString());
        assertThat(planted.output()).contains("PLANT%d OK 226".formatted(probe + 1));
    }
}
