package io.ftpbridge.ship;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The podman CLI as this machine needs it: runc with cgroupfs (no systemd), explicit ulimits on
 * build and run. podman-compose cannot pass global flags, so every command also runs with
 * {@code CONTAINERS_CONF} pointing at a file that says the same, and that picks netavark, whose DNS
 * lets compose services find each other by name.
 */
final class Podman {

    static final List<String> ULIMITS = List.of("--ulimit", "nofile=4096:4096", "--ulimit", "nproc=2000:2000");

    /** Exit code and merged output of one command. */
    record Result(List<String> command, int exitCode, String output) {
        boolean ok() {
            return exitCode == 0;
        }

        Result orFail() {
            if (exitCode != 0) {
                throw new AssertionError("exit " + exitCode + ": " + String.join(" ", command) + "\n" + tail(output));
            }
            return this;
        }

        private static String tail(String output) {
            return output.length() <= 6000 ? output : "…" + output.substring(output.length() - 6000);
        }
    }

    private final Path containersConf;

    Podman(Path workDir) {
        try {
            Files.createDirectories(workDir);
            containersConf = workDir.resolve("containers.conf");
            Files.writeString(containersConf, """
                    [containers]
                    default_ulimits = ["nofile=4096:4096", "nproc=2000:2000"]
                    [engine]
                    runtime = "runc"
                    cgroup_manager = "cgroupfs"
                    events_logger = "file"
                    [network]
                    network_backend = "netavark"
                    """);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The executable's path when it is on PATH. */
    static boolean onPath(String executable) {
        String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, executable))) {
                return true;
            }
        }
        return false;
    }

    Result podman(int timeoutSeconds, String... args) {
        List<String> command = new ArrayList<>(List.of("podman", "--runtime", "runc", "--cgroup-manager=cgroupfs"));
        command.addAll(List.of(args));
        return run(command, Map.of(), timeoutSeconds);
    }

    Result podman(int timeoutSeconds, List<String> args) {
        return podman(timeoutSeconds, args.toArray(String[]::new));
    }

    Result run(List<String> command, Map<String, String> env, int timeoutSeconds) {
        try {
            Path out = Files.createTempFile("podman-", ".out");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            builder.environment().put("CONTAINERS_CONF", containersConf.toString());
            builder.environment().putAll(env);
            Process process = builder.start();
            boolean done = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            if (!done) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            String output = Files.readString(out);
            Files.deleteIfExists(out);
            if (!done) {
                throw new AssertionError("timed out after " + timeoutSeconds + " s: " + String.join(" ", command) + "\n" + output);
            }
            return new Result(command, process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
