package io.ftpbridge.ftpserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.ftpbridge.testsupport.Api;
import io.ftpbridge.testsupport.CurlDataModes;
import io.ftpbridge.testsupport.ExternalCommand;
import io.ftpbridge.testsupport.FtpBridgeTest;
import io.ftpbridge.testsupport.Ftplib;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Files of many 1 MiB steps through the channel data path (sendfile down, direct buffers up), in
 * passive and active modes, and the byte quota checked per large chunk while an upload arrives.
 */
@FtpBridgeTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FtpLargeTransferTest {

    private static final int MIB = 1024 * 1024;

    @LocalServerPort
    int httpPort;

    @Autowired
    FtpServerLifecycle ftp;

    Api api;
    Path payload;

    @BeforeAll
    void createAccounts() throws Exception {
        api = new Api(httpPort);
        api.createFolderAndUser("large", "large-user", "large-password", "/", Api.ALL);
        payload = Files.createTempFile("large-", ".bin");
        byte[] bytes = new byte[40 * MIB + 4321];
        new Random(12).nextBytes(bytes);
        Files.write(payload, bytes);
    }

    @ParameterizedTest(name = "curl uploads and downloads 40 MiB over {0} byte for byte")
    @ValueSource(strings = {"EPSV", "PASV", "EPRT", "PORT"})
    void aLargeFileMakesTheRoundTripUnchangedInPassiveAndActiveModes(String mode) throws Exception {
        String url = "ftp://127.0.0.1:" + ftp.port() + "/large-" + mode + ".bin";
        Path downloaded = Files.createTempFile("large-down-", ".bin");

        ExternalCommand.Result up = curl(mode, "-T", payload.toString(), url);
        assertThat(up.ok()).as(up.output()).isTrue();
        assertThat(up.output()).contains("> " + mode, "< 226");
        ExternalCommand.Result down = curl(mode, "-o", downloaded.toString(), url);
        assertThat(down.ok()).as(down.output()).isTrue();
        assertThat(down.output()).contains("> " + mode, "< 226");

        assertThat(Files.size(downloaded)).isEqualTo(Files.size(payload));
        assertThat(FtpDataModesTest.sha256(downloaded)).isEqualTo(FtpDataModesTest.sha256(payload));
        Path stored = Path.of(api.get("/api/v1/folders/large").json().get("location").asString())
                .resolve("large-" + mode + ".bin");
        assertThat(FtpDataModesTest.sha256(stored)).isEqualTo(FtpDataModesTest.sha256(payload));
    }

    @Test
    void theQuotaStopsAnUploadInTheMiddleOfALargeChunkWith552AndIsExactToTheByte() throws Exception {
        long quota = 8L * MIB + 100;
        long first = 6L * MIB + 50;
        long room = quota - first;
        assertThat(api.post("/api/v1/folders", "{\"name\":\"large-quota\",\"quotaBytes\":%d}".formatted(quota)).status())
                .isEqualTo(201);
        api.createUser("large-quota-user", "large-quota-password", "large-quota", "/", Api.ALL);
        Path root = Path.of(api.get("/api/v1/folders/large-quota").json().get("location").asString());

        ExternalCommand.Result result = Ftplib.run(ftp.port(), "large-quota-user", "large-quota-password", """
                def put(command, size, fill):
                    # a refused upload ends the data connection: the sender may see it closed before the 552
                    try:
                        return f.storbinary(command, io.BytesIO(fill * size), blocksize=1 << 20)[:3]
                    except (BrokenPipeError, ConnectionResetError):
                        try:
                            return f.getresp()[:3]
                        except ftplib.error_perm as e:
                            return str(e)[:3]
                    except ftplib.error_perm as e:
                        return str(e)[:3]
                f.voidcmd('TYPE I')
                print('FIRST', put('STOR /first.bin', %d, b'a'))
                print('TOO_BIG', put('STOR /too-big.bin', 20 * 1024 * 1024, b'b'))
                print('EXACT', put('STOR /exact.bin', %d, b'c'))
                print('ONE_MORE', put('APPE /exact.bin', 1, b'd'))
                print('APPEND_BIG', put('APPE /first.bin', 3 * 1024 * 1024, b'e'))
                f.quit()
                """.formatted(first, room));

        assertThat(result.output()).as(result.output()).contains("FIRST 226", "TOO_BIG 552", "EXACT 226",
                "ONE_MORE 552", "APPEND_BIG 552");
        assertThat(root.resolve("first.bin")).hasSize(first);
        assertThat(root.resolve("exact.bin")).hasSize(room);
        assertThat(root.resolve("too-big.bin")).doesNotExist();
        assertThat(Files.readAllBytes(root.resolve("first.bin"))).containsOnly((byte) 'a');
        assertThat(Files.readAllBytes(root.resolve("exact.bin"))).containsOnly((byte) 'c');
        try (Stream<Path> left = Files.list(root)) {
            assertThat(left.map(p -> p.getFileName().toString()).sorted().toList())
                    .as("no temporary file of the refused upload is left behind")
                    .containsExactly("exact.bin", "first.bin");
        }
        var usage = api.get("/api/v1/folders/large-quota").json().get("usage");
        assertThat(usage.get("bytes").asLong()).isEqualTo(quota);
        assertThat(usage.get("files").asLong()).isEqualTo(2);
    }

    private static ExternalCommand.Result curl(String mode, String... args) {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "-v", "--max-time", "120",
                "--user", "large-user:large-password"));
        command.addAll(CurlDataModes.options(mode, "-"));
        command.addAll(List.of(args));
        return ExternalCommand.run(command);
    }
}
