package io.ftpbridge.testsupport;

import io.ftpbridge.FtpBridgeApplication;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A whole ftpbridge instance in a JVM of its own (the test's classpath), so that a test can kill it the
 * way {@code kill -9} does: no shutdown hook, no {@code @PreDestroy}, connections cut mid-transaction.
 */
public final class InstanceProcess implements AutoCloseable {

    private final Process process;
    private final int httpPort;
    private final Path log;

    private InstanceProcess(Process process, int httpPort, Path log) {
        this.process = process;
        this.httpPort = httpPort;
        this.log = log;
    }

    /** Starts an instance like {@link Instances#start} does and waits until its health endpoint answers. */
    public static InstanceProcess start(PostgresSupport.Database db, Path dataDir, String... extra) throws Exception {
        int port = FtpPorts.freePort("127.0.0.1");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                FtpBridgeApplication.class.getName()));
        command.addAll(Instances.arguments(db, dataDir, port, extra));
        Path log = Files.createTempFile("ftpbridge-instance-", ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        InstanceProcess instance = new InstanceProcess(process, port, log);
        instance.awaitHealthy(Duration.ofSeconds(180));
        return instance;
    }

    private void awaitHealthy(Duration within) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:%d/actuator/health".formatted(httpPort)))
                .timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("instance exited with " + process.exitValue() + ":\n" + logTail());
            }
            try {
                if (client.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        process.destroyForcibly();
        throw new IllegalStateException("instance not healthy within " + within + ":\n" + logTail());
    }

    public Api api() {
        return new Api(httpPort);
    }

    public long pid() {
        return process.pid();
    }

    /** SIGKILL (what {@code kill -9} sends); returns the exit status, 137 on Linux. */
    public int kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("instance " + process.pid() + " still alive after SIGKILL");
        }
        return process.exitValue();
    }

    /** The last lines the instance logged, for assertion messages. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
            }
        }
    }
}
