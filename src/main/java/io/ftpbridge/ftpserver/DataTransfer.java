package io.ftpbridge.ftpserver;

import io.ftpbridge.storage.ReadStream;
import io.ftpbridge.storage.TransferBuffers;
import io.ftpbridge.storage.UploadStream;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ftpserver.ftplet.DataConnection;
import org.apache.ftpserver.ftplet.DataType;
import org.apache.ftpserver.ftplet.DefaultFtpReply;
import org.apache.ftpserver.ftplet.FtpReply;
import org.apache.ftpserver.impl.FtpIoSession;

/**
 * One RETR, STOR or APPE in progress on a session, copied on a transfer thread while the control
 * connection stays readable: {@link #abort()} (ABOR) ends the data connection at once, and
 * {@link #bytes()} answers STAT. A binary transfer on a plain (not TLS) connection moves up to
 * 1 MiB per step between the data socket's channel and the file: a download with
 * {@link FileChannel#transferTo} (sendfile(2), as vsftpd sends), an upload through a direct buffer
 * that {@link UploadStream} writes to disk after reserving its bytes in the quota. TLS goes through
 * the socket's streams in the same steps; ASCII and MODE Z through MINA's loop. Every copy paces
 * itself to the user's bytes-per-second limit, reports bytes to MINA's session counters once per
 * step, and keeps an idle clock that {@link DataTransfers} checks.
 */
final class DataTransfer {

    /** Session attribute holding the session's running transfer. */
    static final String ATTRIBUTE = "ftpbridge.transfer";

    private static final int STEP = TransferBuffers.SIZE;
    /** Session counters and the idle clock are updated at least this often during a long step-by-step copy. */
    private static final long REPORT_NANOS = TimeUnit.SECONDS.toNanos(1);

    final String command;
    final String path;
    /** Bytes the whole transfer will move, or -1 when not known (uploads). */
    final long expected;
    private final FtpIoSession session;
    private final AtomicLong bytes = new AtomicLong();
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile boolean aborted;
    /** Set when the data connection stayed idle past the listener's data idle time. */
    private volatile boolean timedOut;
    private volatile boolean quitRequested;
    private volatile Socket socket;
    /** When the data connection last moved a byte (System.nanoTime); 0 until it is open. */
    private volatile long lastActivity;
    private final long idleNanos;
    private boolean finished;

    private final long startedNanos = System.nanoTime();

    DataTransfer(FtpIoSession session, String command, String path, long expected) {
        this.session = session;
        this.command = command;
        this.path = path;
        this.expected = expected;
        int idleSeconds = session.getListener() == null ? 0
                : session.getListener().getDataConnectionConfiguration().getIdleTime();
        this.idleNanos = TimeUnit.SECONDS.toNanos(Math.max(0, idleSeconds));
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
     * ABOR: ends the data connection (or closes the passive socket still waiting for the client,
     * or the active one still connecting), so the copy fails at once; the transfer thread then
     * releases the data connection.
     */
    void abort() {
        aborted = true;
        interrupt();
    }

    /**
     * Called about once a second while the transfer runs: past the data idle time without a byte
     * moved (a client that neither sends nor reads), the data connection is ended as ABOR would.
     */
    void expireIfIdle(long now) {
        long last = lastActivity;
        if (idleNanos > 0 && last != 0 && now - last > idleNanos && !timedOut) {
            timedOut = true;
            interrupt();
        }
    }

    private void interrupt() {
        Socket open = socket;
        if (open != null) {
            SameClientDataConnectionFactory.shutdown(open);
        } else {
            session.getDataConnection().closeDataConnection();
        }
    }

    /** The data connection is open; from now on ABOR ends its socket. */
    void opened(DataConnection data) {
        if (data instanceof SameClientDataConnectionFactory.DataSocket open) {
            socket = open.socket();
        }
        lastActivity = System.nanoTime();
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
        long sent;
        Socket socket = fastPath(data);
        if (socket == null) {
            sent = data.transferToClient(session.getFtpletSession(), new FilterInputStream(file) {
                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = super.read(b, off, len);
                    if (n > 0) {
                        bytes.addAndGet(n);
                        lastActivity = System.nanoTime();
                    }
                    return n;
                }
            });
        } else if (channel(data) != null && file instanceof ReadStream stored) {
            sent = sendFile(stored.channel(), channel(data), bytesPerSecond);
        } else {
            try (OutputStream out = socket.getOutputStream()) {
                sent = copy(file, out, bytesPerSecond, true);
            }
        }
        checkNotInterrupted();
        return sent;
    }

