package io.ftpbridge.remotes;

import static org.assertj.core.api.Assertions.assertThat;

import io.ftpbridge.ftpserver.FtpServerLifecycle;
import io.ftpbridge.testsupport.Api;
import io.ftpbridge.testsupport.FtpBridgeTest;
import io.ftpbridge.testsupport.FtpPeers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Not a test: the benchmark of bench/README.md, skipped unless {@code -Dbench=true}.
 * <ol>
 * <li>200 small files downloaded through the pool vs with a new connection and login per file,
 * against vsftpd and against our embedded server;</li>
 * <li>throughput of one 200 MB download with 32 KiB, 256 KiB and 1 MiB buffers.</li>
 * </ol>
 * Results are printed and written to {@code target/bench-remote-pool.txt}.
 */
@FtpBridgeTest
@EnabledIfSystemProperty(named = "bench", matches = "true")
class RemotePoolBenchmark {

    private static final int FILES = 200;

    @LocalServerPort
    int httpPort;

    @Autowired
    FtpServerLifecycle ftp;

    @Autowired
    RemoteService remotes;

    @Autowired
    RemoteFiles files;

    @Autowired
    RemoteConnector connector;

    final List<String> report = new ArrayList<>();

    @Test
    void pooledConnectionsBeatConnectingPerRequest() throws Exception {
        Api api = new Api(httpPort);
        try (FtpPeers.Peer vsftpd = FtpPeers.vsftpd(FtpPeers.options())) {
            byte[] small = new byte[2048];
            new Random(1).nextBytes(small);
            for (int i = 0; i < FILES; i++) {
                vsftpd.put("small/f" + i + ".bin", small);
            }
            create(api, "bench-vsftpd", vsftpd.host(), vsftpd.port(), vsftpd.user(), vsftpd.password());

            api.createFolderAndUser("bench", "bench-user", "bench-password", "/", Api.ALL);
            create(api, "bench-embedded", "127.0.0.1", ftp.port(), "bench-user", "bench-password");
            files.mkdir("bench-embedded", "/small");
            for (int i = 0; i < FILES; i++) {
                files.upload("bench-embedded", "/small/f" + i + ".bin", new java.io.ByteArrayInputStream(small));
            }

            for (String remote : List.of("bench-vsftpd", "bench-embedded")) {
                run(remote, 20);
                long pooled = run(remote, FILES);
                long perRequest = runConnectingEachTime(remote, FILES);
                line("%-15s %d files of 2 KiB: pooled %5d ms (%.1f ms/file), connect per file %5d ms (%.1f ms/file): pooled is %.1fx faster"
                        .formatted(remote, FILES, pooled, pooled / (double) FILES, perRequest, perRequest / (double) FILES,
                                perRequest / (double) pooled));
                assertThat(pooled).isLessThan(perRequest);
            }

            Path big = vsftpd.put("big.bin", new byte[0]);
            try (OutputStream out = Files.newOutputStream(big)) {
                byte[] chunk = new byte[1 << 20];
                new Random(2).nextBytes(chunk);
                for (int i = 0; i < 200; i++) {
                    out.write(chunk);
                }
            }
            for (int round = 0; round < 2; round++) {
                for (int size : new int[] {32 * 1024, 256 * 1024, 1024 * 1024}) {
                    long millis = downloadWithBuffer(remotes.connectionSettings("bench-vsftpd"), "/big.bin", size);
                    line("round %d buffer %7d B: 200 MiB in %5d ms = %6.0f MiB/s".formatted(round + 1, size, millis,
                            200_000.0 / millis));
                }
            }
        }
        Files.write(Path.of("target/bench-remote-pool.txt"), report);
    }

    private long run(String remote, int count) throws IOException {
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            files.download(remote, "/small/f" + i + ".bin").writeTo(out);
            assertThat(out.size()).isEqualTo(2048);
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    private long runConnectingEachTime(String remote, int count) throws IOException {
        RemoteSettings settings = remotes.connectionSettings(remote);
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            FTPClient client = connector.connect(settings, null, null);
            try {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                assertThat(client.retrieveFile("/small/f" + i + ".bin", out)).isTrue();
                assertThat(out.size()).isEqualTo(2048);
            } finally {
                RemoteConnector.disconnectQuietly(client);
            }
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static long downloadWithBuffer(RemoteSettings settings, String path, int bufferSize) throws IOException {
        RemoteConnector sized = new RemoteConnector(new RemoteClientProperties(null, null, bufferSize,
                Duration.ofSeconds(60), Duration.ofSeconds(30), null, null, null));
        FTPClient client = sized.connect(settings, null, null);
        try {
            long start = System.nanoTime();
            long total = 0;
            try (InputStream in = client.retrieveFileStream(path)) {
                byte[] buffer = new byte[bufferSize];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    total += n;
                }
            }
            assertThat(client.completePendingCommand()).isTrue();
            assertThat(total).isEqualTo(200L << 20);
            return (System.nanoTime() - start) / 1_000_000;
        } finally {
            RemoteConnector.disconnectQuietly(client);
        }
    }

    private static void create(Api api, String name, String host, int port, String user, String password) {
        Api.Response created = api.post("/api/v1/remotes", """
                {"name":"%s","host":"%s","port":%d,"username":"%s","password":"%s","maxConnections":4}"""
                .formatted(name, host, port, user, password));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
    }

    private void line(String text) {
        System.out.println("BENCH " + text);
        report.add(text);
    }
}
