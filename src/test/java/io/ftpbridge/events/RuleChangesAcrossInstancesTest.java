package io.ftpbridge.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.ftpbridge.testsupport.Api;
import io.ftpbridge.testsupport.Instances;
import io.ftpbridge.testsupport.PostgresSupport;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.json.JsonMapper;

/**
 * Each instance keeps the event rules in memory; a rule created, changed or deleted over one instance's
 * REST must count on another instance sharing the database (PostgreSQL) within {@code rules-refresh}.
 * The receiver is a real HTTP server; uploads go over the other instance's REST.
 */
class RuleChangesAcrossInstancesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String[] EVENTS = {"--ftpbridge.events.rules-refresh=300ms", "--ftpbridge.events.poll-interval=200ms"};

    @Test
    void aRuleChangedOverOneInstanceCountsForEventsOnAnotherWithinTheRefresh() throws Exception {
        PostgresSupport.Database db = PostgresSupport.freshDatabase();
        Path dataDir = Files.createTempDirectory("ftpbridge-rule-cache-"); // shared secrets key, as replicas share one
        List<String> received = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            received.add(exchange.getRequestURI().getPath() + " " + JSON.readTree(exchange.getRequestBody().readAllBytes())
                    .get("path").asString());
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        String hook = "http://127.0.0.1:%d".formatted(receiver.getAddress().getPort());
        try (ConfigurableApplicationContext a = Instances.start(db, dataDir, EVENTS);
             ConfigurableApplicationContext b = Instances.start(db, dataDir, EVENTS)) {
            Api overA = Instances.api(a);
            Api overB = Instances.api(b);
            assertThat(overA.post("/api/v1/folders", "{\"name\":\"shared\"}").status()).isEqualTo(201);
            // B reads the (empty) rules now, so that it holds a copy made before the rule exists
            assertThat(upload(overB, "/before.dat")).isIn(200, 201, 204);

            Api.Response created = overA.post("/api/v1/event-rules", """
                    {"name":"cached","events":["FILE_UPLOADED"],"filter":{"folder":"shared"},
                     "actions":[{"type":"WEBHOOK","url":"%s/first","secret":"cache-secret-1"}]}""".formatted(hook));
            assertThat(created.status()).as(created.text()).isEqualTo(201);
            long rule = created.json().get("id").asLong();
            Thread.sleep(600); // twice the refresh
            assertThat(upload(overB, "/created.dat")).isIn(200, 201, 204);
            await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("/first /created.dat"));

            Api.Response changed = overA.put("/api/v1/event-rules/" + rule, """
                    {"name":"cached","events":["FILE_UPLOADED"],"filter":{"folder":"shared"},
                     "actions":[{"type":"WEBHOOK","url":"%s/second","secret":"cache-secret-1"}]}""".formatted(hook));
            assertThat(changed.status()).as(changed.text()).isEqualTo(200);
            Thread.sleep(600);
            assertThat(upload(overB, "/changed.dat")).isIn(200, 201, 204);
            await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("/second /changed.dat"));

            assertThat(overA.delete("/api/v1/event-rules/" + rule).status()).isEqualTo(204);
            Thread.sleep(600);
            assertThat(upload(overB, "/deleted.dat")).isIn(200, 201, 204);
            // the event is recorded (seen over REST) with no delivery: nothing may arrive for it
            await().atMost(Duration.ofSeconds(10)).until(() -> overB.get("/api/v1/events?type=FILE_UPLOADED&folder=shared").json()
                    .get("items").findValuesAsString("path").contains("/deleted.dat"));
            Thread.sleep(1000);
            assertThat(received).containsExactly("/first /created.dat", "/second /changed.dat");
        } finally {
            receiver.stop(0);
        }
    }

    private static int upload(Api api, String path) {
        return api.putBytes("/api/v1/folders/shared/files" + path, "x".getBytes(StandardCharsets.UTF_8)).status();
    }
}
