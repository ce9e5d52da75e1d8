package io.ftpbridge.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ftpbridge.testsupport.Api;
import io.ftpbridge.testsupport.ExternalCommand;
import io.ftpbridge.testsupport.Instances;
import io.ftpbridge.testsupport.PostgresSupport;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * 4,000 open FTP sessions over two instances on one PostgreSQL: how long {@code GET
 * /api/v1/sessions?size=100} takes on each over HTTP, and how many write transactions each instance's
 * registry makes per heartbeat (counted by PostgreSQL's own triggers) while 200 of the sessions send
 * commands without pause
 * (measured after the listing, so the two do not compete for the CPU). Skipped unless
 * {@code -Dbench=true}; see bench/README.md.
 */
@EnabledIfSystemProperty(named = "bench", matches = "true")
class SessionRegistryBenchmark {

    static final int SESSIONS = 4000;

    @Test
    void fourThousandSessionsOverTwoInstances() throws Exception {
        PostgresSupport.Database db = PostgresSupport.freshDatabase();
        Path data = Files.createTempDirectory("ftpbridge-bench-sessions-");
        String[] limits = {"--ftpbridge.ftp.max-connections-per-address=5000",
                "--ftpbridge.ftp.max-unauthenticated-connections=5000", "--ftpbridge.ftp.login-timeout=30m",
                "--logging.level.io.ftpbridge.ftpserver=WARN"};
        ConfigurableApplicationContext a = Instances.start(db, data, concat(limits, "--ftpbridge.ftp.passive-ports=26200-26209"));
        ConfigurableApplicationContext b = Instances.start(db, data, concat(limits, "--ftpbridge.ftp.passive-ports=26210-26219"));
        List<Socket> open = Collections.synchronizedList(new ArrayList<>());
        try {
            long started = System.nanoTime();
            ExecutorService openers = Executors.newFixedThreadPool(8);
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            for (int i = 0; i < SESSIONS; i++) {
                int port = Instances.ftpPort(i % 2 == 0 ? a : b);
                openers.submit(() -> {
                    try {
                        Socket socket = new Socket();
                        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
                        socket.setSoTimeout(30_000);
                        String greeting = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                                StandardCharsets.US_ASCII)).readLine();
                        if (greeting == null || !greeting.startsWith("220")) {
                            failures.add(String.valueOf(greeting));
                        }
                        open.add(socket);
                    } catch (Exception e) {
                        failures.add(e.toString());
                    }
                });
            }
            openers.shutdown();
            assertThat(openers.awaitTermination(5, TimeUnit.MINUTES)).isTrue();
            assertThat(failures).as("connections refused").isEmpty();
            System.out.printf("BENCH opened %d sessions in %d ms%n", SESSIONS,
                    Duration.ofNanos(System.nanoTime() - started).toMillis());
            await().atMost(Duration.ofSeconds(60)).until(() -> rows(db) == SESSIONS);

            // listing latency on both instances, end to end over HTTP (HTTP Basic, whose verified credentials are
            // cached): the first page, then pages deep into the list; the client only reads the bytes (the tests'
            // OpenAPI validation of every response is checked once, outside the timing)
            Api apiA = Instances.api(a);
            Api apiB = Instances.api(b);
            JsonNode checked = apiA.get("/api/v1/sessions?size=100").json();
            assertThat(checked.get("items")).hasSize(100);
            HttpClient http = HttpClient.newHttpClient();
            for (int i = 0; i < 20; i++) {
                timedGet(http, apiA, "/api/v1/sessions?size=100");
                timedGet(http, apiB, "/api/v1/sessions?size=100");
            }
            List<Long> latencies = new ArrayList<>();
            List<Long> deep = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                Api api = i % 2 == 0 ? apiA : apiB;
                latencies.add(timedGet(http, api, "/api/v1/sessions?size=100"));
                deep.add(timedGet(http, api, "/api/v1/sessions?size=100&page=" + (i % 40)));
            }
            long total = apiB.get("/api/v1/sessions?size=1").json().get("total").asLong();
            Collections.sort(latencies);
            Collections.sort(deep);
            // the same authenticated round trip without the sessions
            List<Long> baseline = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                baseline.add(timedGet(http, i % 2 == 0 ? apiA : apiB, "/api/v1/ip-lists?size=100"));
            }
            Collections.sort(baseline);
            // an outside client: curl's own time for the whole exchange, a new connection each time
            List<Long> byCurl = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                ExternalCommand.Result curl = ExternalCommand.run(List.of("curl", "-sS", "-o", "/dev/null", "-w", "%{time_total}",
                        "-u", Api.ADMIN + ":" + Api.ADMIN_PASSWORD, (i % 2 == 0 ? apiA : apiB).base() + "/api/v1/sessions?size=100"));
                assertThat(curl.ok()).as(curl.output()).isTrue();
                byCurl.add(Math.round(Double.parseDouble(curl.output().trim()) * 1000));
            }
            Collections.sort(byCurl);
            // what the registry itself takes for a page: this instance's live sessions merged with the database's
            List<Long> inProcess = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                SessionRegistry registry = (i % 2 == 0 ? a : b).getBean(SessionRegistry.class);
                long t0 = System.nanoTime();
                assertThat(registry.page(0, 100).items()).hasSize(100);
                inProcess.add(Duration.ofNanos(System.nanoTime() - t0).toMillis());
            }
            Collections.sort(inProcess);

            // 200 sessions (100 on each instance) send NOOPs without pause while the writes are counted
            List<Socket> busy = open.subList(0, 200);
            ExecutorService talkers = Executors.newFixedThreadPool(8);
            long[] commands = new long[1];
            long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            SessionRegistry registryA = a.getBean(SessionRegistry.class);
            SessionRegistry registryB = b.getBean(SessionRegistry.class);
            RegistryWriteLog writeLog = RegistryWriteLog.install(db);
            OffsetDateTime from = OffsetDateTime.now(ZoneOffset.UTC);
            long measureStart = System.nanoTime();
            for (int t = 0; t < 8; t++) {
                int slice = t;
                talkers.submit(() -> {
                    byte[] noop = "NOOP\r\n".getBytes(StandardCharsets.US_ASCII);
                    while (System.nanoTime() < until) {
                        for (int s = slice; s < busy.size(); s += 8) {
                            try {
                                Socket socket = busy.get(s);
                                socket.getOutputStream().write(noop);
                                socket.getInputStream().read(new byte[256]);
                                synchronized (commands) {
                                    commands[0]++;
                                }
                            } catch (Exception e) {
                                failures.add(e.toString());
                            }
                        }
                    }
                });
            }

            talkers.shutdown();
            assertThat(talkers.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
            Thread.sleep(1200); // the last commands are written
            double seconds = Duration.ofNanos(System.nanoTime() - measureStart).toMillis() / 1000.0;
            RegistryWriteLog.Writes writesA = writeLog.since(registryA.instance(), from);
            RegistryWriteLog.Writes writesB = writeLog.since(registryB.instance(), from);
            writeLog.close();
            System.out.printf("BENCH sessions listed: total=%d%n", total);
            System.out.printf("BENCH GET /api/v1/sessions?size=100 (100 requests, both instances): "
                            + "median=%d ms p95=%d ms max=%d ms%n", latencies.get(49), latencies.get(94), latencies.get(99));
            System.out.printf("BENCH GET /api/v1/ip-lists (baseline: same auth, no sessions): median=%d ms p95=%d ms%n",
                    baseline.get(49), baseline.get(94));
            System.out.printf("BENCH curl GET /api/v1/sessions?size=100 (20 runs, new connection each): median=%d ms max=%d ms%n",
                    byCurl.get(9), byCurl.get(19));
            System.out.printf("BENCH SessionRegistry.page(0, 100) in process: median=%d ms p95=%d ms max=%d ms%n",
                    inProcess.get(49), inProcess.get(94), inProcess.get(99));
            System.out.printf("BENCH GET /api/v1/sessions?size=100&page=0..39 (100 requests, both instances): "
                    + "median=%d ms p95=%d ms max=%d ms%n", deep.get(49), deep.get(94), deep.get(99));
            System.out.printf("BENCH %d NOOP commands in %.1f s on 200 sessions (heartbeat 1s), counted by PostgreSQL:%n"
                    + "BENCH   a: %d write transactions (%.2f/s), %d lease renewals, %d session rows%n"
                    + "BENCH   b: %d write transactions (%.2f/s), %d lease renewals, %d session rows%n", commands[0], seconds,
                    writesA.transactions(), writesA.transactions() / seconds, writesA.leaseRenewals(), writesA.sessionRows(),
                    writesB.transactions(), writesB.transactions() / seconds, writesB.leaseRenewals(), writesB.sessionRows());
            assertThat(total).isEqualTo(SESSIONS);
            assertThat(failures).isEmpty();
            assertThat(inProcess.get(94)).as("p95 of a page in ms").isLessThanOrEqualTo(100);
            for (RegistryWriteLog.Writes writes : List.of(writesA, writesB)) {
                assertThat(writes.transactions()).isLessThanOrEqualTo((long) seconds + 1);
                assertThat(writes.leaseRenewals()).isEqualTo(writes.transactions());
                assertThat(writes.mostPerSessionAndTransaction()).isEqualTo(1);
            }
        } finally {
            for (Socket socket : open) {
                socket.close();
            }
            a.close();
            b.close();
        }
    }

    /** Milliseconds for one GET, from sending the request to the last byte of the body. */
    private static long timedGet(HttpClient http, Api api, String path) throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<byte[]> response = http.send(api.builder(path).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        long millis = Duration.ofNanos(System.nanoTime() - t0).toMillis();
        assertThat(response.statusCode()).isEqualTo(200);
        return millis;
    }

    private static long rows(PostgresSupport.Database db) throws Exception {
        try (Connection c = DriverManager.getConnection(db.url(), db.username(), db.password());
             ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM ftp_session")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String[] concat(String[] first, String... more) {
        String[] all = java.util.Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }
}
