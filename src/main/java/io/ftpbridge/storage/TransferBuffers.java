package io.ftpbridge.storage;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The 1 MiB direct buffers that uploads (FTP and REST) and transfer jobs pass through between a
 * socket and a file: a direct buffer is read into and written from without a copy through the Java
 * heap. Buffers of transfers that ended are kept for the next ones (direct memory is freed only by a GC),
 * up to a few; more are allocated while many transfers run at once and dropped afterwards.
 */
public final class TransferBuffers {

    /** The size of every buffer, and of the largest step a transfer takes. */
    public static final int SIZE = 1024 * 1024;
    private static final int KEPT = 8;
    private static final ConcurrentLinkedQueue<ByteBuffer> FREE = new ConcurrentLinkedQueue<>();
    private static final AtomicInteger free = new AtomicInteger();

    private TransferBuffers() {
    }

    /** A cleared buffer of {@link #SIZE} bytes; give it back with {@link #release}. */
    public static ByteBuffer take() {
        ByteBuffer buffer = FREE.poll();
        if (buffer == null) {
            return ByteBuffer.allocateDirect(SIZE);
        }
        free.decrementAndGet();
        return buffer.clear();
    }

    public static void release(ByteBuffer buffer) {
        if (free.incrementAndGet() <= KEPT) {
            FREE.offer(buffer);
        } else {
            free.decrementAndGet();
        }
    }
}
