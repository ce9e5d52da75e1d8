package io.ftpbridge.support;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lowers the CPU priority of the thread that calls it, for work that may wait while file transfers run (the outbox's
 * deliveries): on Linux the nice value is a thread's own, and {@code setpriority(PRIO_PROCESS, 0, …)} changes only the
 * calling thread's. Raising the nice value needs no privilege, so it works in any container. Where the C library cannot
 * be bound (not Linux) or the call fails, the thread keeps its priority and one line says so.
 */
public final class BackgroundPriority {

    private static final Logger log = LoggerFactory.getLogger(BackgroundPriority.class);
    private static final int PRIO_PROCESS = 0;
    private static final LibC LIBC = bind();
    private static final AtomicBoolean FAILURE_LOGGED = new AtomicBoolean();
    /** Threads that have been lowered already: a thread that calls again for every task costs a field read. */
    private static final ThreadLocal<Boolean> LOWERED = new ThreadLocal<>();

    private BackgroundPriority() {
    }

    /**
     * Raises the calling thread's nice value by {@code increment} (0 changes nothing) the first time this thread
     * calls; later calls of the same thread cost a thread-local read. Returns the new nice value when this call
     * changed it, else null (changed before, nothing to change, or not possible here).
     */
    public static Integer lowerCurrentThread(int increment) {
        if (LOWERED.get() != null || increment <= 0) {
            return null;
        }
        LOWERED.set(Boolean.TRUE);
        if (LIBC == null) {
            logFailureOnce("the C library is not bound here (not Linux)");
            return null;
        }
        Integer nice = niceOfCurrentThread();
        if (nice == null) {
            logFailureOnce("/proc/thread-self/stat cannot be read");
            return null;
        }
        int lowered = Math.min(19, nice + increment);
        try {
            LIBC.setpriority(PRIO_PROCESS, 0, lowered);
            return lowered;
        } catch (LastErrorException e) {
            logFailureOnce("setpriority failed, errno " + e.getErrorCode());
            return null;
        }
    }

    /**
     * The calling thread's nice value as the kernel has it ({@code /proc/thread-self/stat}, field 19; read there rather
     * than through {@code getpriority}, whose -1 is both a value and the error), or null where there is no such file.
     */
    public static Integer niceOfCurrentThread() {
        return niceOf(Path.of("/proc/thread-self/stat"));
    }

    /** The nice value in a thread's {@code stat} file of {@code /proc} (field 19), or null where it cannot be read. */
    public static Integer niceOf(Path statFile) {
        try {
            String stat = Files.readString(statFile);
            // the fields after the command name, which is in parentheses and may hold spaces: state is field 3
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            return Integer.parseInt(fields[19 - 3]);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static void logFailureOnce(String why) {
        if (FAILURE_LOGGED.compareAndSet(false, true)) {
            log.info("Background threads keep the normal CPU priority: {}", why);
        }
    }

    private static LibC bind() {
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
            return null;
        }
        try {
            return Native.load("c", LibC.class);
        } catch (LinkageError | RuntimeException e) {
            return null;
        }
    }

    interface LibC extends com.sun.jna.Library {
        int setpriority(int which, int who, int prio) throws LastErrorException;
    }
}
