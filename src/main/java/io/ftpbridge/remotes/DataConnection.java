package io.ftpbridge.remotes;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * The data connection of one RETR, STOR or APPE, for transfers that move large chunks between it
 * and a file. A plain connection is its socket's channel in non-blocking mode: reads go straight
 * into the caller's (direct) buffer and uploads are read from the file into the caller's direct
 * buffer and written from it, with no copy through the Java heap; the read timeout is kept by
 * waiting on a selector. A TLS connection,
 * or one in ASCII (whose bytes are converted on the way), goes through the client's streams.
 * {@link #close()} may be called from another thread (a cancel): a waiting read or write then fails
 * at once. The transfer's end is confirmed by {@link RemoteSession#complete} after closing.
 */
public final class DataConnection implements Closeable {

    private static final int STREAM_CHUNK = 256 * 1024;

    private final SocketChannel channel;
    private final Selector selector;
    private final long timeoutMillis;
    private final InputStream in;
    private final OutputStream out;
    private byte[] chunk;

    private DataConnection(SocketChannel channel, Selector selector, long timeoutMillis, InputStream in, OutputStream out) {
        this.channel = channel;
        this.selector = selector;
        this.timeoutMillis = timeoutMillis;
        this.in = in;
        this.out = out;
    }

    /** Over the socket's channel, when it has one (plain TCP); else null and the caller uses streams. */
    static DataConnection ofChannel(Socket socket, long timeoutMillis) throws IOException {
        SocketChannel channel = socket.getChannel();
        if (channel == null) {
            return null;
        }
        Selector selector = null;
        try {
            channel.configureBlocking(false);
            selector = Selector.open();
            return new DataConnection(channel, selector, timeoutMillis, null, null);
        } catch (IOException | RuntimeException e) {
            if (selector != null) {
                selector.close();
            }
            socket.close();
            throw e;
        }
    }

    static DataConnection ofStream(InputStream in) {
        return new DataConnection(null, null, 0, in, null);
    }

    static DataConnection ofStream(OutputStream out) {
        return new DataConnection(null, null, 0, null, out);
    }

    /** Whether bytes go through the socket's channel rather than the client's streams. */
    public boolean direct() {
        return channel != null;
    }

    /**
     * Reads at least one byte into {@code dst} (which must have room), waiting up to the read
     * timeout; -1 at the end of the file.
     */
    public int read(ByteBuffer dst) throws IOException {
        if (channel == null) {
            return readStream(dst);
        }
        int n = channel.read(dst);
        while (n == 0) {
            await(SelectionKey.OP_READ);
            n = channel.read(dst);
        }
        return n;
    }

    private int readStream(ByteBuffer dst) throws IOException {
        if (dst.hasArray()) {
            int n = in.read(dst.array(), dst.arrayOffset() + dst.position(), dst.remaining());
            if (n > 0) {
                dst.position(dst.position() + n);
            }
            return n;
        }
        byte[] b = chunk();
        int n = in.read(b, 0, Math.min(b.length, dst.remaining()));
        if (n > 0) {
            dst.put(b, 0, n);
        }
        return n;
    }

    /**
     * Sends up to {@code count} bytes of {@code file} from {@code position} (at least one, waiting
     * up to the read timeout for room) through {@code buffer}, a direct buffer the caller reuses;
     * returns how many were sent. Not {@code sendfile(2)}: it hands the receiver page-cache pages
     * that are cold in the CPU caches, and a receiver on the same machine (the benchmark's vsftpd)
     * then took ~20 % longer to take an upload in than through this copy (bench/README.md, issue 12).
     */
    public long send(FileChannel file, long position, long count, ByteBuffer buffer) throws IOException {
        if (channel == null) {
            byte[] b = chunk();
            int n = file.read(ByteBuffer.wrap(b, 0, (int) Math.min(b.length, count)), position);
            if (n < 0) {
                throw new IOException("file ended early, at " + position + " bytes");
            }
            out.write(b, 0, n);
            return n;
        }
        buffer.clear();
        buffer.limit((int) Math.min(buffer.capacity(), count));
        int n = file.read(buffer, position);
        if (n <= 0) {
            throw new IOException("file ended early, at " + position + " bytes");
        }
        buffer.flip();
        while (buffer.hasRemaining()) {
            if (channel.write(buffer) == 0) {
                await(SelectionKey.OP_WRITE);
            }
        }
        return n;
    }

    /** Waits until the channel is ready for {@code op}; a timeout or a close from another thread throws. */
    private void await(int op) throws IOException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        try {
            SelectionKey key = channel.register(selector, op);
            while (true) {
                if (!channel.isOpen()) {
                    throw new AsynchronousCloseException();
                }
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (timeoutMillis > 0 && left <= 0) {
                    throw new SocketTimeoutException("no data connection progress for " + timeoutMillis + " ms");
                }
                if (selector.select(timeoutMillis > 0 ? left : 0) > 0) {
                    selector.selectedKeys().clear();
                    if (key.isValid()) {
                        return;
                    }
                }
            }
        } catch (ClosedSelectorException e) {
            throw new AsynchronousCloseException();
        }
    }

    private byte[] chunk() {
        if (chunk == null) {
            chunk = new byte[STREAM_CHUNK];
        }
        return chunk;
    }

    /** Closes the data connection (the end of the transfer, or a cancel from another thread). */
    @Override
    public void close() throws IOException {
        if (channel == null) {
            if (in != null) {
                in.close();
            }
            if (out != null) {
                out.close();
            }
            return;
        }
        try {
            channel.close();
        } finally {
            selector.close(); // wakes a thread waiting in await; it then sees the channel closed
        }
    }
}
