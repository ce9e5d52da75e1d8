package io.ftpbridge.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.ftpbridge.ftpserver.FtpServerLifecycle;
import io.ftpbridge.support.BackgroundPriority;
import io.ftpbridge.testsupport.Api;
import io.ftpbridge.testsupport.FtpBridgeTest;
import io.ftpbridge.testsupport.FtpPeers;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Event rules against real parts: uploads with curl over FTP, a webhook receiver that is a real
 * HTTP server (stopped and started again to test retries, checking signatures as a receiver would),
 * and a forwarding rule that pushes files to a real vsftpd.
 */
@FtpBridgeTest
@TestPropertySource(properties = {"ftpbridge.events.max-attempts=3", "ftpbridge.events.delivery-nice=5"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventRulesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SECRET = "hook-secret-1";

    @LocalServerPort
    int httpPort;

    @Autowired
    FtpServerLifecycle ftp;

    @Autowired
    JdbcClient jdbc;

    Api api;
    FtpPeers.Peer partner;

    /** A webhook receiver: every request it accepted, with its headers and raw body. */
    record Received(String eventId, String signature, byte[] body) {
        JsonNode json() {
            return JSON.readTree(body);
        }
    }

    final List<Received> received = new CopyOnWriteArrayList<>();
    HttpServer receiver;
    int receiverPort;

    @BeforeAll
    void setUp() throws Exception {
        api = new Api(httpPort);
        api.createFolderAndUser("watched", "watcher", "watcher-pass-1", "/", Api.ALL);
        startReceiver(0);
        partner = FtpPeers.vsftpd(FtpPeers.options().passivePorts(26400, 26419));
        Api.Response remote = api.post("/api/v1/remotes", """
                {"name":"rules-partner","host":"%s","port":%d,"username":"%s","password":"%s","dataMode":"EPSV",
                 "connectTimeout":"PT5S","readTimeout":"PT10S"}""".formatted(partner.host(), partner.port(), partner.user(),
                partner.password()));
        assertThat(remote.status()).as(remote.text()).isEqualTo(201);
    }

    @AfterAll
    void tearDown() {
        receiver.stop(0);
        partner.close();
    }

    private void startReceiver(int port) throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        receiver.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(new Received(exchange.getRequestHeaders().getFirst("X-Ftpbridge-Event-Id"),
                    exchange.getRequestHeaders().getFirst("X-Ftpbridge-Signature"), body));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        receiverPort = receiver.getAddress().getPort();
    }

    private void curlUpload(Path file, String remotePath) throws Exception {
        Process curl = new ProcessBuilder("curl", "-sS", "--ftp-pasv", "-T", file.toString(),
                "ftp://watcher:watcher-pass-1@127.0.0.1:%d%s".formatted(ftp.port(), remotePath))
                .redirectErrorStream(true).start();
        String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(curl.waitFor()).as(output).isZero();
    }

    private static String hmac(byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    }

    private long createRule(String body) {
        Api.Response created = api.post("/api/v1/event-rules", body);
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        assertThat(created.text()).doesNotContain(SECRET);
        return created.json().get("id").asLong();
    }

    @Test
    void curlUploadIntoAWatchedFolderIsPostedSignedWithItsPathAndSize(@TempDir Path tmp) throws Exception {
        long rule = createRule("""
                {"name":"csv-hook","events":["FILE_UPLOADED"],"filter":{"folder":"watched","pathGlob":"*.csv"},
                 "actions":[{"type":"WEBHOOK","url":"http://127.0.0.1:%d/hook","secret":"%s","timeout":"PT5S"}]}"""
                .formatted(receiverPort, SECRET));
        Path file = Files.write(tmp.resolve("orders.csv"), "a,b,c\n1,2,3\n".repeat(100).getBytes(StandardCharsets.UTF_8));
        curlUpload(file, "/in-orders.csv");
        curlUpload(Files.write(tmp.resolve("notes.txt"), new byte[10]), "/notes.txt");

        await().atMost(Duration.ofSeconds(10)).until(() -> received.stream()
                .anyMatch(r -> r.json().get("path").asString().equals("/in-orders.csv")));
        Received hook = received.stream().filter(r -> r.json().get("path").asString().equals("/in-orders.csv")).findFirst().orElseThrow();
        JsonNode event = hook.json();
        assertThat(event.get("type").asString()).isEqualTo("FILE_UPLOADED");
        assertThat(event.get("size").asLong()).isEqualTo(Files.size(file));
        assertThat(event.get("folder").asString()).isEqualTo("watched");
        assertThat(event.get("actor").asString()).isEqualTo("watcher");
        assertThat(event.get("protocol").asString()).isEqualTo("FTP");
        assertThat(hook.eventId()).isEqualTo(event.get("id").asString());
        assertThat(hook.signature()).isEqualTo(hmac(hook.body()));
        assertThat(received).noneMatch(r -> r.json().get("path").asString().equals("/notes.txt"));

        // the delivery is written by the round after its attempt ended, moments after the receiver got it
        await().atMost(Duration.ofSeconds(10)).until(() -> firstListedDelivery(rule) != null);
        JsonNode delivery = firstListedDelivery(rule);
        assertThat(delivery.get("state").asString()).isEqualTo("DELIVERED");
        assertThat(delivery.get("statusCode").asInt()).isEqualTo(204);

        JsonNode events = api.get("/api/v1/events?type=FILE_UPLOADED&folder=watched").json();
        assertThat(events.get("items")).anyMatch(e -> e.get("path").asString().equals("/notes.txt"));
        api.delete("/api/v1/event-rules/" + rule);
    }

    @Test
    void deliveriesRunAtALowerCpuPriorityThanTheUploadsThatRaiseThem(@TempDir Path tmp) throws Exception {
        long rule = createRule("""
                {"name":"nice-hook","events":["FILE_UPLOADED"],"filter":{"folder":"watched","pathGlob":"/nice*"},
                 "actions":[{"type":"WEBHOOK","url":"http://127.0.0.1:%d/hook","secret":"%s"}]}""".formatted(receiverPort, SECRET));
        curlUpload(Files.write(tmp.resolve("nice.bin"), new byte[100]), "/nice.bin");
        await().atMost(Duration.ofSeconds(10)).until(() -> received.stream()
                .anyMatch(r -> r.json().get("path").asString().equals("/nice.bin")));
        // and its outcome completed on the I/O thread (which lowers its own priority then) and written by the dispatcher
        await().atMost(Duration.ofSeconds(10)).until(() -> firstListedDelivery(rule) != null);

        // the kernel's nice value of every thread of this JVM by name (/proc; names are cut to 15 characters there)
        int normal = BackgroundPriority.niceOfCurrentThread();
        Map<String, List<Integer>> niceByName = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                try {
                    String name = Files.readString(task.resolve("comm")).strip();
                    Integer nice = BackgroundPriority.niceOf(task.resolve("stat"));
                    if (nice != null) { // null: a thread that ended while the directory was read
                        niceByName.computeIfAbsent(name.replaceAll("[0-9]+$", ""), n -> new ArrayList<>()).add(nice);
                    }
                } catch (NoSuchFileException ended) {
                    // a thread that ended while the directory was read
                }
            }
        }
        // ftpbridge.events.delivery-nice=5 (this class's; the default is 3, which the instances of other test classes in this
        // JVM keep): the outbox's dispatcher and the webhooks' I/O thread
        assertThat(niceByName.get("event-deliverie")).as(niceByName.toString()).contains(normal + 5);
        assertThat(niceByName.get("httpclient-disp")).as(niceByName.toString()).contains(normal + 5);
        // the FTP server's threads, which carried the upload, keep the normal priority
        assertThat(niceByName.get("ftp-data-")).as(niceByName.toString()).isNotEmpty().allMatch(n -> n == normal);
        api.delete("/api/v1/event-rules/" + rule);
    }

    @Test
    void aBodyTemplateIsRenderedWithJsonEscapingAndSigned() throws Exception {
        long rule = createRule("""
                {"name":"templated-hook","events":["FILE_UPLOADED"],"filter":{"folder":"watched","pathGlob":"/templated*"},
                 "actions":[{"type":"WEBHOOK","url":"http://127.0.0.1:%d/hook","secret":"%s",
                   "bodyTemplate":"{\\"text\\": \\"{{event.actor}} uploaded {{event.path}} ({{event.size}} bytes)\\", \\"path\\": {{event.path}}, \\"size\\": {{event.size}}, \\"job\\": {{event.jobId}}, \\"rule\\": \\"{{rule.name}}\\", \\"event\\": {{event}}}"}]}"""
                .formatted(receiverPort, SECRET));
        JsonNode shown = api.get("/api/v1/event-rules/" + rule).json().get("actions").get(0);
        assertThat(shown.get("bodyTemplate").asString()).startsWith("{\"text\": \"{{event.actor}} uploaded");
        String path = "/templated \"quoted\" name.txt";
        Api.Response put = api.putBytes("/api/v1/folders/watched/files/templated%20%22quoted%22%20name.txt", "12345".getBytes(StandardCharsets.UTF_8));
        assertThat(put.status()).as(put.text()).isIn(200, 201, 204);

        await().atMost(Duration.ofSeconds(10)).until(() -> received.stream().anyMatch(r -> r.json().get("rule") != null));
        Received hook = received.stream().filter(r -> r.json().get("rule") != null).findFirst().orElseThrow();
        JsonNode body = hook.json();
        assertThat(body.get("text").asString()).isEqualTo(Api.ADMIN + " uploaded " + path + " (5 bytes)");
        assertThat(body.get("path").asString()).isEqualTo(path);
        assertThat(body.get("size").isNumber()).isTrue();
        assertThat(body.get("size").asLong()).isEqualTo(5);
        assertThat(body.get("job").isNull()).isTrue();
        assertThat(body.get("rule").asString()).isEqualTo("templated-hook");
        assertThat(body.get("event").get("id").asString()).isEqualTo(hook.eventId());
        assertThat(body.get("event").get("type").asString()).isEqualTo("FILE_UPLOADED");
        assertThat(hook.signature()).isEqualTo(hmac(hook.body()));
        api.delete("/api/v1/event-rules/" + rule);
    }

    @Test
    void aBodyTemplateWithAnUnknownPlaceholderOrThatIsNotJsonIsRefusedWithTheField() {
        Api.Response unknown = api.post("/api/v1/event-rules", """
                {"name":"bad-template","events":["FILE_UPLOADED"],
                 "actions":[{"type":"WEBHOOK","url":"http://127.0.0.1/x","bodyTemplate":"{\\"p\\": {{event.pathh}}}"}]}""");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.text()).contains("actions[0].bodyTemplate").contains("event.pathh");

        Api.Response notJson = api.post("/api/v1/event-rules", """
                {"name":"bad-template","events":["FILE_UPLOADED"],
                 "actions":[{"type":"WEBHOOK","url":"http://127.0.0.1/x"},
                            {"type":"WEBHOOK","url":"http://127.0.0.1/y","bodyTemplate":"{\\"p\\": {{event.path}}"}]}""");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.text()).contains("actions[1].bodyTemplate");
        assertThat(api.get("/api/v1/event-rules").json().get("items")).noneMatch(r -> r.get("name").asString().equals("bad-template"));
    }

    @Test
    void aReceiverThatIsDownGetsTheEventOnceItIsBack(@TempDir Path tmp) throws Exception {
        long rule = createRule("""
                {"name":"retry-hook","events":["DIR_CREATED"],"filter":{"folder":"watched"},
                 "actions":[{"type":"WEBHOOK","url":"http://127.0.0.1:%d/hook","timeout":"PT2S"}]}"""
                .formatted(receiverPort));
        int port = receiverPort;
        receiver.stop(0);
        try {
            assertThat(api.post("/api/v1/folders/watched/files/while-down?op=mkdir", null).status()).isEqualTo(201);
            await().atMost(Duration.ofSeconds(10)).until(() -> firstListedDelivery(rule) != null);
            JsonNode failed = firstListedDelivery(rule);
            assertThat(failed.get("state").asString()).isEqualTo("PENDING");
            assertThat(failed.get("error").asString()).isNotBlank();
        } finally {
            startReceiver(port);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> received.stream()
                .anyMatch(r -> r.json().get("path").asString().equals("/while-down")));
        JsonNode event = received.stream().filter(r -> r.json().get("path").asString().equals("/while-down")).findFirst()
                .orElseThrow().json();
        assertThat(event.get("type").asString()).isEqualTo("DIR_CREATED");
        assertThat(event.get("protocol").asString()).isEqualTo("REST");
        assertThat(event.get("actor").asString()).isEqualTo(Api.ADMIN);
        await().atMost(Duration.ofSeconds(5)).until(() -> firstListedDelivery(rule).get("state").asString().equals("DELIVERED"));
        api.delete("/api/v1/event-rules/" + rule);
    }

    @Test
    void aDeliveryHeldByAnInstanceThatDiedRunsOnceItsLeaseRunsOut() throws Exception {
        long rule = createRule("""
                {"name":"lease-hook","events":["DIR_DELETED"],"filter":{"folder":"watched"},
                 "actions":[{"type":"WEBHOOK","url":"http://127.0.0.1:%d/hook","timeout":"PT2S"}]}"""
                .formatted(receiverPort));
        assertThat(api.post("/api/v1/folders/watched/files/leased?op=mkdir", null).status()).isEqualTo(201);
        int port = receiverPort;
        receiver.stop(0);
        OffsetDateTime leaseEnd;
        try {
            assertThat(api.delete("/api/v1/folders/watched/files/leased").status()).isEqualTo(204);
            await().atMost(Duration.ofSeconds(10)).until(() -> firstListedDelivery(rule) != null);
            long delivery = firstListedDelivery(rule).get("id").asLong();
            // as if an instance claimed it and was killed (kill -9) before recording the result
            leaseEnd = OffsetDateTime.now(ZoneOffset.UTC).plusSeconds(4);
            OffsetDateTime lease = leaseEnd;
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10)).until(() -> jdbc.sql("""
                    UPDATE event_delivery SET owner = 'killed-instance', lease_until = :lease, next_attempt_at = :now
                    WHERE id = :id AND owner IS NULL AND state = 'PENDING'""")
                    .param("lease", lease).param("now", OffsetDateTime.now(ZoneOffset.UTC)).param("id", delivery).update() == 1);
        } finally {
            startReceiver(port);
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> received.stream()
                .anyMatch(r -> r.json().get("path").asString().equals("/leased")));
        assertThat(OffsetDateTime.now(ZoneOffset.UTC)).isAfterOrEqualTo(leaseEnd);
        assertThat(received.stream().filter(r -> r.json().get("path").asString().equals("/leased")).count()).isEqualTo(1);
        api.delete("/api/v1/event-rules/" + rule);
    }

    @Test
    void aForwardingRulePushesAnUploadToThePartner(@TempDir Path tmp) throws Exception {
        assertThat(api.post("/api/v1/folders/watched/files/outbox?op=mkdir", null).status()).isEqualTo(201);
        assertThat(api.post("/api/v1/folders/watched/files/sent?op=mkdir", null).status()).isEqualTo(201);
        long rule = createRule("""
                {"name":"forward","events":["FILE_UPLOADED"],"filter":{"folder":"watched","pathGlob":"/outbox/*.dat"},
                 "actions":[{"type":"TRANSFER","remote":"rules-partner","remotePath":"/"}]}""");
        byte[] content = "forward me\n".repeat(1000).getBytes(StandardCharsets.UTF_8);
        curlUpload(Files.write(tmp.resolve("p.dat"), content), "/outbox/p.dat");

        Path arrived = partner.root().resolve("p.dat");
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(arrived) && Files.size(arrived) == content.length);
        assertThat(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(arrived)))
                .isEqualTo(MessageDigest.getInstance("SHA-256").digest(content));
        // the file is complete at the partner a moment before the job records SUCCEEDED (and its event)
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                api.get("/api/v1/events?type=TRANSFER_STATE_CHANGED&folder=watched").json().get("items"))
                .anyMatch(e -> e.get("state").asString().equals("SUCCEEDED") && e.get("path").asString().equals("/outbox/p.dat")));
        api.delete("/api/v1/event-rules/" + rule);
    }

    @Test
    void aFailedDeliveryIsDeliveredWhenRetriedOverRest() throws Exception {
        long rule = createRule("""
                {"name":"failing-hook","events":["DIR_CREATED"],"filter":{"folder":"watched","pathGlob":"/retried"},
                 "actions":[{"type":"WEBHOOK","url":"http://127.0.0.1:%d/hook","timeout":"PT2S"}]}"""
                .formatted(receiverPort));
        int port = receiverPort;
        receiver.stop(0);
        long delivery;
        try {
            assertThat(api.post("/api/v1/folders/watched/files/retried?op=mkdir", null).status()).isEqualTo(201);
            // three attempts (the test's max-attempts), one and two seconds apart, then FAILED
            await().atMost(Duration.ofSeconds(15)).until(() -> api.get("/api/v1/event-rules/" + rule + "/deliveries?state=FAILED")
                    .json().get("total").asLong() == 1);
            JsonNode failed = firstListedDelivery(rule);
            assertThat(failed.get("attempt").asInt()).isEqualTo(3);
            delivery = failed.get("id").asLong();
            assertThat(api.post("/api/v1/event-rules/" + rule + "/deliveries/999999/retry", null).status()).isEqualTo(404);
        } finally {
            startReceiver(port);
        }
        Api.Response retried = api.post("/api/v1/event-rules/" + rule + "/deliveries/" + delivery + "/retry", null);
        assertThat(retried.status()).as(retried.text()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).until(() -> received.stream()
                .anyMatch(r -> r.json().get("path").asString().equals("/retried")));
        await().atMost(Duration.ofSeconds(5)).until(() -> firstListedDelivery(rule).get("state").asString().equals("DELIVERED"));
        assertThat(firstListedDelivery(rule).get("attempt").asInt()).isEqualTo(4);
        assertThat(api.post("/api/v1/event-rules/" + rule + "/deliveries/" + delivery + "/retry", null).status()).isEqualTo(409);
        api.delete("/api/v1/event-rules/" + rule);
    }

    @Test
    void aFileRuleMovesEachUploadIntoProcessed(@TempDir Path tmp) throws Exception {
        assertThat(api.post("/api/v1/folders/watched/files/incoming?op=mkdir", null).status()).isEqualTo(201);
        assertThat(api.post("/api/v1/folders/watched/files/processed?op=mkdir", null).status()).isEqualTo(201);
        long rule = createRule("""
                {"name":"mover","events":["FILE_UPLOADED"],"filter":{"folder":"watched","pathGlob":"/incoming/*.txt","minSize":5},
                 "actions":[{"type":"FILE","op":"MOVE","to":"processed"}]}""");
        curlUpload(Files.writeString(tmp.resolve("m.txt"), "move me"), "/incoming/m.txt");
        curlUpload(Files.writeString(tmp.resolve("s.txt"), "tiny"), "/incoming/s.txt");
        await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/api/v1/folders/watched/files/processed/m.txt").status() == 200);
        assertThat(api.get("/api/v1/folders/watched/files/incoming/m.txt").status()).isEqualTo(404);
        assertThat(api.get("/api/v1/folders/watched/files/incoming/s.txt").status()).as("below minSize").isEqualTo(200);
        JsonNode renamed = api.get("/api/v1/events?type=FILE_RENAMED&folder=watched").json().get("items").get(0);
        assertThat(renamed.get("path").asString()).isEqualTo("/processed/m.txt");
        assertThat(renamed.get("fromPath").asString()).isEqualTo("/incoming/m.txt");
        assertThat(renamed.get("actor").asString()).isEqualTo("rule:mover");
        assertThat(renamed.get("protocol").asString()).isEqualTo("JOB");
        api.delete("/api/v1/event-rules/" + rule);
    }

    @Test
    void badRulesAreRefusedWithTheField() {
        Api.Response ftpUrl = api.post("/api/v1/event-rules", """
                {"name":"bad-url","events":["FILE_UPLOADED"],"actions":[{"type":"WEBHOOK","url":"ftp://example.com/x"}]}""");
        assertThat(ftpUrl.status()).isEqualTo(400);
        assertThat(ftpUrl.text()).contains("actions[0].url");

        Api.Response folder = api.post("/api/v1/event-rules", """
                {"name":"bad-folder","events":["FILE_UPLOADED"],"filter":{"folder":"no-such-folder"},
                 "actions":[{"type":"WEBHOOK","url":"http://127.0.0.1/x"}]}""");
        assertThat(folder.status()).isEqualTo(400);
        assertThat(folder.text()).contains("filter.folder");

        Api.Response remote = api.post("/api/v1/event-rules", """
                {"name":"bad-remote","events":["FILE_UPLOADED"],
                 "actions":[{"type":"WEBHOOK","url":"https://example.com/x"},{"type":"TRANSFER","remote":"nope","remotePath":"/in/"}]}""");
        assertThat(remote.status()).isEqualTo(400);
        assertThat(remote.text()).contains("actions[1].remote");
    }

    /**
     * The first delivery the rule's log lists, or null while it lists none: a first attempt's delivery is written by the
     * outbox's round after the attempt ended.
     */
    private JsonNode firstListedDelivery(long rule) {
        JsonNode items = api.get("/api/v1/event-rules/" + rule + "/deliveries").json().get("items");
        return items.isEmpty() ? null : items.get(0);
    }
}
