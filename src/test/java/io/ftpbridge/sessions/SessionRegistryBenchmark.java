package io.ftpbridge.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ftpbridge.testsupport.Api;
import io.ftpbridge.testsupport.Instances;
import io.ftpbridge.testsupport.PostgresSupport;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
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

/**
 * 4,000 open FTP sessions over two instances on one PostgreSQL: how long {@code GET
 * /api/v1/sessions?size=100} takes on each, and how many database writes each instance's registry
 * makes per heartbeat while 200 of the sessions send commands without pause
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
        ConfigurableApplicationContext a = Instances.start(db, data, concat(limits, "--ftpbridge.ftp.passive-ports=34200-34209"));
        ConfigurableApplicationContext b = Instances.start(db, data, concat(limits, "--ftpbridge.ftp.passive-ports=34210-34219"));
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

            // listing latency on both instances: the first page, then pages deep into the list
            Api apiA = Instances.api(a);
            Api apiB = Instances.api(b);
            for (int i = 0; i < 20; i++) {
                apiA.get("/api/v1/sessions?size=100");
                apiB.get("/api/v1/sessions?size=100");
            }
            List<Long> latencies = new ArrayList<>();
            List<Long> deep = new ArrayList<>();
            long total = -1;
            for (int i = 0; i < 100; i++) {
                Api api = i % 2 == 0 ? apiA : apiB;
                long t0 = System.nanoTime();
                Api.Response page = api.get("/api/v1/sessions?size=100");
                latencies.add(Duration.ofNanos(System.nanoTime() - t0).toMillis());
                assertThat(page.status()).isEqualTo(200);
                total = page.json().get("total").asLong();
                t0 = System.nanoTime();
                assertThat(api.get("/api/v1/sessions?size=100&page=" + (i % 40)).status()).isEqualTo(200);
                deep.add(Duration.ofNanos(System.nanoTime() - t0).toMillis());
            }
            Collections.sort(latencies);
            Collections.sort(deep);
            // the same authenticated round trip without the sessions: HTTP Basic checks the admin's password hash each time
            List<Long> baseline = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                long t0 = System.nanoTime();
                assertThat((i % 2 == 0 ? apiA : apiB).get("/api/v1/ip-lists?size=100").status()).isEqualTo(200);
                baseline.add(Duration.ofNanos(System.nanoTime() - t0).toMillis());
            }
            Collections.sort(baseline);
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
            long writesA = registryA.writes();
            long writesB = registryB.writes();
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
            double seconds = Duration.ofNanos(System.nanoTime() - measureStart).toMillis() / 1000.0;
            long deltaA = registryA.writes() - writesA;
            long deltaB = registryB.writes() - writesB;
            System.out.printf("BENCH sessions listed: total=%d%n", total);
            System.out.printf("BENCH GET /api/v1/sessions?size=100 (100 requests, both instances): "
                            + "median=%d ms p95=%d ms max=%d ms%n", latencies.get(49), latencies.get(94), latencies.get(99));
            System.out.printf("BENCH GET /api/v1/ip-lists (baseline: same auth, no sessions): median=%d ms p95=%d ms%n",
                    baseline.get(49), baseline.get(94));
            System.out.printf("BENCH SessionRegistry.page(0, 100) in process: median=%d ms p95=%d ms max=%d ms%n",
                    inProcess.get(49), inProcess.get(94), inProcess.get(99));
            System.out.printf("BENCH GET /api/v1/sessions?size=100&page=0..39 (100 requests, both instances): "
                    + "median=%d ms p95=%d ms max=%d ms%n", deep.get(49), deep.get(94), deep.get(99));
            System.out.printf("BENCH %d NOOP commands in %.1f s on 200 sessions; registry writes: a=%d b=%d "
                    + "(%.2f and %.2f per second, heartbeat 1s)%n", commands[0], seconds, deltaA, deltaB, deltaA / seconds,
                    deltaB / seconds);
            assertThat(total).isEqualTo(SESSIONS);
            assertThat(failures).isEmpty();
            assertThat(inProcess.get(94)).as("p95 of a page in ms").isLessThanOrEqualTo(100);
            assertThat(deltaA / seconds).isLessThanOrEqualTo(1.1);
            assertThat(deltaB / seconds).isLessThanOrEqualTo(1.1);
        } finally {
            for (Socket socket : open) {
                socket.close();
            }
            a.close();
            b.close();
        }
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
