package io.ftpbridge.transfers;

import static org.assertj.core.api.Assertions.assertThat;

import io.ftpbridge.folders.FolderService;
import io.ftpbridge.ftpserver.FtpServerLifecycle;
import io.ftpbridge.testsupport.Api;
import io.ftpbridge.testsupport.FtpBridgeTest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Server-Sent Events: a client that stops reading must not hold up the events of every other client. */
@FtpBridgeTest
class TransferEventsStallTest {

    @LocalServerPort
    int httpPort;

    @Autowired
    FtpServerLifecycle ftp;

    @Autowired
    FolderService folders;

    @Test
    void aClientThatNeverReadsDoesNotDelayAnotherClientsEvents() throws Exception {
        Api api = new Api(httpPort);
        api.createFolderAndUser("sse-src", "sse-user", "sse-password", "/", Api.ALL);
        assertThat(api.post("/api/v1/folders", "{\"name\":\"sse-dst\"}").status()).isEqualTo(201);
        TransferTestSupport.createRemote(api, "sse-self", "127.0.0.1", ftp.port(), "sse-user", "sse-password", "EPSV");
        // a finished job whose state event is large: 1500 files with long names, all skipped (already there)
        Path src = folders.storageOf("sse-src").root();
        Path dst = folders.storageOf("sse-dst").root();
        for (int i = 0; i < 1500; i++) {
            String name = "f-%04d-%s.bin".formatted(i, "x".repeat(200));
            Files.writeString(src.resolve(name), "x");
            Files.writeString(dst.resolve(name), "x");
        }
        long id = TransferTestSupport.submit(api, """
                {"remote":"sse-self","direction":"DOWNLOAD","remotePath":"/*.bin","glob":true,"folder":"sse-dst",
                 "localPath":"/","overwrite":"SKIP"}""");
        TransferTestSupport.awaitState(api, id, "SUCCEEDED", Duration.ofSeconds(60));
        assertThat(firstEventWithin(api, id, Duration.ofSeconds(5))).as("a reading client gets the state event").isTrue();

        String auth = Base64.getEncoder().encodeToString((Api.ADMIN + ":" + Api.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
        String request = "GET /api/v1/transfers/%d/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic %s\r\n\r\n"
                .formatted(id, auth);
        try (Socket stalled = new Socket()) {
            stalled.setReceiveBufferSize(1024); // and never reads: the server's writes to it block once buffers fill
            stalled.connect(new InetSocketAddress("127.0.0.1", httpPort), 5000);
            OutputStream out = stalled.getOutputStream();
            byte[] pipelined = request.repeat(40).getBytes(StandardCharsets.US_ASCII);
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                try {
                    out.write(pipelined);
                    out.flush();
                } catch (Exception ignored) {
                    // the server may stop reading the pipelined requests: that is fine
                }
            });
            Thread.sleep(8000); // the server now has more to write to the stalled client than the buffers hold

            for (int i = 0; i < 3; i++) {
                assertThat(firstEventWithin(api, id, Duration.ofSeconds(3)))
                        .as("another client gets its event on time while one client stalls (round %d)", i).isTrue();
            }
            assertThat(api.get("/api/v1/transfers/" + id).status()).isEqualTo(200);
            sending.cancel(true);
        }
    }

    /** Whether {@code GET /events} of a finished job delivers its {@code state} event within {@code limit}. */
    private static boolean firstEventWithin(Api api, long id, Duration limit) throws Exception {
        CompletableFuture<Boolean> got = CompletableFuture.supplyAsync(() -> {
            HttpResponse<java.io.InputStream> response;
            try {
                response = java.net.http.HttpClient.newHttpClient().send(
                        api.builder("/api/v1/transfers/" + id + "/events").header("Accept", "text/event-stream").GET().build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = reader.readLine()) != null) {
                        if (line.startsWith("event:state")) {
                            return true;
                        }
                    }
                }
                return false;
            } catch (Exception e) {
                return false;
            }
        });
        try {
            return got.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            got.cancel(true);
            return false;
        }
    }
}
