package io.ftpbridge.ftpserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.ftpbridge.testsupport.Api;
import io.ftpbridge.testsupport.CurlDataModes;
import io.ftpbridge.testsupport.ExternalCommand;
import io.ftpbridge.testsupport.FtpBridgeTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** curl, a client nobody here wrote, uploads and downloads in each of the seed's four data modes. */
@FtpBridgeTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FtpDataModesTest {

    @LocalServerPort
    int httpPort;

    @Autowired
    FtpServerLifecycle ftp;

    Path payload;

    @BeforeAll
    void createAccount() throws Exception {
        new Api(httpPort).createFolderAndUser("modes", "modes-user", "modes-password", "/", Api.ALL);
        payload = Files.createTempFile("payload-", ".bin");
        byte[] bytes = new byte[3 * 1024 * 1024 + 17];
        new Random(42).nextBytes(bytes);
        Files.write(payload, bytes);
    }

    @ParameterizedTest(name = "{0} over {1}")
    @CsvSource({
            "PASV, 127.0.0.1",
            "EPSV, 127.0.0.1",
            "PORT, 127.0.0.1",
            "EPRT, 127.0.0.1",
            "EPSV, ::1",
            "EPRT, ::1",
    })
    void uploadAndDownloadRoundTripInEachDataMode(String mode, String host) throws Exception {
        String file = "round-trip-" + mode + "-" + (host.contains(":") ? "v6" : "v4") + ".bin";
        String url = "ftp://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + ftp.port() + "/" + file;
        Path downloaded = Files.createTempFile("download-", ".bin");

        ExternalCommand.Result up = curl(mode, List.of("-T", payload.toString(), url));
        assertThat(up.ok()).as(up.output()).isTrue();
        assertThat(up.output()).contains(commandOf(mode));

        ExternalCommand.Result down = curl(mode, List.of("-o", downloaded.toString(), url));
        assertThat(down.ok()).as(down.output()).isTrue();
        assertThat(down.output()).contains(commandOf(mode));
        assertThat(sha256(downloaded)).isEqualTo(sha256(payload));
    }

    @ParameterizedTest(name = "PASV reply uses a port of the configured range ({0})")
    @CsvSource({"PASV", "EPSV"})
    void passiveRepliesUseTheConfiguredRange(String mode) {
        ExternalCommand.Result list = curl(mode, List.of("ftp://127.0.0.1:" + ftp.port() + "/"));
        assertThat(list.ok()).as(list.output()).isTrue();
        String reply = list.output().lines().filter(l -> l.startsWith("< 227") || l.startsWith("< 229")).findFirst().orElseThrow();
        int port = mode.equals("PASV") ? pasvPort(reply) : Integer.parseInt(reply.replaceAll(".*\\|\\|\\|(\\d+)\\|.*", "$1"));
        assertThat(port).isBetween(31000, 31099);
    }

    private ExternalCommand.Result curl(String mode, List<String> args) {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "-v", "--max-time", "60", "-g",
                "--user", "modes-user:modes-password"));
        command.addAll(CurlDataModes.options(mode, "-"));
        command.addAll(args);
        return ExternalCommand.run(command);
    }

    private static String commandOf(String mode) {
        return "> " + mode;
    }

    private static int pasvPort(String reply) {
        String[] numbers = reply.replaceAll(".*\\((.*)\\).*", "$1").split(",");
        return Integer.parseInt(numbers[4].trim()) * 256 + Integer.parseInt(numbers[5].trim());
    }

    static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
