package io.ftpbridge.transfers;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.commons.net.ftp.FTPClient;

/**
 * A job running on this instance: its live progress and the handles another thread closes to
 * stop it at once (a cancel, a shutdown, or a lost claim) instead of waiting for the next byte.
 */
final class JobRun {

    /** Why a run was stopped from outside. */
    enum Halt { CANCEL, SHUTDOWN, LOST }

    /** Thrown on the job's thread once it notices it was halted. */
    static final class HaltedException extends Exception {
        final Halt reason;

        HaltedException(Halt reason) {
            super("halted: " + reason);
            this.reason = reason;
        }
    }

    private final long id;
    private final LiveProgress progress = new LiveProgress();
    private final CountDownLatch halted = new CountDownLatch(1);
    private volatile Halt halt;
    private volatile FTPClient client;
    private volatile Closeable stream;

    JobRun(long id) {
        this.id = id;
    }

    long id() {
        return id;
    }

    LiveProgress progress() {
        return progress;
    }

    Halt halt() {
        return halt;
    }

    void halt(Halt reason) {
        synchronized (this) {
            if (halt != null) {
                return;
            }
            halt = reason;
        }
        halted.countDown();
        closeQuietly(stream);
        disconnect(client);
    }

    private static void disconnect(FTPClient c) {
        if (c != null) {
            try {
                c.disconnect(); // closes the control socket; a blocked read on it fails at once
            } catch (IOException | RuntimeException ignored) {
                // already closed
            }
        }
    }

    /** Throws if the run was halted. */
    void check() throws HaltedException {
        Halt h = halt;
        if (h != null) {
            throw new HaltedException(h);
        }
    }

    /** Waits out a retry backoff; returns early (and throws) when halted meanwhile. */
    void pause(Duration duration) throws HaltedException {
        try {
            halted.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            halt(Halt.SHUTDOWN);
        }
        check();
    }

    void attach(FTPClient c) {
        client = c;
        if (halt != null) {
            disconnect(c);
        }
    }

    void attachStream(Closeable s) {
        stream = s;
        if (halt != null) {
            closeQuietly(s);
        }
    }

    void detach() {
        client = null;
        stream = null;
    }

    private static void closeQuietly(Closeable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (IOException | RuntimeException ignored) {
            // closing a stream another thread is reading is the point; errors don't matter
        }
    }
}
