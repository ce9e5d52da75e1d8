package io.ftpbridge.transfers;

import io.ftpbridge.remotes.DataConnection;
import io.ftpbridge.remotes.RemoteSession;
import io.ftpbridge.storage.TransferBuffers;
import io.ftpbridge.storage.UploadStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

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
    /**
     * How much of the buffer an upload reads from the file and writes to the socket at a time: as
     * curl does (64 KiB), in steps that stay in the CPU's caches between the read and the write. With
     * the whole 1 MiB per step the data phase into vsftpd took ~20 % longer (bench/README.md, issue 12).
     */
    private static final int SEND_STEP = 128 * 1024;

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
     * Copies a download's bytes from its data connection into the file in steps of at least half of
     * a 1 MiB direct buffer (gathering network reads), so that disk writes, quota checks and progress
     * updates happen per large chunk and no byte is copied through the Java heap.
     */
    void copy(DataConnection in, UploadStream out) throws IOException, HaltedException {
        ByteBuffer buffer = TransferBuffers.take();
        try {
            boolean end = false;
            while (!end) {
                buffer.clear();
                while (buffer.position() < TransferBuffers.SIZE / 2) {
                    if (in.read(buffer) < 0) {
                        end = true;
                        break;
                    }
                }
                int filled = buffer.position();
                if (filled == 0) {
                    return;
                }
                check();
                buffer.flip();
                out.write(buffer);
                progress.add(filled);
            }
        } catch (IOException e) {
            check(); // a connection closed by cancel or shutdown is not a fault to retry
            throw e;
        } finally {
            TransferBuffers.release(buffer);
        }
    }

    /**
     * Sends a file from {@code position} to its end over an upload's data connection through this
     * pooled 1 MiB direct buffer ({@link TransferBuffers}), checking for a halt and counting progress per step.
     */
    void send(FileChannel in, long position, DataConnection out) throws IOException, HaltedException {
        ByteBuffer buffer = TransferBuffers.take();
        long at = position;
        try {
            while (at < in.size()) {
                check();
                long n = out.send(in, at, SEND_STEP, buffer);
                at += n;
                progress.add(n);
            }
        } catch (IOException e) {
            check();
            throw e;
        } finally {
            TransferBuffers.release(buffer);
        }
    }
}
