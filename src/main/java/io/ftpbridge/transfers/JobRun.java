package io.ftpbridge.transfers;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import io.ftpbridge.remotes.RemoteSession;
import java.io.InputStream;
import java.io.OutputStream;

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
    private static final int COPY_STEP = 1024 * 1024;

    private volatile RemoteSession session;
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
        disconnect(session);
    }

    private static void disconnect(RemoteSession s) {
        if (s != null) {
            s.disconnect(); // closes the control socket; a blocked read on it fails at once
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

    void attach(RemoteSession s) {
        session = s;
        if (halt != null) {
            disconnect(s);
        }
    }

    void attachStream(Closeable s) {
        stream = s;
        if (halt != null) {
            closeQuietly(s);
        }
    }

    void detach() {
        session = null;
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

    /**
     * Copies a file's bytes in steps of at least half of a 1 MiB buffer (gathering network reads),
     * so that disk writes, quota checks, socket writes and progress updates happen per large chunk.
     */
    void copy(InputStream in, OutputStream out) throws IOException, HaltedException {
        byte[] buffer = new byte[COPY_STEP];
        try {
            while (true) {
                int filled = 0;
                while (filled < COPY_STEP / 2) {
                    int n = in.read(buffer, filled, COPY_STEP - filled);
                    if (n < 0) {
                        break;
                    }
                    filled += n;
                }
                if (filled == 0) {
                    return;
                }
                check();
                out.write(buffer, 0, filled);
                progress.add(filled);
            }
        } catch (IOException e) {
            check(); // a stream closed by cancel or shutdown is not a fault to retry
            throw e;
        }
    }
}
