package io.ftpbridge.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ftpbridge.ftpserver.FtpServerLifecycle;
import io.ftpbridge.testsupport.Api;
import io.ftpbridge.testsupport.FtpBridgeTest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** A live python3 ftplib session is listed over REST with its facts, then kicked: its next command fails. */
@FtpBridgeTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FtpSessionsRestTest {

    /** Logs in, uploads 50 000 bytes, PWD; says "ready", waits for a line, then tries NOOP. */
    private static final String CLIENT = """
            import ftplib, io, sys
            ftp = ftplib.FTP()
            ftp.connect('127.0.0.1', int(sys.argv[1]), timeout=20)
            ftp.login(sys.argv[2], sys.argv[3])
            ftp.storbinary('STOR kicked.bin', io.BytesIO(b'k' * 50000))
            ftp.pwd()
            print('ready', flush=True)
            sys.stdin.readline()
            try:
                ftp.voidcmd('NOOP')
                print('still connected', flush=True)
            except Exception as e:
                print('failed ' + type(e).__name__, flush=True)
            """;

    @LocalServerPort
    int httpPort;

    @Autowired
    FtpServerLifecycle ftp;

    Api api;

    @BeforeAll
    void createAccount() {
        api = new Api(httpPort);
        api.createFolderAndUser("kickfolder", "kick-user", "kick-password", "/", Api.ALL);
    }

    @Test
    void sessionIsListedWithItsFactsThenKickedAndItsNextCommandFails() throws Exception {
        Path script = Files.createTempFile("ftp-session-", ".py");
        Files.writeString(script, CLIENT);
        Instant before = Instant.now().minusSeconds(1);
        Process client = new ProcessBuilder("python3", script.toString(), String.valueOf(ftp.port()), "kick-user", "kick-password")
                .redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
             Writer in = new OutputStreamWriter(client.getOutputStream(), StandardCharsets.UTF_8)) {
            assertThat(out.readLine()).isEqualTo("ready");

            JsonNode session = sessionOf("kick-user");
            assertThat(session).as("session of kick-user in %s", api.get("/api/v1/sessions").text()).isNotNull();
            String id = session.get("id").asString();
            assertThat(session.get("remoteAddress").asString()).startsWith("127.0.0.1:");
            assertThat(Instant.parse(session.get("connectedAt").asString())).isAfter(before).isBefore(Instant.now());
            assertThat(session.get("lastCommand").asString()).isEqualTo("PWD");
            assertThat(session.get("bytesIn").asLong()).isGreaterThanOrEqualTo(50_000);
            assertThat(session.get("bytesOut").asLong()).isPositive();

            assertThat(api.delete("/api/v1/sessions/" + id).status()).isEqualTo(204);

            in.write("go\n");
            in.flush();
            assertThat(out.readLine()).startsWith("failed");
            assertThat(client.waitFor(20, TimeUnit.SECONDS)).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> sessionOf("kick-user") == null);

            Api.Response again = api.delete("/api/v1/sessions/" + id);
            assertThat(again.status()).isEqualTo(404);
            assertThat(again.header("Content-Type")).startsWith("application/problem+json");
        } finally {
            client.destroyForcibly();
        }
    }

    @Test
    void aRunningDownloadIsListedAsTheSessionsTransfer() throws Exception {
        api.createFolderAndUser("slowfolder", "slow-user", "slow-password", "/", Api.ALL);
        assertThat(api.patch("/api/v1/users/slow-user", "{\"downloadBytesPerSecond\": 100000}").status()).isEqualTo(200);
        assertThat(api.putBytes("/api/v1/folders/slowfolder/files/big.bin", new byte[600_000]).status()).isEqualTo(201);
        // curl takes about 6 s at 100 kB/s; the list is read meanwhile
        Process curl = new ProcessBuilder("curl", "-sS", "-o", "/dev/null", "--user", "slow-user:slow-password",
                "ftp://127.0.0.1:" + ftp.port() + "/big.bin").redirectErrorStream(true).start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                JsonNode session = sessionOf("slow-user");
                return session != null && session.hasNonNull("transfer")
                        && session.get("transfer").get("bytes").asLong() > 0;
            });
            JsonNode transfer = sessionOf("slow-user").get("transfer");
            assertThat(transfer.get("path").asString()).isEqualTo("/big.bin");
            assertThat(transfer.get("direction").asString()).isEqualTo("DOWNLOAD");
            assertThat(transfer.get("bytesPerSecond").asLong()).as("never above the user's limit, even at the start")
                    .isBetween(1L, 101_000L);
            assertThat(curl.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(curl.exitValue()).isZero();
            await().atMost(Duration.ofSeconds(5)).until(() -> sessionOf("slow-user") == null
                    || !sessionOf("slow-user").hasNonNull("transfer"));
        } finally {
            curl.destroyForcibly();
        }
    }

    @Test
    void sessionsNeedAnAdministratorAndAValidId() {
        assertThat(api.anonymous().get("/api/v1/sessions").status()).isEqualTo(401);
        assertThat(api.delete("/api/v1/sessions/not-a-uuid").status()).isEqualTo(400);
        JsonNode page = api.get("/api/v1/sessions?page=0&size=10").json();
        assertThat(page.get("page").asInt()).isZero();
        assertThat(page.get("size").asInt()).isEqualTo(10);
        assertThat(page.get("items").isArray()).isTrue();
    }

    private JsonNode sessionOf(String username) {
        for (JsonNode item : api.get("/api/v1/sessions").json().get("items")) {
            if (username.equals(item.get("username").asString(null))) {
                return item;
            }
        }
        return null;
    }
}
