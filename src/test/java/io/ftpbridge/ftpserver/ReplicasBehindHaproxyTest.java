package io.ftpbridge.ftpserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.ftpbridge.security.LoginGuard;
import io.ftpbridge.testsupport.Api;
import io.ftpbridge.testsupport.ExternalCommand;
import io.ftpbridge.testsupport.FtpPorts;
import io.ftpbridge.testsupport.Haproxy;
import io.ftpbridge.testsupport.Instances;
import io.ftpbridge.testsupport.PostgresSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two replicas on one PostgreSQL and one storage behind one HAProxy frontend, as README's
 * "N replicas" section deploys them: control connections round robin, each replica's passive
 * range forwarded to that replica only, every replica announcing the balancer's address.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplicasBehindHaproxyTest {

    static final String BALANCER = "127.0.0.2";
    static final String CLIENT = "127.0.0.3";
    static final String BALANCER_SOURCE = "127.0.0.4";

    ConfigurableApplicationContext a;
    ConfigurableApplicationContext b;
    Haproxy haproxy;
    int frontend;
    Path work;
    byte[] content;

    @BeforeAll
    void startTwoReplicasBehindHaproxy() throws Exception {
        PostgresSupport.Database db = PostgresSupport.freshDatabase();
        work = Files.createTempDirectory("ftpbridge-replicas-");
        Path data = work.resolve("data");
        a = Instances.start(db, data, replica("26150-26159"));
        // b picks its range by ordinal from nested placeholders, as the Helm chart's StatefulSet pods do
        b = Instances.start(db, data, replica("${FTPBRIDGE_PASSIVE_PORTS_${POD_INDEX}}", "--POD_INDEX=1",
                "--FTPBRIDGE_PASSIVE_PORTS_0=26150-26159", "--FTPBRIDGE_PASSIVE_PORTS_1=26160-26169"));
        Api api = Instances.api(a);
        api.createFolderAndUser("replicated", "replica-user", "replica-password", "/", Api.ALL);
        content = new byte[300_000];
        new Random(7).nextBytes(content);
        assertThat(api.putBytes("/api/v1/folders/replicated/files/shared.bin", content).status()).isEqualTo(201);
        frontend = FtpPorts.freePort(BALANCER);
        haproxy = Haproxy.start("""
                frontend ftp
                    log stdout format raw local0
                    option tcplog
                    bind %1$s:%2$d
                    default_backend ftp
                backend ftp
                    balance roundrobin
                    server a 127.0.0.1:%3$d send-proxy-v2 source %5$s
                    server b 127.0.0.1:%4$d send-proxy-v2 source %5$s
                frontend ftp_passive_a
                    log stdout format raw local0
                    option tcplog
                    bind %1$s:26150-26159
                    default_backend ftp_passive_a
                backend ftp_passive_a
                    server a 127.0.0.1 send-proxy-v2 source %5$s
                frontend ftp_passive_b
                    log stdout format raw local0
                    option tcplog
                    bind %1$s:26160-26169
                    default_backend ftp_passive_b
                backend ftp_passive_b
                    server b 127.0.0.1 send-proxy-v2 source %5$s
                """.formatted(BALANCER, frontend, Instances.ftpPort(a), Instances.ftpPort(b), BALANCER_SOURCE),
                BALANCER);
    }

    private static String[] replica(String passivePorts, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("--ftpbridge.ftp.bind-address=127.0.0.1",
                "--ftpbridge.ftp.passive-ports=" + passivePorts, "--ftpbridge.ftp.passive-external-address=" + BALANCER,
                "--ftpbridge.ftp.proxy-protocol=required", "--ftpbridge.ftp.trusted-proxies=" + BALANCER_SOURCE + "/32"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @AfterAll
    void stopAll() {
        if (haproxy != null) {
            haproxy.close();
        }
        a.close();
        b.close();
    }

    @Test
    void aHundredCurlDownloadsInPasvAndEpsvAllSucceedAndBothReplicasServeSome() throws Exception {
        // failed logins are shared through the database: another test's bans of this client address must not count here
        a.getBean(org.springframework.jdbc.core.JdbcTemplate.class).update("DELETE FROM login_failure");
        long before = downloads(a) + downloads(b);
        Queue<String> failures = new ConcurrentLinkedQueue<>();
        // each instance clears the login counts nobody needs once a minute; here both do it all the time, so that
        // a login racing a clean-up (refused with 421 once, which curl reports as a timeout: 28) is met in every run
        AtomicBoolean transferring = new AtomicBoolean(true);
        Thread sweeper = new Thread(() -> {
            while (transferring.get()) {
                a.getBean(LoginGuard.class).sweep();
                b.getBean(LoginGuard.class).sweep();
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
        }, "login-sweeps");
        sweeper.start();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        for (int i = 0; i < 100; i++) {
            int n = i;
            clients.submit(() -> {
                Path out = work.resolve("download-" + n + ".bin");
                List<String> command = new java.util.ArrayList<>(List.of("curl", "-sS", "--max-time", "30",
                        "--interface", CLIENT, "-o", out.toString()));
                if (n % 2 == 0) {
                    command.add("--disable-epsv");
                }
                command.add("ftp://replica-user:replica-password@%s:%d/shared.bin".formatted(BALANCER, frontend));
                // one try each: a refused login or a lost data connection fails the test
                ExternalCommand.Result result = ExternalCommand.run(command);
                try {
                    if (!result.ok() || !java.util.Arrays.equals(Files.readAllBytes(out), content)) {
                        failures.add((n % 2 == 0 ? "PASV " : "EPSV ") + n + ": " + result.output());
                    }
                } catch (java.io.IOException e) {
                    failures.add(n + ": " + e + " " + result.output());
                }
            });
        }
        clients.shutdown();
        assertThat(clients.awaitTermination(5, TimeUnit.MINUTES)).isTrue();
        transferring.set(false);
        sweeper.join();
        assertThat(failures).as("HAProxy's connections that did not end normally:%n%s", haproxy.log().lines()
                .filter(line -> !line.contains(" -- ")).collect(java.util.stream.Collectors.joining("\n"))).isEmpty();
        assertThat(downloads(a) + downloads(b) - before).isEqualTo(100);
        assertThat(downloads(a)).as("replica a served some").isPositive();
        assertThat(downloads(b)).as("replica b served some").isPositive();
        assertThat(b.getBean(FtpProperties.class).passivePorts()).isEqualTo("26160-26169");
    }

    private static long downloads(ConfigurableApplicationContext replica) {
        return replica.getBean(FtpServerLifecycle.class).statistics().getTotalDownloadNumber();
    }
}
