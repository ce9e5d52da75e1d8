package io.ftpbridge.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.ftpbridge.testsupport.Api;
import io.ftpbridge.testsupport.FtpPorts;
import io.ftpbridge.testsupport.InstanceProcess;
import io.ftpbridge.testsupport.Instances;
import io.ftpbridge.testsupport.PostgresSupport;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * At-least-once delivery across the failures issue 11 names, with whole instances on one PostgreSQL:
 * an instance killed with SIGKILL (a JVM process of its own) before its webhooks could be delivered, or before it
 * wrote the deliveries of an event it had recorded, and a receiver that is down for 30 s. The receivers are real HTTP servers that check the signature
 * as a receiver would.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeliveryAcrossOutagesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SECRET = "outage-secret-1";
    /** Quick retries and a short lease, so that the test waits seconds rather than minutes. */
    private static final String[] EVENTS = {"--ftpbridge.events.backoff-initial=500ms", "--ftpbridge.events.backoff-max=2s",
            "--ftpbridge.events.max-attempts=100", "--ftpbridge.events.lease=20s", "--ftpbridge.events.poll-interval=200ms"};

    /** A request a receiver accepted: which hook, the event id header, the signature header and the raw body. */
    record Received(String hook, String eventId, String signature, byte[] body) {
        JsonNode json() {
            return JSON.readTree(body);
        }

        boolean signedCorrectly() throws Exception {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return ("sha256=" + HexFormat.of().formatHex(mac.doFinal(body))).equals(signature);
        }
    }

    final List<Received> received = new CopyOnWriteArrayList<>();
    final List<HttpServer> receivers = new ArrayList<>();
    PostgresSupport.Database db;
    Path dataDir;

    @BeforeAll
    void freshDatabase() throws Exception {
        db = PostgresSupport.freshDatabase();
        // one data dir: the instances share the generated secrets key, as replicas share ftpbridge.secrets.key
        dataDir = Files.createTempDirectory("ftpbridge-outages-");
    }

    @AfterEach
    void stopReceivers() {
        receivers.forEach(r -> r.stop(0));
        receivers.clear();
    }

    private void startReceiver(int port) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(new Received(exchange.getRequestURI().getPath(), exchange.getRequestHeaders().getFirst("X-Ftpbridge-Event-Id"),
                    exchange.getRequestHeaders().getFirst("X-Ftpbridge-Signature"), body));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        receivers.add(server);
    }

    private List<Received> receivedFor(String hook, String path) {
        return received.stream().filter(r -> r.hook().equals(hook) && r.json().get("path").asString().equals(path)).toList();
    }

    private static long createRule(Api api, String name, String folder, String url) {
        Api.Response created = api.post("/api/v1/event-rules", """
                {"name":"%s","events":["FILE_UPLOADED"],"filter":{"folder":"%s"},
                 "actions":[{"type":"WEBHOOK","url":"%s","secret":"%s","timeout":"PT60S"}]}""".formatted(name, folder, url, SECRET));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.json().get("id").asLong();
    }

    private static JsonNode deliveryOf(Api api, long rule, long event) {
        List<JsonNode> of = new ArrayList<>();
        api.get("/api/v1/event-rules/" + rule + "/deliveries").json().get("items").forEach(d -> {
            if (d.get("eventId").asLong() == event) {
                of.add(d);
            }
        });
        assertThat(of).hasSize(1);
        return of.get(0);
    }

    /** Writes an event recorded {@code secondsAgo} by an instance that died before it wrote the deliveries of {@code rules}. */
    private void leftOverEvent(String path, int secondsAgo, String rules) throws Exception {
        try (Connection c = DriverManager.getConnection(db.url(), db.username(), db.password());
             PreparedStatement insert = c.prepareStatement("""
                     INSERT INTO automation_event (type, occurred_at, instance, actor, protocol, folder, path, size, pending_rules)
                     VALUES ('FILE_UPLOADED', ?, 'killed-before-its-round', 'admin', 'REST', 'killed', ?, 10, ?)""")) {
            insert.setObject(1, OffsetDateTime.now(ZoneOffset.UTC).minusSeconds(secondsAgo));
            insert.setString(2, path);
            insert.setString(3, rules);
            assertThat(insert.executeUpdate()).isEqualTo(1);
        }
    }

    /** The rule ids an event of the killed folder still has (its deliveries not written). */
    private String pendingRulesOf(String path) throws Exception {
        try (Connection c = DriverManager.getConnection(db.url(), db.username(), db.password());
             PreparedStatement select = c.prepareStatement(
                     "SELECT pending_rules FROM automation_event WHERE folder = 'killed' AND path = ? AND type = 'FILE_UPLOADED'")) {
            select.setString(1, path);
            try (ResultSet rs = select.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
    }

    private static JsonNode deliveries(Api api, long rule) {
        return api.get("/api/v1/event-rules/" + rule + "/deliveries").json().get("items");
    }

    private static JsonNode onlyDelivery(Api api, long rule) {
        JsonNode items = deliveries(api, rule);
        assertThat(items).hasSize(1);
        return items.get(0);
    }

    @Test
    void webhooksOfAnInstanceKilledWithSigkillAreDeliveredByTheNextInstance() throws Exception {
        int downPort = FtpPorts.freePort("127.0.0.1");
        byte[] report = "id,amount\n1,10\n".repeat(50).getBytes(StandardCharsets.UTF_8);
        long refusedRule;
        long hangingRule;
        // a receiver that takes the request and never answers: the killed instance is mid-attempt, holding the lease
        try (ServerSocket hanging = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CountDownLatch requestSeen = new CountDownLatch(1);
            List<Socket> held = new CopyOnWriteArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        Socket socket = hanging.accept();
                        held.add(socket);
                        InputStream in = socket.getInputStream();
                        if (in.read() >= 0) {
                            requestSeen.countDown();
                        }
                    }
                } catch (Exception closed) {
                    // the test closed the socket
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();

            try (InstanceProcess first = InstanceProcess.start(db, dataDir, EVENTS)) {
                Api api = first.api();
                assertThat(api.post("/api/v1/folders", "{\"name\":\"killed\"}").status()).isEqualTo(201);
                refusedRule = createRule(api, "refused", "killed", "http://127.0.0.1:%d/refused".formatted(downPort));
                hangingRule = createRule(api, "hanging", "killed", "http://127.0.0.1:%d/hanging".formatted(hanging.getLocalPort()));
                assertThat(api.putBytes("/api/v1/folders/killed/files/report.csv", report).status()).isIn(200, 201, 204);

                // nothing listens on downPort: attempts fail and are retried, the delivery stays PENDING (it is listed
                // once the round after its first attempt wrote it: a poll before that finds none yet)
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    JsonNode items = deliveries(api, refusedRule);
                    return items.size() > 0 && items.get(0).get("attempt").asInt() >= 2;
                });
                JsonNode refused = onlyDelivery(api, refusedRule);
                assertThat(refused.get("state").asString()).isEqualTo("PENDING");
                assertThat(refused.get("error").asString()).isNotBlank();
                assertThat(requestSeen.await(30, TimeUnit.SECONDS)).as("the hanging receiver got the request").isTrue();
                // still in its first attempt, run from memory: no delivery written yet, the event keeps the rule's id
                assertThat(deliveries(api, hangingRule)).isEmpty();
                assertThat(pendingRulesOf("/report.csv")).isEqualTo(String.valueOf(hangingRule));

                assertThat(first.kill()).as("killed by SIGKILL").isEqualTo(137);
            }
            for (Socket socket : held) {
                socket.close();
            }
            hanging.close();
            acceptor.join(5000);
            // both receivers come back, on the ports the rules name
            startReceiver(downPort);
            startReceiver(hanging.getLocalPort());
        }

        // an event as an instance killed between its commit and the round that writes its deliveries leaves it: with the
        // ids of the rules that took it, and no delivery
        leftOverEvent("/unwritten.csv", 0, refusedRule + "," + hangingRule);

        try (ConfigurableApplicationContext second = Instances.start(db, dataDir, EVENTS)) {
            Api api = Instances.api(second);
            await().atMost(Duration.ofSeconds(60)).until(() -> !receivedFor("/refused", "/report.csv").isEmpty()
                    && !receivedFor("/hanging", "/report.csv").isEmpty());
            // the left-over event's deliveries are written by the instance that starts; one left over by another instance
            // while this one runs (as if that one was killed), once it is older than a lease
            leftOverEvent("/unwritten-while-running.csv", 30, String.valueOf(hangingRule));
            await().atMost(Duration.ofSeconds(30)).until(() -> !receivedFor("/refused", "/unwritten.csv").isEmpty()
                    && !receivedFor("/hanging", "/unwritten.csv").isEmpty() && !receivedFor("/hanging", "/unwritten-while-running.csv").isEmpty());
            for (String hookAndPath : List.of("/refused /unwritten.csv", "/hanging /unwritten.csv", "/hanging /unwritten-while-running.csv")) {
                String[] hp = hookAndPath.split(" ");
                List<Received> got = receivedFor(hp[0], hp[1]);
                assertThat(got).as(hookAndPath + ": once").hasSize(1);
                assertThat(got.get(0).signedCorrectly()).isTrue();
                assertThat(got.get(0).json().get("folder").asString()).isEqualTo("killed");
            }
            assertThat(receivedFor("/refused", "/unwritten-while-running.csv")).as("only the rules that took it").isEmpty();
            for (String hook : List.of("/refused", "/hanging")) {
                List<Received> got = receivedFor(hook, "/report.csv");
                assertThat(got).as(hook + ": once, the first attempt that could reach it").hasSize(1);
                Received hit = got.get(0);
                assertThat(hit.signedCorrectly()).as(hook + " signature").isTrue();
                assertThat(hit.eventId()).isEqualTo(hit.json().get("id").asString());
                assertThat(hit.json().get("type").asString()).isEqualTo("FILE_UPLOADED");
                assertThat(hit.json().get("folder").asString()).isEqualTo("killed");
                assertThat(hit.json().get("size").asLong()).isEqualTo(report.length);
            }
            assertThat(receivedFor("/refused", "/report.csv").get(0).eventId())
                    .isEqualTo(receivedFor("/hanging", "/report.csv").get(0).eventId());
            long reportEvent = Long.parseLong(receivedFor("/refused", "/report.csv").get(0).eventId());
            await().atMost(Duration.ofSeconds(10)).until(() -> deliveryOf(api, refusedRule, reportEvent).get("state").asString().equals("DELIVERED")
                    && deliveryOf(api, hangingRule, reportEvent).get("state").asString().equals("DELIVERED"));
            assertThat(deliveryOf(api, refusedRule, reportEvent).get("attempt").asInt()).isGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void aReceiverDownForThirtySecondsGetsEveryEventOnceItIsBack() throws Exception {
        int port = FtpPorts.freePort("127.0.0.1");
        try (ConfigurableApplicationContext instance = Instances.start(db, dataDir, EVENTS)) {
            Api api = Instances.api(instance);
            assertThat(api.post("/api/v1/folders", "{\"name\":\"outage\"}").status()).isEqualTo(201);
            long rule = createRule(api, "outage-hook", "outage", "http://127.0.0.1:%d/outage".formatted(port));

            long downSince = System.nanoTime();
            List<String> paths = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                String path = "/file-%02d.dat".formatted(i);
                assertThat(api.putBytes("/api/v1/folders/outage/files" + path, ("payload " + i).getBytes(StandardCharsets.UTF_8))
                        .status()).isIn(200, 201, 204);
                paths.add(path);
                Thread.sleep(2500);
            }
            Thread.sleep(Math.max(0, Duration.ofSeconds(30).minusNanos(System.nanoTime() - downSince).toMillis()));
            assertThat(received).as("nothing can arrive while the receiver is down").noneMatch(r -> r.hook().equals("/outage"));
            JsonNode pending = api.get("/api/v1/event-rules/" + rule + "/deliveries?state=PENDING&size=50").json();
            assertThat(pending.get("total").asLong()).isEqualTo(10);
            assertThat(pending.get("items")).allMatch(d -> d.get("attempt").asInt() >= 1);

            startReceiver(port);
            await().atMost(Duration.ofSeconds(20)).until(() -> paths.stream().allMatch(p -> !receivedFor("/outage", p).isEmpty()));
            for (String path : paths) {
                List<Received> got = receivedFor("/outage", path);
                assertThat(got).as(path + " once").hasSize(1);
                assertThat(got.get(0).signedCorrectly()).as(path + " signature").isTrue();
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/api/v1/event-rules/" + rule + "/deliveries?state=DELIVERED")
                    .json().get("total").asLong() == 10);
            assertThat(api.get("/api/v1/event-rules/" + rule + "/deliveries?state=FAILED").json().get("total").asLong()).isZero();
        }
    }
}
