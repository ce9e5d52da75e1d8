package io.ftpbridge.ship;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.ftpbridge.testsupport.Api;
import io.ftpbridge.testsupport.ExternalCommand;
import io.ftpbridge.testsupport.FtpPorts;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds the image from {@code docker/Dockerfile} with podman, from the jar {@code package} built
 * ({@code JAR_FROM=host}), on a Debian base made locally by {@code docker/make-base-images.sh}
 * (debootstrap; kept under its tag for the next run), and uses it as a user would: REST and FTP
 * through published ports, data on a volume across containers, and with PostgreSQL by compose.
 * Runs in {@code integration-test} (failsafe), after the jar exists. In CI ({@code CI=true}) a
 * missing podman is a failure, never a skip.
 */
class ContainerImageIT {

    /** The JDK the image's jlink stage makes its Java runtime from, and the Debian it runs on (no Java). */
    static final String BUILD_IMAGE = "localhost/ftpbridge-base-jdk:17-bookworm-2";
    static final String RUNTIME_IMAGE = "localhost/ftpbridge-base-runtime:bookworm-3";
    /** Issue 13: the image, unpacked, at most 300 MB. */
    static final long MAX_IMAGE_BYTES = 300_000_000L;
    static final String POSTGRES_IMAGE = "localhost/ftpbridge-base-postgres:15-bookworm";
    static final String ADMIN_PASSWORD = "container-admin-pw";

    /** Unique per run: test runs of several worktrees may share this machine's podman. */
    static final String RUN = "ftpbridge-it-" + UUID.randomUUID().toString().substring(0, 8);
    static final String IMAGE = "localhost/ftpbridge:" + RUN.substring("ftpbridge-".length());

    static Podman podman;
    static final List<String> containers = new ArrayList<>();
    static final List<String> volumes = new ArrayList<>();

    @TempDir
    static Path temp;

