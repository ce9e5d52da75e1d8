package io.ftpbridge.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * pure-ftpd on loopback for tests: one virtual user (a PureDB made with pure-pw) chrooted into a
 * temporary directory, owned by {@code nobody}. The binaries come unpacked from Debian's package
 * ({@code .ci/install-ftp-peers.sh}), since pure-ftpd conflicts with the other FTP servers as a package.
 */
public final class PureFtpdPeer implements AutoCloseable {

    public static final String USER = "pure-peer";
    public static final String PASSWORD = "pure-peer-password-1";
    private static final Path BIN = Path.of(System.getenv().getOrDefault("PURE_FTPD_HOME", "/opt/ftp-peers/usr"));

    private final Process process;
    private final int port;
    private final Path root;

    private PureFtpdPeer(Process process, int port, Path root) {
        this.process = process;
        this.port = port;
        this.root = root;
    }

    /** Starts pure-ftpd with passive ports {@code passiveMin..passiveMax}. */
    public static PureFtpdPeer start(int passiveMin, int passiveMax) {
        try {
            Path dir = Files.createTempDirectory("pure-ftpd-");
            Path root = Files.createDirectories(dir.resolve("root"));
            ExternalCommand.Result chown = ExternalCommand.run(List.of("chown", "nobody:nogroup", root.toString()));
            if (!chown.ok()) {
                throw new IllegalStateException("cannot chown pure-ftpd's root (tests run as root): " + chown.output());
            }
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            Path passwd = dir.resolve("pureftpd.passwd");
            Path db = dir.resolve("pureftpd.pdb");
            ExternalCommand.Result user = ExternalCommand.run(List.of(BIN.resolve("bin/pure-pw").toString(), "useradd", USER,
                    "-u", "nobody", "-g", "nogroup", "-d", root.toString(), "-f", passwd.toString(), "-F", db.toString(), "-m"),
                    PASSWORD + "\n" + PASSWORD + "\n", 30);
            if (!user.ok()) {
                throw new IllegalStateException("pure-pw failed: " + user.output());
            }
            int port = FtpPorts.freePort("127.0.0.1");
            Process process = new ProcessBuilder(BIN.resolve("sbin/pure-ftpd").toString(),
                    "-S", "127.0.0.1," + port, "-l", "puredb:" + db, "-E", "-A", "-H",
                    "-p", passiveMin + ":" + passiveMax)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("pure-ftpd.log").toFile()).start();
            awaitListening(port, process);
            return new PureFtpdPeer(process, port, root);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start pure-ftpd: " + e.getMessage(), e);
        }
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return port;
    }

    public Path root() {
        return root;
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static void awaitListening(int port, Process process) {
        for (int i = 0; i < 100; i++) {
            if (!process.isAlive()) {
                throw new IllegalStateException("pure-ftpd exited with " + process.exitValue());
            }
            if (FtpPorts.greets("127.0.0.1", port)) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new IllegalStateException("pure-ftpd did not listen on port " + port);
    }

}
