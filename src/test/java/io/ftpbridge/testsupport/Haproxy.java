package io.ftpbridge.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Debian's HAProxy in the foreground with a configuration the test writes; stopped on close. */
public final class Haproxy implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final Path config;

    private Haproxy(Process process, Path log, Path config) {
        this.process = process;
        this.log = log;
        this.config = config;
    }

    /**
     * Starts HAProxy with {@code global} and {@code defaults} for TCP proxying followed by the
     * given frontends and backends; returns once it accepts on a frontend of its own on {@code host} (it binds every
     * frontend before it accepts on any), which closes what it accepts: a probe of one of the test's frontends would
     * reach the server behind it and be logged there, as a connection the test did not make.
     */
    public static Haproxy start(String sections, String host) throws IOException, InterruptedException {
        int readyPort = FtpPorts.freePort(host);
        Path config = Files.createTempFile("haproxy-", ".cfg");
        Files.writeString(config, """
                global
                    maxconn 9000
                defaults
                    mode tcp
                    timeout connect 5s
                    timeout client 120s
                    timeout server 120s
                frontend haproxy_ready
                    bind %s:%d
                    tcp-request connection reject
                """.formatted(host, readyPort) + sections);
        Path log = Files.createTempFile("haproxy-", ".log");
        Process process = new ProcessBuilder(List.of("/usr/sbin/haproxy", "-db", "-f", config.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Haproxy haproxy = new Haproxy(process, log, config);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("haproxy exited: " + Files.readString(log) + "\n" + Files.readString(config));
            }
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress(host, readyPort), 200);
                return haproxy;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        haproxy.close();
        throw new IllegalStateException("haproxy did not listen on " + host + ":" + readyPort);
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
