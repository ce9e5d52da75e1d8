package io.ftpbridge.folders;

import static org.assertj.core.api.Assertions.assertThat;

import io.ftpbridge.FtpBridgeApplication;
import io.ftpbridge.testsupport.Api;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Temporary files of uploads cut off by a kill -9 count in usage while they exist and are removed
 * at the next start; the folder's real files and quota are untouched.
 */
@ExtendWith(OutputCaptureExtension.class)
class OrphanedUploadsTest {

    @Test
    void uploadFilesOrphanedByAKillAreCountedThenRemovedAtTheNextStart(CapturedOutput output) throws Exception {
        Path dataDir = Files.createTempDirectory("orphans-");
        Path folder;
        Path orphan;
        Path nestedOrphan;
        try (ConfigurableApplicationContext first = start(dataDir)) {
            Api api = new Api(httpPort(first));
            assertThat(api.post("/api/v1/folders", "{\"name\":\"crashy\",\"quotaBytes\":100000}").status()).isEqualTo(201);
            assertThat(api.putBytes("/api/v1/folders/crashy/files/kept.bin", new byte[1000]).status()).isEqualTo(201);
            assertThat(api.post("/api/v1/folders/crashy/files/sub?op=mkdir", null).status()).isEqualTo(201);
            folder = Path.of(api.get("/api/v1/folders/crashy").json().get("location").asString());
            // what a replacing upload leaves when the process is killed: its temporary file beside the target
            orphan = folder.resolve(".ftpbridge-upload-3f8e1c2a-0b7d-4d1e-9a51-6c2f0e4b7a10.part");
            nestedOrphan = folder.resolve("sub/.ftpbridge-upload-91c0d1e4-5a3b-4f2c-8e7d-1b2a3c4d5e6f.part");
            Files.write(orphan, new byte[40_000]);
            Files.write(nestedOrphan, new byte[50_000]);

            assertThat(api.get("/api/v1/folders/crashy").json().get("usage").get("bytes").asLong())
                    .as("orphans take space and count while they exist").isEqualTo(91_000);
            assertThat(api.putBytes("/api/v1/folders/crashy/files/big.bin", new byte[20_000]).status())
                    .as("so they count against the quota too").isEqualTo(507);
            assertThat(api.get("/api/v1/folders/crashy/files/").text()).doesNotContain("ftpbridge-upload");
        }

        try (ConfigurableApplicationContext second = start(dataDir)) {
            Api api = new Api(httpPort(second));
            assertThat(orphan).doesNotExist();
            assertThat(nestedOrphan).doesNotExist();
            assertThat(folder.resolve("kept.bin")).hasSize(1000);
            assertThat(output.getOut()).contains("Removed orphaned upload file: folder=crashy path=.ftpbridge-upload-3f8e1c2a")
                    .contains("Removed orphaned upload file: folder=crashy path=sub/.ftpbridge-upload-91c0d1e4")
                    .contains("Removed 2 orphaned upload file(s)");
            assertThat(api.get("/api/v1/folders/crashy").json().get("usage").get("bytes").asLong()).isEqualTo(1000);
            assertThat(api.putBytes("/api/v1/folders/crashy/files/big.bin", new byte[20_000]).status()).isEqualTo(201);
        }
    }

    private static ConfigurableApplicationContext start(Path dataDir) {
        return new SpringApplicationBuilder(FtpBridgeApplication.class).run(
                "--server.port=0",
                "--ftpbridge.data-dir=" + dataDir,
                "--ftpbridge.admin.password=" + Api.ADMIN_PASSWORD,
                "--ftpbridge.ftp.port=0",
                "--ftpbridge.ftp.passive-ports=31620-31629",
                "--logging.level.org.springframework=WARN");
    }

    private static int httpPort(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }
}
