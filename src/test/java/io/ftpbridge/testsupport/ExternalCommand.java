package io.ftpbridge.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a real client (curl, lftp, python3) and captures what it printed. */
public final class ExternalCommand {

    /** Exit code and the merged stdout/stderr. */
    public record Result(int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    private ExternalCommand() {
    }

    public static Result run(List<String> command) {
        return run(command, null, 120);
    }

    public static Result run(List<String> command, String stdin, int timeoutSeconds) {
        try {
            Path out = Files.createTempFile("cmd-", ".out");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
            if (stdin == null) {
                builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            }
            Process process = builder.start();
            if (stdin != null) {
                process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
                process.getOutputStream().close();
            }
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("timed out: " + command + "\n" + Files.readString(out));
            }
            String output = Files.readString(out);
            Files.deleteIfExists(out);
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs a Python 3 script (ftplib is in its standard library) with arguments. */
    public static Result python(String script, String... args) {
        try {
            Path file = Files.createTempFile("ftplib-", ".py");
            Files.writeString(file, script);
            List<String> command = new java.util.ArrayList<>(List.of("python3", file.toString()));
            command.addAll(List.of(args));
            return run(command);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
