package io.ftpbridge.ftpserver;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ftpserver.ftplet.DataConnection;
import org.apache.ftpserver.ftplet.DataType;
import org.apache.ftpserver.ftplet.DefaultFtpReply;
import org.apache.ftpserver.ftplet.FtpReply;
import org.apache.ftpserver.impl.FtpIoSession;
import org.apache.ftpserver.impl.IODataConnection;
import org.apache.ftpserver.impl.IODataConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One RETR, STOR or APPE in progress on a session, copied on a transfer thread while the control
 * connection stays readable: {@link #abort()} (ABOR) closes the data connection at once, and
 * {@link #bytes()} answers STAT. The copy moves up to 1 MiB per step straight between the data
 * socket and the file, paces itself to the user's bytes-per-second limit, and reports bytes to
 * MINA's session counters once per step rather than per 4 KiB as MINA's own loop does.
 */
final class DataTransfer {

    /** Session attribute holding the session's running transfer. */
    static final String ATTRIBUTE = "ftpbridge.transfer";

    private static final Logger log = LoggerFactory.getLogger(DataTransfer.class);
    private static final int STEP = 1024 * 1024;
    /** Session counters and the idle clock are updated at least this often during a long step-by-step copy. */
    private static final long REPORT_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final Field SOCKET = field(IODataConnection.class, "socket");
    private static final Field SERVER_SOCKET = field(IODataConnectionFactory.class, "servSoc");

    final String command;
    final String path;
    /** Bytes the whole transfer will move, or -1 when not known (uploads). */
    final long expected;
    private final FtpIoSession session;
    private final AtomicLong bytes = new AtomicLong();
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile boolean aborted;
    private volatile boolean quitRequested;
    private volatile Socket socket;
    private boolean finished;

    private final long startedNanos = System.nanoTime();

    DataTransfer(FtpIoSession session, String command, String path, long expected) {
        this.session = session;
        this.command = command;
        this.path = path;
        this.expected = expected;
    }

    static DataTransfer running(FtpIoSession session) {
        return session.getAttribute(ATTRIBUTE) instanceof DataTransfer transfer ? transfer : null;
    }

    long bytes() {
        return bytes.get();
    }

    /** What the sessions API shows of this transfer: path, direction, bytes so far and the average rate. */
    FtpTransferSnapshot snapshot() {
        long moved = bytes.get();
        long nanos = Math.max(1, System.nanoTime() - startedNanos);
        return new FtpTransferSnapshot(path, command.equals("RETR") ? "DOWNLOAD" : "UPLOAD", moved,
                (long) (moved * 1e9 / nanos));
    }

    boolean aborted() {
        return aborted;
    }

    /**
     * ABOR: closes the data socket (or the passive socket still waiting for the client), so the
     * copy fails at once. MINA's own close waits for the lock its accept holds, so the sockets are
     * closed directly here; the transfer thread then releases the data connection.
     */
    void abort() {
        aborted = true;
        Socket open = socket;
        try {
            if (open != null) {
                open.close();
            } else if (SERVER_SOCKET != null && session.getDataConnection() instanceof IODataConnectionFactory factory
                    && SERVER_SOCKET.get(factory) instanceof ServerSocket waiting) {
                waiting.close();
            } else {
                session.getDataConnection().closeDataConnection();
            }
        } catch (IOException | IllegalAccessException e) {
            log.debug("Closing the data connection on ABOR: {}", e.toString());
        }
    }

    /** The data connection is open; from now on ABOR closes its socket. */
    void opened(DataConnection data) {
        if (SOCKET != null && data instanceof IODataConnection) {
            try {
                socket = (Socket) SOCKET.get(data);
            } catch (IllegalAccessException e) {
                socket = null;
            }
        }
        if (aborted) {
            abort();
        }
    }

    boolean awaitEnd(long millis) throws InterruptedException {
        return ended.await(millis, TimeUnit.MILLISECONDS);
    }

    /** Under the transfer's lock: true while the final reply has not been written yet. */
    boolean inProgress() {
        return !finished;
    }

    /** QUIT during a transfer: RFC 959 closes the connection once the transfer's reply is sent. */
    void quitWhenDone() {
        quitRequested = true;
    }

    /**
     * Writes the transfer's final reply; from then on the session's commands run again. Under
     * the lock that {@link TransferControlFtplet} takes, so no reply to another command can
     * come between.
     */
    void finish(FtpReply reply) {
        try {
            synchronized (this) {
                session.write(reply);
                finished = true;
                session.removeAttribute(ATTRIBUTE, this);
                if (quitRequested) {
                    session.write(new DefaultFtpReply(FtpReply.REPLY_221_CLOSING_CONTROL_CONNECTION, "Goodbye."));
                    session.closeOnFlush();
                }
            }
        } finally {
            ended.countDown();
        }
    }

    /** Server to client. */
    long send(DataConnection data, InputStream file, int bytesPerSecond) throws IOException {
        Socket socket = fastPath(data);
        if (socket == null) {
            return data.transferToClient(session.getFtpletSession(), new FilterInputStream(file) {
                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = super.read(b, off, len);
                    if (n > 0) {
                        bytes.addAndGet(n);
                    }
                    return n;
                }
            });
        }
        try (OutputStream out = socket.getOutputStream()) {
            return copy(file, out, bytesPerSecond, true);
        }
    }

    /** Client to server. */
    long receive(DataConnection data, OutputStream file, int bytesPerSecond) throws IOException {
        Socket socket = fastPath(data);
        if (socket == null) {
            return data.transferFromClient(session.getFtpletSession(), new FilterOutputStream(file) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                    bytes.addAndGet(len);
                }
            });
        }
        try (InputStream in = socket.getInputStream()) {
            return copy(in, file, bytesPerSecond, false);
        }
    }

    /**
     * The data socket, when the bytes go through unchanged: binary type, no MODE Z. Otherwise
     * (ASCII line endings, deflate) MINA's own loop does the conversion.
     */
    private Socket fastPath(DataConnection data) {
        if (session.getDataType() != DataType.BINARY
                || session.getDataConnection().isZipMode()) {
            return null;
        }
        return socket;
    }

    private long copy(InputStream in, OutputStream out, int bytesPerSecond, boolean toClient) throws IOException {
        // a limited user moves an eighth of a second's worth per step, so pacing stays smooth
        int step = bytesPerSecond > 0 ? Math.max(4096, Math.min(STEP, bytesPerSecond / 8)) : STEP;
        byte[] buffer = new byte[step];
        long started = System.nanoTime();
        long lastReport = started;
        long total = 0;
        long unreported = 0;
        try {
            while (true) {
                int filled = fill(in, buffer, toClient);
                if (filled <= 0) {
                    break;
                }
                out.write(buffer, 0, filled);
                total += filled;
                unreported += filled;
                bytes.set(total);
                long now = System.nanoTime();
                if (unreported >= STEP || now - lastReport >= REPORT_NANOS) {
                    report(unreported, toClient);
                    unreported = 0;
                    lastReport = now;
                }
                if (bytesPerSecond > 0) {
                    pace(started, total, bytesPerSecond);
                }
            }
            out.flush();
        } finally {
            report(unreported, toClient);
        }
        return total;
    }

    /**
     * Reads one step. From the network it gathers at least half a buffer (or up to the end), so
     * that quota checks and disk writes happen per large chunk, not per TCP segment.
     */
    private static int fill(InputStream in, byte[] buffer, boolean fromFile) throws IOException {
        int filled = 0;
        int enough = fromFile ? 1 : buffer.length / 2;
        while (filled < enough) {
            int n = in.read(buffer, filled, buffer.length - filled);
            if (n < 0) {
                return filled == 0 ? -1 : filled;
            }
            filled += n;
        }
        return filled;
    }

    private void report(long count, boolean toClient) {
        if (count <= 0) {
            return;
        }
        if (toClient) {
            session.increaseWrittenDataBytes((int) count);
        } else {
            session.increaseReadDataBytes((int) count);
        }
        session.updateLastAccessTime();
    }

    /** Sleeps until {@code total} bytes are no faster than the limit allows. */
    private static void pace(long started, long total, int bytesPerSecond) throws IOException {
        long due = started + total * 1_000_000_000L / bytesPerSecond;
        long wait = due - System.nanoTime();
        if (wait > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("transfer interrupted");
            }
        }
    }

    /**
     * MINA hands out a data connection, not its socket (its {@code createDataSocket()} is
     * private in 1.2.1); the copy needs the socket's streams, and ABOR needs to close it.
     */
    private static Field field(Class<?> type, String name) {
        try {
            Field field = type.getDeclaredField(name);
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.warn("FTP data connections fall back to MINA's own copy loop and close: {}", e.toString());
            return null;
        }
    }
}
