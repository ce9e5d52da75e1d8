package io.ftpbridge.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Real third-party FTP servers for the tests, on a free loopback port with a temp root directory.
 * vsftpd (the unpacked Debian binary under {@code /opt/ftp-peers}, see {@code .ci/install-ftp-peers.sh})
 * logs in one local system user, {@value #USER}, created here if missing (the tests run as root, which
 * vsftpd needs anyway). The config comes from {@code src/test/resources/ftp-peers/vsftpd.conf}.
 *
 * <pre>
 * try (FtpPeers.Peer peer = FtpPeers.vsftpd(FtpPeers.options().maxBytesPerSecond(100_000))) {
 *     peer.host(); peer.port(); peer.root(); // USER / PASSWORD log in
 *     peer.stop();  peer.start();           // kill it mid-transfer, bring it back on the same port
 * }
 * </pre>
 */
public final class FtpPeers {

    public static final String USER = "ftpbridge-peer";
    public static final String PASSWORD = "peer-password-1";
    public static final String VSFTPD = "/opt/ftp-peers/usr/sbin/vsftpd";

    private static final String PAM_SERVICE = "ftpbridge-test-peer";

    private FtpPeers() {
    }

    /**
     * How a peer is started.
     *
     * @param ipv6              listen on {@code ::1} instead of {@code 127.0.0.1}
     * @param maxBytesPerSecond vsftpd's {@code local_max_rate}: throttles each transfer; 0 = unlimited
     * @param passiveMin        first port of the passive range (the tests' range is 25000-25099)
     * @param passiveMax        last port of the passive range
     * @param tls               FTPS: none, explicit (AUTH TLS) or implicit; logins and data must then be protected
     */
    public record Options(boolean ipv6, long maxBytesPerSecond, int passiveMin, int passiveMax, Tls tls) {

        public Options ipv6(boolean ipv6) {
            return new Options(ipv6, maxBytesPerSecond, passiveMin, passiveMax, tls);
        }

        public Options maxBytesPerSecond(long rate) {
            return new Options(ipv6, rate, passiveMin, passiveMax, tls);
        }

        public Options passivePorts(int min, int max) {
            return new Options(ipv6, maxBytesPerSecond, min, max, tls);
        }

        public Options tls(Tls tls) {
            return new Options(ipv6, maxBytesPerSecond, passiveMin, passiveMax, tls);
        }
    }

    /** FTPS flavour of a peer. */
    public enum Tls { NONE, EXPLICIT, IMPLICIT }

    /** Password of {@link Peer#trustStore()}. */
    public static final String TRUST_STORE_PASSWORD = "changeit";

    public static Options options() {
        return new Options(false, 0, 25000, 25049, Tls.NONE);
    }

