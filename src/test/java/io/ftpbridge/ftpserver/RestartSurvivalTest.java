package io.ftpbridge.ftpserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.ftpbridge.FtpBridgeApplication;
import io.ftpbridge.testsupport.Api;
import io.ftpbridge.testsupport.ExternalCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The embedded defaults (H2 file database under data-dir, generated admin password) keep users,
 * folders and files across a restart of the whole service.
 */
@ExtendWith(OutputCaptureExtension.class)
class RestartSurvivalTest {

    @Test
    void usersFoldersFilesAndTheGeneratedAdminPasswordSurviveARestart(CapturedOutput output) throws Exception {
        Path dataDir = Files.createTempDirectory("restart-");
        Path payload = Files.createTempFile("payload-", ".txt");
        Files.writeString(payload, "kept across restarts");

        String adminPassword;
        try (ConfigurableApplicationContext first = start(dataDir)) {
            Matcher generated = Pattern.compile("Generated password for REST administrator 'admin': (\\S+)")
                    .matcher(output.getOut());
            assertThat(generated.find()).as("generated password logged").isTrue();
            adminPassword = generated.group(1);
            Api api = new Api(httpPort(first), "admin", adminPassword);
            api.createFolderAndUser("durable", "durable-user", "durable-password", "/", Api.ALL);
            ExternalCommand.Result upload = ExternalCommand.run(List.of("curl", "-sS", "-T", payload.toString(),
                    "ftp://durable-user:durable-password@127.0.0.1:" + ftpPort(first) + "/kept.txt"));
            assertThat(upload.ok()).as(upload.output()).isTrue();
        }
        assertThat(dataDir.resolve("db")).isDirectory();
        int logLengthAfterFirstRun = output.getOut().length();

        try (ConfigurableApplicationContext second = start(dataDir)) {
            assertThat(output.getOut().substring(logLengthAfterFirstRun)).doesNotContain("Generated password");
            Api api = new Api(httpPort(second), "admin", adminPassword);
            assertThat(api.get("/api/v1/users/durable-user").status()).isEqualTo(200);
            assertThat(api.get("/api/v1/folders/durable").json().get("usage").get("files").asLong()).isEqualTo(1);
            ExternalCommand.Result download = ExternalCommand.run(List.of("curl", "-sS",
                    "ftp://durable-user:durable-password@127.0.0.1:" + ftpPort(second) + "/kept.txt"));
            assertThat(download.ok()).as(download.output()).isTrue();
            assertThat(download.output()).isEqualTo("kept across restarts");
        }
    }

    private static ConfigurableApplicationContext start(Path dataDir) {
        return new SpringApplicationBuilder(FtpBridgeApplication.class).run(
                "--server.port=0",
                "--ftpbridge.data-dir=" + dataDir,
                "--ftpbridge.ftp.port=0",
                "--ftpbridge.ftp.passive-ports=31600-31619",
                "--logging.level.org.springframework=WARN");
    }

    private static int httpPort(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    private static int ftpPort(ConfigurableApplicationContext context) {
        return context.getBean(FtpServerLifecycle.class).port();
    }
}