    /** Client to server. */
    long receive(DataConnection data, OutputStream file, int bytesPerSecond) throws IOException {
        long received;
        Socket socket = fastPath(data);
        if (socket == null) {
            received = data.transferFromClient(session.getFtpletSession(), new FilterOutputStream(file) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                    bytes.addAndGet(len);
                    lastActivity = System.nanoTime();
                }
            });
        } else if (channel(data) != null && file instanceof UploadStream upload) {
            received = receiveInto(channel(data), upload, bytesPerSecond);
        } else {
            try (InputStream in = socket.getInputStream()) {
                received = copy(in, file, bytesPerSecond, false);
            }
        }
        checkNotInterrupted();
        return received;
    }

    /**
     * An ABOR or idle timeout ends the socket with shutdown(2), which a reader sees as the end of
     * the stream: such a transfer is broken off, not complete.
     */
    private void checkNotInterrupted() throws SocketException {
        if (timedOut) {
            throw new SocketException("data connection idle for more than " + TimeUnit.NANOSECONDS.toSeconds(idleNanos) + " s");
        }
        if (aborted) {
            throw new SocketException("transfer aborted");
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

    private static SocketChannel channel(DataConnection data) {
        return data instanceof SameClientDataConnectionFactory.DataSocket open ? open.channel() : null;
    }

    /** sendfile(2) from the file's position to its end, one step at a time. */
    private long sendFile(FileChannel file, SocketChannel out, int bytesPerSecond) throws IOException {
        long step = step(bytesPerSecond);
        long position = file.position();
        Progress progress = new Progress(true);
        try {
            while (!aborted && !timedOut) {
                long n;
                try {
                    if (out.socket().isOutputShutdown()) {
                        break;
                    }
                    n = file.transferTo(position, step, out);
                } catch (IOException e) {
                    throw broken(e);
                }
                if (n <= 0) {
                    if (position >= file.size()) {
                        break;
                    }
                    continue;
                }
                position += n;
                progress.add(n, bytesPerSecond);
            }
        } finally {
            progress.report();
        }
        return progress.total;
    }

    /**
     * Reads into a direct buffer until it is at least half full (or the end): one quota reservation
     * and one disk write per large chunk, with no copy through the Java heap.
     */
    private long receiveInto(SocketChannel in, UploadStream upload, int bytesPerSecond) throws IOException {
        ByteBuffer buffer = TransferBuffers.take();
        int step = step(bytesPerSecond);
        Progress progress = new Progress(false);
        try {
            boolean end = false;
            while (!end) {
                buffer.clear().limit(step);
                try {
                    while (buffer.position() < step / 2) {
                        if (in.read(buffer) < 0) {
                            end = true;
                            break;
                        }
                    }
                } catch (IOException e) {
                    throw broken(e);
                }
                if (buffer.position() == 0) {
                    break;
                }
                buffer.flip();
                int filled = buffer.remaining();
                upload.write(buffer);
                progress.add(filled, bytesPerSecond);
            }
        } finally {
            progress.report();
            TransferBuffers.release(buffer);
        }
        return progress.total;
    }

    /** A failure of the data connection itself (reset, closed, aborted), told apart from one of the disk. */
    private static SocketException broken(IOException e) {
        if (e instanceof SocketException socketException) {
            return socketException;
        }
        SocketException broken = new SocketException(e.toString());
        broken.initCause(e);
        return broken;
    }

    /** A limited user moves an eighth of a second's worth per step, so pacing stays smooth. */
    private static int step(int bytesPerSecond) {
        return bytesPerSecond > 0 ? Math.max(4096, Math.min(STEP, bytesPerSecond / 8)) : STEP;
    }

    /** Bytes moved by a copy: the STAT counter, the idle clock, pacing, and MINA's session counters once per step. */
    private final class Progress {
        private final boolean toClient;
        private final long started = System.nanoTime();
        private long lastReport = started;
        private long total;
        private long unreported;

        Progress(boolean toClient) {
            this.toClient = toClient;
        }

        void add(long n, int bytesPerSecond) throws IOException {
            total += n;
            if (bytesPerSecond > 0) {
                // before the bytes count: a limited transfer's rate, as the sessions API shows it, never passes the limit
                pace(started, total, bytesPerSecond);
            }
            unreported += n;
            bytes.set(total);
            long now = System.nanoTime();
            lastActivity = now;
            if (unreported >= STEP || now - lastReport >= REPORT_NANOS) {
                report();
                lastReport = now;
            }
        }

        void report() {
            DataTransfer.this.report(unreported, toClient);
            unreported = 0;
        }
    }

    /** The stream copy of a TLS data connection, in the same steps. */
    private long copy(InputStream in, OutputStream out, int bytesPerSecond, boolean toClient) throws IOException {
        byte[] buffer = new byte[step(bytesPerSecond)];
        Progress progress = new Progress(toClient);
        try {
            while (true) {
                int filled = fill(in, buffer, toClient);
                if (filled <= 0) {
                    break;
                }
                out.write(buffer, 0, filled);
                progress.add(filled, bytesPerSecond);
            }
            out.flush();
        } finally {
            progress.report();
        }
        return progress.total;
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
}