    /** Starts vsftpd with the given options; close the peer to stop it and remove its files. */
    public static Peer vsftpd(Options options) {
        ensureSystemUser();
        try {
            Path dir = Files.createTempDirectory("vsftpd-peer-");
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path root = Files.createDirectories(dir.resolve("root"));
            Path empty = Files.createDirectories(dir.resolve("empty"));
            chown(root);
            String host = options.ipv6() ? "::1" : "127.0.0.1";
            int port = FtpPorts.freePort(host);
            String tls = options.tls() == Tls.NONE ? "ssl_enable=NO" : tlsConfig(dir, options.tls());
            String config = template("vsftpd.conf", Map.of(
                    "listen", options.ipv6() ? "listen=NO\nlisten_ipv6=YES\nlisten_address6=::1"
                            : "listen=YES\nlisten_ipv6=NO\nlisten_address=127.0.0.1",
                    "port", Integer.toString(port),
                    "root", root.toString(),
                    "pamService", PAM_SERVICE,
                    "emptyDir", empty.toString(),
                    "pasvMin", Integer.toString(options.passiveMin()),
                    "pasvMax", Integer.toString(options.passiveMax()),
                    "maxRate", Long.toString(options.maxBytesPerSecond()),
                    "logFile", dir.resolve("vsftpd.log").toString(),
                    "tls", tls));
            Path configFile = dir.resolve("vsftpd.conf");
            Files.writeString(configFile, config);
            Peer peer = new Peer(List.of(VSFTPD, configFile.toString()), host, port, root, dir, options.tls() != Tls.IMPLICIT);
            try {
                peer.start();
            } catch (RuntimeException e) {
                peer.close();
                throw e;
            }
            return peer;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A running (or stopped) FTP server process. */
    public static final class Peer implements AutoCloseable {
        private final List<String> command;
        private final String host;
        private final int port;
        private final Path root;
        private final Path dir;
        private final boolean plainGreeting;
        private Process process;

        Peer(List<String> command, String host, int port, Path root, Path dir, boolean plainGreeting) {
            this.plainGreeting = plainGreeting;
            this.command = command;
            this.host = host;
            this.port = port;
            this.root = root;
            this.dir = dir;
        }

        public String host() {
            return host;
        }

        public int port() {
            return port;
        }

        public String user() {
            return USER;
        }

        public String password() {
            return PASSWORD;
        }

        /** The directory the user sees as {@code /}. */
        public Path root() {
            return root;
        }

        /** Writes a file under the root owned by the FTP user, as if uploaded. */
        public Path put(String relative, byte[] bytes) {
            try {
                Path file = root.resolve(relative);
                Files.createDirectories(file.getParent());
                Files.write(file, bytes);
                chown(file);
                return file;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** A PKCS12 store ({@link #TRUST_STORE_PASSWORD}) trusting this peer's self-signed certificate (TLS peers only). */
        public Path trustStore() {
            return dir.resolve("trust.p12");
        }

        /** The server's own log (protocol and transfers). */
        public String log() {
            try {
                Path log = dir.resolve("vsftpd.log");
                return Files.exists(log) ? Files.readString(log) : "";
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Starts the server (again) on its port and waits for its 220 greeting. */
        public synchronized void start() {
            if (process != null && process.isAlive()) {
                return;
            }
            try {
                process = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(dir.resolve("stdout.log").toFile()).start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("FTP peer exited at start: " + command + "\n" + output());
                }
                if (greets()) {
                    return;
                }
                sleep(50);
            }
            stop();
            throw new IllegalStateException("FTP peer did not greet on " + host + ":" + port + "\n" + output());
        }

        /** Kills the server and every session process it forked: open transfers break off at once. */
        public synchronized void stop() {
            if (process == null) {
                return;
            }
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }

        public boolean running() {
            return process != null && process.isAlive();
        }

        @Override
        public void close() {
            stop();
            ExternalCommand.run(List.of("rm", "-rf", dir.toString()));
        }

        private boolean greets() {
            if (plainGreeting) {
                return FtpPorts.greets(host, port);
            }
            // implicit TLS: the greeting comes after a handshake; listening is enough
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), 500);
                return true;
            } catch (IOException e) {
                return false;
            }
        }

        private String output() {
            try {
                Path out = dir.resolve("stdout.log");
                return Files.exists(out) ? Files.readString(out) : "";
            } catch (IOException e) {
                return e.toString();
            }
        }
    }

    /** A self-signed certificate for 127.0.0.1, ::1 and localhost, and vsftpd's TLS settings. */
    private static String tlsConfig(Path dir, Tls tls) {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        ExternalCommand.Result made = ExternalCommand.run(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-keyout", key.toString(), "-out", cert.toString(), "-days", "2", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost"));
        if (!made.ok()) {
            throw new IllegalStateException("openssl failed: " + made.output());
        }
        ExternalCommand.Result trusted = ExternalCommand.run(List.of("keytool", "-importcert", "-noprompt", "-alias", "peer",
                "-file", cert.toString(), "-keystore", dir.resolve("trust.p12").toString(), "-storetype", "PKCS12",
                "-storepass", TRUST_STORE_PASSWORD));
        if (!trusted.ok()) {
            throw new IllegalStateException("keytool failed: " + trusted.output());
        }
        return String.join("\n",
                "ssl_enable=YES",
                "implicit_ssl=" + (tls == Tls.IMPLICIT ? "YES" : "NO"),
                "rsa_cert_file=" + cert,
                "rsa_private_key_file=" + key,
                "force_local_logins_ssl=YES",
                "force_local_data_ssl=YES",
                "require_ssl_reuse=NO",
                "ssl_tlsv1=YES",
                "ssl_ciphers=HIGH");
    }

    private static synchronized void ensureSystemUser() {
        if (!ExternalCommand.run(List.of("id", USER)).ok()) {
            ExternalCommand.Result added = ExternalCommand.run(List.of("useradd", "--no-create-home", "--home-dir",
                    "/", "--shell", "/bin/bash", USER));
            if (!added.ok()) {
                throw new IllegalStateException("cannot create the FTP peers' user (tests must run as root): " + added.output());
            }
        }
        // vsftpd enters the home directory before local_root, so it must exist
        ExternalCommand.run(List.of("usermod", "--home", "/", USER));
        ExternalCommand.Result password = ExternalCommand.run(List.of("chpasswd"), USER + ":" + PASSWORD + "\n", 30);
        if (!password.ok()) {
            throw new IllegalStateException("cannot set the FTP peers' password: " + password.output());
        }
        try {
            Path pam = Path.of("/etc/pam.d", PAM_SERVICE);
            String wanted = template("pam-vsftpd", Map.of());
            if (!Files.exists(pam) || !Files.readString(pam).equals(wanted)) {
                Files.writeString(pam, wanted);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the FTP peers' PAM service", e);
        }
    }

    private static void chown(Path path) {
        ExternalCommand.Result result = ExternalCommand.run(List.of("chown", "-R", USER + ":", path.toString()));
        if (!result.ok()) {
            throw new IllegalStateException("chown failed: " + result.output());
        }
    }

    private static String template(String name, Map<String, String> values) throws IOException {
        try (InputStream in = FtpPeers.class.getResourceAsStream("/ftp-peers/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource ftp-peers/" + name);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (Map.Entry<String, String> value : values.entrySet()) {
                text = text.replace("${" + value.getKey() + "}", value.getValue());
            }
            return text;
        }
    }


    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