    @BeforeAll
    static void buildImage() throws IOException {
        requireTool("podman");
        requireTool("podman-compose");
        podman = new Podman(temp.resolve("podman"));
        podman.run(List.of("bash", "docker/make-base-images.sh", "jdk", "runtime", "postgres"), Map.of(), 900).orFail();

        List<Path> jars;
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            jars = files.filter(p -> p.getFileName().toString().matches("ftpbridge-.*\\.jar")).toList();
        }
        assertThat(jars).as("the jar `package` built, for JAR_FROM=host").hasSize(1);
        // --format docker: OCI images have no HEALTHCHECK; the ignore file lets target/ftpbridge-*.jar in
        // a network of its own: the default one may still carry another backend's (CNI's) rules here
        podman.podman(60, "network", "create", RUN).orFail();
        // the label marks this run's stage and layer images, removed afterwards (100s of MB each run)
        podman.podman(900, concat(List.of("build", "--label", "io.ftpbridge.build=" + RUN, "--format", "docker", "--ignorefile", "docker/Dockerfile.dockerignore",
                "-f", "docker/Dockerfile", "--build-arg", "BUILD_IMAGE=" + BUILD_IMAGE, "--build-arg", "RUNTIME_IMAGE=" + RUNTIME_IMAGE, "--build-arg", "JAR_FROM=host",
                "-t", IMAGE), Podman.ULIMITS, List.of("."))).orFail();
    }

    @AfterAll
    static void removeContainersAndImage() {
        if (podman == null) {
            return;
        }
        for (String container : containers) {
            podman.podman(60, "rm", "-f", "-v", "-t", "2", container);
        }
        for (String volume : volumes) {
            podman.podman(60, "volume", "rm", "-f", volume);
        }
        podman.podman(60, "network", "rm", "-f", RUN);
        podman.podman(60, "rmi", IMAGE);
        podman.podman(120, "image", "prune", "--all", "--force", "--filter", "label=io.ftpbridge.build=" + RUN);
    }

    @Test
    void imageIsAtMost300MegabytesUnpacked() {
        long size = Long.parseLong(podman.podman(30, "image", "inspect", "--format", "{{.Size}}", IMAGE).orFail().output().strip());
        assertThat(size).as("unpacked size of %s in bytes", IMAGE).isLessThanOrEqualTo(MAX_IMAGE_BYTES);
    }

    @Test
    void imageServesRestAndFtpThroughPublishedPortsAsNonRootAndKeepsDataOnItsVolume() throws IOException {
        String volume = RUN + "-data";
        volumes.add(volume);
        Ports ports = Ports.free();

        long started = System.nanoTime();
        String first = start(RUN + "-1", volume, ports);
        Api api = new Api(ports.http(), "admin", ADMIN_PASSWORD);
        awaitHealthy(api, first);
        System.out.printf("container %s healthy %.1f s after podman run%n", first, (System.nanoTime() - started) / 1e9);

        // non-root, and the image's own HEALTHCHECK command passes
        assertThat(podman.podman(30, "exec", first, "cat", "/proc/1/status").orFail().output())
                .containsPattern("(?m)^Uid:\\s+10001\\s+10001");
        assertThat(podman.podman(30, "inspect", "--format", "{{.Config.Healthcheck.Test}}", first).orFail().output())
                .contains("/actuator/health");
        podman.podman(30, "healthcheck", "run", first).orFail();
        // the start used Spring AOT (it fails without the generated code) and can map the CDS archive
        // (a JVM silently ignores an archive made for another class path)
        assertThat(podman.podman(30, "logs", first).output()).contains("JDK_JAVA_OPTIONS: -Dspring.aot.enabled=true");
        assertThat(podman.podman(60, "exec", first, "java", "-Xshare:on", "-XX:SharedArchiveFile=/opt/ftpbridge/ftpbridge.jsa",
                "-XX:+PrintSharedArchiveAndExit", "-jar", "/opt/ftpbridge/application.jar").orFail().output())
                .contains("archive is valid");

        api.createFolderAndUser("shipped", "carol", "carol-secret-1", "/", Api.ALL);
        String ftp = "ftp://carol:carol-secret-1@127.0.0.1:" + ports.ftp();
        Path upload = temp.resolve("upload.bin");
        byte[] content = new byte[300_000];
        ThreadLocalRandom.current().nextBytes(content);
        Files.write(upload, content);

        // PASV: the reply carries the passive external address and a published port
        ExternalCommand.Result pasvUp = curl("--disable-epsv", "-T", upload.toString(), ftp + "/pasv.bin");
        assertThat(pasvUp.output()).contains("227 ").contains("(127,0,0,1,");
        ExternalCommand.Result epsvUp = curl("-T", upload.toString(), ftp + "/epsv.bin");
        assertThat(epsvUp.output()).contains("229 ");
        for (String name : List.of("pasv.bin", "epsv.bin")) {
            assertThat(download(ftp + "/" + name, "--disable-epsv")).isEqualTo(content);
            assertThat(download(ftp + "/" + name)).isEqualTo(content);
        }

        // a new container on the same volume: the user, the folder and the files are still there
        podman.podman(60, "rm", "-f", "-t", "10", first).orFail();
        String second = start(RUN + "-2", volume, ports);
        awaitHealthy(api, second);
        assertThat(api.get("/api/v1/users/carol").status()).isEqualTo(200);
        assertThat(download(ftp + "/pasv.bin")).isEqualTo(content);
        assertThat(download(ftp + "/epsv.bin", "--disable-epsv")).isEqualTo(content);
    }

    @Test
    void composeRunsTheServiceOnPostgresqlWhereItKeepsItsUsers() throws IOException {
        Ports ports = Ports.free();
        String project = RUN + "-compose";
        Map<String, String> env = Map.of(
                "FTPBRIDGE_IMAGE", IMAGE,
                "POSTGRES_IMAGE", POSTGRES_IMAGE,
                "FTPBRIDGE_ADMIN_PASSWORD", ADMIN_PASSWORD,
                "POSTGRES_PASSWORD", "compose-db-pw",
                "FTPBRIDGE_PUBLISH_HTTP", String.valueOf(ports.http()),
                "FTPBRIDGE_PUBLISH_FTP", String.valueOf(ports.ftp()),
                "FTPBRIDGE_PASSIVE_PORTS", ports.passive(),
                "FTPBRIDGE_PUBLIC_ADDRESS", "127.0.0.1");
        List<String> compose = List.of("podman-compose", "-p", project, "-f", "docker/compose.yaml");
        try {
            podman.run(concat(compose, List.of("up", "-d", "--no-build")), env, 300).orFail();
            String app = service(project, "ftpbridge");
            Api api = new Api(ports.http(), "admin", ADMIN_PASSWORD);
            awaitHealthy(api, app);
            // the components are shown to administrators only (anonymous callers see the status)
            assertThat(api.get("/actuator/health").json().at("/components/db/details/database").asString())
                    .isEqualTo("PostgreSQL");

            api.createFolderAndUser("composed", "dave", "dave-secret-1", "/", Api.ALL);
            String psql = podman.podman(30, "exec", service(project, "postgres"), "psql", "-U", "ftpbridge", "-d", "ftpbridge",
                    "-tAc", "SELECT username FROM ftp_user").orFail().output();
            assertThat(psql.lines()).contains("dave");

            Path upload = temp.resolve("compose.txt");
            Files.writeString(upload, "through compose\n");
            curl("-T", upload.toString(), "ftp://dave:dave-secret-1@127.0.0.1:" + ports.ftp() + "/compose.txt");
            assertThat(api.get("/api/v1/folders/composed/files/compose.txt").text()).isEqualTo("through compose\n");
        } finally {
            podman.run(concat(compose, List.of("down", "-v")), env, 120);
            podman.podman(60, "network", "rm", "-f", project + "_default");
        }
    }

    // ---- helpers

    /** Host ports: HTTP and FTP anywhere free, a passive range published with the same numbers. */
    record Ports(int http, int ftp, int passiveMin, int passiveMax) {
        static Ports free() throws IOException {
            int http = FtpPorts.freePort("127.0.0.1");
            int ftp = FtpPorts.freePort("127.0.0.1");
            for (int attempt = 0; attempt < 50; attempt++) {
                int min = 26000 + ThreadLocalRandom.current().nextInt(900);
                if (allFree(min, min + 2)) {
                    return new Ports(http, ftp, min, min + 2);
                }
            }
            throw new IllegalStateException("no three free consecutive ports in 26000-26902");
        }

        String passive() {
            return passiveMin + "-" + passiveMax;
        }

        private static boolean allFree(int from, int to) {
            for (int port = from; port <= to; port++) {
                try (ServerSocket socket = new ServerSocket(port)) {
                    socket.setReuseAddress(true);
                } catch (IOException e) {
                    return false;
                }
            }
            return true;
        }
    }

    private static String start(String name, String volume, Ports ports) {
        containers.add(name);
        podman.podman(120, concat(List.of("run", "-d", "--name", name, "--network", RUN,
                // no systemd timers here: the health check runs when asked (podman healthcheck run)
                "--health-interval", "disable",
                "-p", ports.http() + ":8080",
                "-p", ports.ftp() + ":2121",
                "-p", ports.passive() + ":" + ports.passive(),
                "-e", "FTPBRIDGE_FTP_PASSIVE_PORTS=" + ports.passive(),
                "-e", "FTPBRIDGE_FTP_PASSIVE_EXTERNAL_ADDRESS=127.0.0.1",
                "-e", "FTPBRIDGE_ADMIN_PASSWORD=" + ADMIN_PASSWORD,
                "-v", volume + ":/data"), Podman.ULIMITS, List.of(IMAGE))).orFail();
        return name;
    }

    private static void awaitHealthy(Api api, String container) {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (api.anonymous().get("/actuator/health").status() == 200) {
                    return;
                }
            } catch (IllegalStateException notYet) {
                // connection refused or reset while the container starts
            }
            if (!podman.podman(30, "container", "exists", container).ok()
                    || podman.podman(30, "inspect", "--format", "{{.State.Running}}", container).output().contains("false")) {
                fail("container " + container + " stopped:\n" + podman.podman(30, "logs", container).output());
            }
            sleep(250);
        }
        fail("container " + container + " not healthy in 180 s:\n" + podman.podman(30, "logs", container).output());
    }

    private static String service(String project, String service) {
        String name = podman.podman(30, "ps", "--filter", "label=io.podman.compose.project=" + project,
                "--filter", "label=com.docker.compose.service=" + service, "--format", "{{.Names}}").orFail().output().strip();
        assertThat(name).as("running container of compose service %s", service).isNotBlank().doesNotContain("\n");
        return name;
    }

    private static ExternalCommand.Result curl(String... args) {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "-v", "--max-time", "60"));
        command.addAll(List.of(args));
        ExternalCommand.Result result = ExternalCommand.run(command);
        assertThat(result.ok()).as("%s\n%s", command, result.output()).isTrue();
        return result;
    }

    private static byte[] download(String url, String... options) throws IOException {
        Path target = Files.createTempFile(temp, "download-", ".bin");
        List<String> args = new ArrayList<>(List.of(options));
        args.addAll(List.of("-o", target.toString(), url));
        curl(args.toArray(String[]::new));
        return Files.readAllBytes(target);
    }

    private static void requireTool(String executable) {
        if (Podman.onPath(executable)) {
            return;
        }
        String reason = executable + " is not installed (Debian: apt-get install podman runc podman-compose netavark "
                + "aardvark-dns debootstrap; .ci/run does this)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail("CI=true and " + reason);
        }
        Assumptions.abort("container tests skipped outside CI: " + reason);
    }

    @SafeVarargs
    private static List<String> concat(List<String>... parts) {
        List<String> all = new ArrayList<>();
        for (List<String> part : parts) {
            all.addAll(part);
        }
        return all;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
