package io.ftpbridge.storage;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bytes of one upload on their way to disk. {@link #commit()} makes them the file's content
 * (a replacing upload is moved into place atomically); {@link #abort(boolean)} either keeps what
 * arrived (so an FTP client can resume with REST) or rolls the file back to what it was.
 * Closing without either commits.
 */
public final class UploadStream extends OutputStream {

    private static final Logger log = LoggerFactory.getLogger(UploadStream.class);

    private final FolderStorage folder;
    private final String relativePath;
    private final Path target;
    private final Path temp;
    private final FileChannel channel;
    private final long originalLength;
    private final boolean existed;
    private final Quota quota;
    /** Gathers the small writes transfer loops make (MINA's are 8 KiB) into large disk writes. */
    private final ByteBuffer buffer = ByteBuffer.allocate(256 * 1024);
    private long written;
    private boolean finished;
    /** Set once a write passed the quota: closing then rolls back instead of committing. */
    private boolean quotaExceeded;

    UploadStream(FolderStorage folder, String relativePath, Path target, Path temp, FileChannel channel,
                 long originalLength, boolean existed, Quota quota) {
        this.folder = folder;
        this.relativePath = relativePath;
        this.target = target;
        this.temp = temp;
        this.channel = channel;
        this.originalLength = originalLength;
        this.existed = existed;
        this.quota = quota;
    }

    /**
     * The quota an upload into a limited folder answers to.
     *
     * @param baseline the folder's net growth when the upload began (others' later writes count against it)
     * @param limit    bytes this upload may write if nothing else were written meanwhile
     * @param newFile  whether it creates a file (counted against the file quota until it ends)
     */
    record Quota(QuotaLedger.Account account, long baseline, long limit, boolean newFile) {
    }

    /** Bytes this upload may still write, given what concurrent uploads wrote since it began. */
    private long room() {
        if (quota.limit() == Long.MAX_VALUE) {
            return Long.MAX_VALUE;
        }
        long othersGrowth = quota.account().netGrowth.get() - quota.baseline() - written;
        return quota.limit() - written - othersGrowth;
    }

    private void reserve(int len) throws QuotaExceededException {
        if (quota == null) {
            return;
        }
        while (true) {
            long growth = quota.account().netGrowth.get();
            long room = quota.limit() == Long.MAX_VALUE ? Long.MAX_VALUE
                    : quota.limit() - written - (growth - quota.baseline() - written);
            if (len > room) {
                quotaExceeded = true;
                throw new QuotaExceededException(folder.name(),
                        "upload of '%s' exceeds the quota of folder '%s'".formatted(relativePath, folder.name()));
            }
            if (quota.account().netGrowth.compareAndSet(growth, growth + len)) {
                break;
            }
        }
        if (temp != null) {
            quota.account().inTemporaryFiles.addAndGet(len);
        }
    }

    /** Takes this upload out of the ledger once it has ended, kept or rolled back. */
    private void settle(boolean kept) {
        if (quota == null) {
            return;
        }
        QuotaLedger.Account account = quota.account();
        if (temp != null) {
            account.inTemporaryFiles.addAndGet(-written);
        }
        if (!kept) {
            account.netGrowth.addAndGet(-written);
        } else if (temp != null && existed) {
            account.netGrowth.addAndGet(-originalLength); // the replaced file's bytes are free again
        }
        if (quota.newFile()) {
            account.newFiles.decrementAndGet();
        }
    }

    /** Bytes written by this upload so far. */
    public long written() {
        return written;
    }

    /** Refuses now, before any byte arrives, an upload announced to be larger than the quota allows. */
    public void expect(long bytes) throws QuotaExceededException {
        if (quota != null && bytes > room()) {
            throw new QuotaExceededException(folder.name(),
                    "upload of '%s' (%d bytes) exceeds the quota of folder '%s'".formatted(relativePath, bytes, folder.name()));
        }
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        reserve(len);
        if (len >= buffer.capacity()) {
            flushBuffer();
            writeFully(ByteBuffer.wrap(b, off, len));
        } else {
            if (len > buffer.remaining()) {
                flushBuffer();
            }
            buffer.put(b, off, len);
        }
        written += len;
    }

    private void flushBuffer() throws IOException {
        buffer.flip();
        writeFully(buffer);
        buffer.clear();
    }

    private void writeFully(ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    /** Makes the uploaded bytes the file's content; on failure nothing of the upload is kept. */
    public void commit() throws IOException {
        if (finished) {
            return;
        }
        try {
            flushBuffer();
            if (temp == null) {
                channel.truncate(channel.position());
            }
            channel.close();
            if (temp != null) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            finished = true;
            settle(true);
        } catch (IOException | RuntimeException e) {
            abort(false);
            throw e;
        }
    }

    /**
     * Ends a failed upload.
     *
     * @param keepPartial keep the bytes that arrived (an FTP transfer broken off), or put the
     *                    file back as it was (quota exceeded, a REST upload broken off)
     */
    public void abort(boolean keepPartial) {
        if (finished) {
            return;
        }
        finished = true;
        settle(keepPartial);
        try {
            try {
                if (keepPartial) {
                    flushBuffer();
                    if (temp == null) {
                        channel.truncate(channel.position());
                    }
                }
            } finally {
                channel.close();
            }
            if (temp != null) {
                if (keepPartial) {
                    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } else {
                    Files.deleteIfExists(temp);
                }
            } else if (!keepPartial) {
                if (existed) {
                    try (FileChannel rollback = FileChannel.open(target, StandardOpenOption.WRITE)) {
                        rollback.truncate(originalLength);
                    }
                } else {
                    Files.deleteIfExists(target);
                }
            }
        } catch (IOException e) {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // reported below
                }
            }
            log.warn("Could not clean up aborted upload: folder={} path={} error={}", folder.name(), relativePath, e.toString());
        }
    }

    /** Commits, unless a write passed the quota: then nothing of the upload is kept. */
    @Override
    public void close() throws IOException {
        if (quotaExceeded) {
            abort(false);
        } else {
            commit();
        }
    }
}
