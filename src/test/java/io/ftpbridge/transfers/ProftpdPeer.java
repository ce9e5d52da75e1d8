package io.ftpbridge.transfers;

import io.ftpbridge.testsupport.ExternalCommand;
import io.ftpbridge.testsupport.FtpPorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

/**
 * ProFTPD (Debian's proftpd-core) on loopback with mod_digest, i.e. a server that offers HASH,
 * XMD5, XCRC: the checksum side of transfer verification. One virtual user from an AuthUserFile,
 * running as {@code nobody}, so no system account is needed.
 */
final class ProftpdPeer implements AutoCloseable {

    static final String USER = "digest-user";
    static final String PASSWORD = "digest-password-1";
    private static final String PROFTPD = "/usr/sbin/proftpd";

    private final Path dir;
    private final Path root;
    private final int port;
    private final Process process;

    private ProftpdPeer(Path dir, Path root, int port, Process process) {
        this.dir = dir;
        this.root = root;
        this.port = port;
        this.process = process;
    }

    static ProftpdPeer start(int passiveMin, int passiveMax) {
        return start(passiveMin, passiveMax, true);
    }

    /**
     * {@code allowOverwrite} false: {@code AllowOverwrite off}, under which ProFTPD refuses a STOR or an RNTO onto an
     * existing file (550 "Rename permission denied") but deletes one.
     */
    static ProftpdPeer start(int passiveMin, int passiveMax, boolean allowOverwrite) {
        try {
            Path dir = Files.createTempDirectory("proftpd-peer-");
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path root = Files.createDirectories(dir.resolve("root"));
            ExternalCommand.Result owner = ExternalCommand.run(List.of("chown", "-R", "nobody:nogroup", root.toString()));
            if (!owner.ok()) {
                throw new IllegalStateException("chown failed: " + owner.output());
            }
            ExternalCommand.Result hash = ExternalCommand.run(List.of("/usr/sbin/ftpasswd", "--hash", "--sha512", "--stdin"),
                    PASSWORD + "\n", 30);
            String crypt = hash.output().substring(hash.output().indexOf('$')).trim();
            String uid = ExternalCommand.run(List.of("id", "-u", "nobody")).output().trim();
            String gid = ExternalCommand.run(List.of("getent", "group", "nogroup")).output().split(":")[2].trim();
            Path passwd = dir.resolve("passwd");
            Files.writeString(passwd, "%s:%s:%s:%s::%s:/bin/false%n".formatted(USER, crypt, uid, gid, root));
            Files.setPosixFilePermissions(passwd, PosixFilePermissions.fromString("rw-------")); // proftpd insists
            int port = FtpPorts.freePort("127.0.0.1");
            Files.writeString(dir.resolve("proftpd.conf"), """
                    ServerType standalone
                    DefaultServer on
                    Port %d
                    DefaultAddress 127.0.0.1
                    SocketBindTight on
                    UseIPv6 off
                    User nobody
                    Group nogroup
                    WtmpLog off
                    ScoreboardFile %s/scoreboard
                    PidFile %s/proftpd.pid
                    DelayTable none
                    TransferLog none
                    AuthOrder mod_auth_file.c
                    AuthUserFile %s
                    RequireValidShell off
                    DefaultRoot ~
                    UseReverseDNS off
                    PassivePorts %d %d
                    <IfModule !mod_digest.c>
                    LoadModule mod_digest.c
                    </IfModule>
                    DigestEngine on
                    DigestAlgorithms all
                    <Directory />
                      AllowOverwrite %s
                    </Directory>
                    """.formatted(port, dir, dir, passwd, passiveMin, passiveMax, allowOverwrite ? "on" : "off"));
            Process process = new ProcessBuilder(PROFTPD, "-n", "-c", dir.resolve("proftpd.conf").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("proftpd.log").toFile()).start();
            ProftpdPeer peer = new ProftpdPeer(dir, root, port, process);
            peer.awaitGreeting();
            return peer;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return port;
    }

    /** The directory the user sees as {@code /}. */
    Path root() {
        return root;
    }

    Path put(String relative, byte[] bytes) throws IOException {
        Path file = root.resolve(relative);
        Files.write(file, bytes);
        ExternalCommand.run(List.of("chown", "nobody:nogroup", file.toString()));
        return file;
    }

    private void awaitGreeting() throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("proftpd exited: " + Files.readString(dir.resolve("proftpd.log")));
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
        close();
        throw new IllegalStateException("proftpd did not greet: " + Files.readString(dir.resolve("proftpd.log")));
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        ExternalCommand.run(List.of("rm", "-rf", dir.toString()));
    }

}
