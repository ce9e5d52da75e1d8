package io.ftpbridge.transfers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ftpbridge.testsupport.Api;
import io.ftpbridge.testsupport.FtpPeers;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/** What the transfer tests share: remotes pointing at peers, waiting for states, digests. */
final class TransferTestSupport {

    private TransferTestSupport() {
    }

    static void createRemote(Api api, String name, FtpPeers.Peer peer, String dataMode) {
        createRemote(api, name, peer.host(), peer.port(), peer.user(), peer.password(), dataMode);
    }

    static void createRemote(Api api, String name, String host, int port, String user, String password, String dataMode) {
        Api.Response created = api.post("/api/v1/remotes", """
                {"name":"%s","host":"%s","port":%d,"username":"%s","password":"%s","dataMode":"%s",
                 "connectTimeout":"PT5S","readTimeout":"PT10S"}""".formatted(name, host, port, user, password, dataMode));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
    }

    static String digest(String algorithm, Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(Files.readAllBytes(file)));
    }

    /** Posts a job and returns its id (checking the 202 and the Location). */
    static long submit(Api api, String body) {
        Api.Response created = api.post("/api/v1/transfers", body);
        assertThat(created.status()).as(created.text()).isEqualTo(202);
        long id = created.json().get("id").asLong();
        assertThat(created.header("Location")).isEqualTo("/api/v1/transfers/" + id);
        return id;
    }

    /** Posts a single-file download and waits until more than {@code bytes} of it arrived. */
    static long downloadUnderWay(Api api, String remote, String remotePath, String folder, String localPath, long bytes) {
        long id = submit(api, """
                {"remote":"%s","direction":"DOWNLOAD","remotePath":"%s","folder":"%s","localPath":"%s"}"""
                .formatted(remote, remotePath, folder, localPath));
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> api.get("/api/v1/transfers/" + id).json().get("progress").get("bytesDone").asLong() > bytes);
        return id;
    }

    /** Cancels a running job and checks that it is CANCELLED within a second of the request. */
    static void cancelWithinASecond(Api api, long id) {
        long cancelledAt = System.nanoTime();
        assertThat(api.post("/api/v1/transfers/" + id + "/cancel", null).status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> api.get("/api/v1/transfers/" + id).json().get("state").asString().equals("CANCELLED"));
        assertThat((System.nanoTime() - cancelledAt) / 1_000_000).isLessThan(1000);
    }

    static JsonNode awaitState(Api api, long id, String state, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> {
            String now = api.get("/api/v1/transfers/" + id).json().get("state").asString();
            if (!now.equals(state) && (now.equals("SUCCEEDED") || now.equals("FAILED") || now.equals("CANCELLED"))) {
                throw new AssertionError("job " + id + " ended " + now + " instead of " + state + ": "
                        + api.get("/api/v1/transfers/" + id).text() + "\n"
                        + api.get("/api/v1/transfers/" + id + "/transcript").text());
            }
            return now.equals(state);
        });
        return api.get("/api/v1/transfers/" + id).json();
    }

    /** The first {@code count} events of a job's SSE stream, as {@code event:name data:...} lines. */
    static List<String> firstEvents(Api api, long id, int count) throws Exception {
        HttpResponse<InputStream> response = java.net.http.HttpClient.newHttpClient()
                .send(api.builder("/api/v1/transfers/" + id + "/events").header("Accept", "text/event-stream").GET().build(),
                        HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        List<String> events = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            StringBuilder event = new StringBuilder();
            String line;
            while (events.size() < count && (line = reader.readLine()) != null) {
                if (line.isEmpty()) {
                    if (!event.isEmpty()) {
                        events.add(event.toString().trim());
                    }
                    event.setLength(0);
                } else {
                    event.append(line).append(' ');
                }
            }
        }
        return events;
    }

    /** Partial files left in a directory tree (a folder, or a job's directory under the partials directory). */
    static List<Path> partials(Path root) throws Exception {
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> p.getFileName().toString().endsWith(".part")).toList();
        }
    }

    /** The largest offset the transcript sent with REST, or -1. */
    static long restOffset(String transcript) {
        Matcher m = Pattern.compile("^> REST (\\d+)$", Pattern.MULTILINE).matcher(transcript);
        long max = -1;
        while (m.find()) {
            max = Math.max(max, Long.parseLong(m.group(1)));
        }
        return max;
    }

    static byte[] randomBytes(long seed, int size) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 20];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
