package io.ftpbridge.storage;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bytes of one upload on their way to disk. {@link #commit()} makes them the file's content
 * (a replacing upload is moved into place atomically); {@link #abort(boolean)} either keeps what
 * arrived (so an FTP client can resume with REST) or rolls the file back to what it was.
 * Closing without either commits.
 *
 * <p>Every {@link #write(byte[], int, int)} and {@link #write(ByteBuffer)} first reserves its bytes
 * in the folder's {@link QuotaLedger} and throws {@link QuotaExceededException} when they do not fit, so callers
 * may write chunks of any size; the quota is exact to the byte. Appends and resumes hold their
 * file (see {@link WriteLocks}) until they end, so a success means every byte is in the file.
 */
public final class UploadStream extends OutputStream {

    private static final Logger log = LoggerFactory.getLogger(UploadStream.class);

    /** Where the bytes go. */
    enum Kind {
        /** Into a hidden temporary file beside the target (new, or a {@link ReusedContent reused old content}), moved over it at commit. */
        REPLACE,
        /** Into the target itself (append, or resume at an offset), truncated at the end at commit. */
        IN_PLACE,
        /** Into a transfer job's partial file outside the folder; placed later by {@link StorageService#placeStaged}. */
        STAGED
    }

    private final StorageService storage;
    private final FolderStorage folder;
    private final String relativePath;
    private final Kind kind;
    private final Path target;
    private final Path temp;
    private final FileChannel channel;
    private final long originalLength;
    private final boolean existed;
    /** The folder's account; null when the folder has no quota (nothing is reserved). */
    private final QuotaLedger.Account account;
    /** Bytes of the current content this upload will drop (a replaced file, the tail after a resume offset). */
    private final long credit;
    private final boolean newFile;
    private final WriteLocks.Held lock;
    /** Gathers the small writes transfer loops make (MINA's are 8 KiB) into large disk writes. */
    private final ByteBuffer buffer = ByteBuffer.allocate(256 * 1024);
    private long written;
    /** Bytes reserved in the ledger for this upload (written, plus a staged file's kept offset). */
    private long charged;
    private boolean finished;
    /** Whether this upload has left the ledger (exactly once, however it ended). */
    private boolean settled;
    /** Set once a write passed the quota: closing then rolls back instead of committing. */
    private boolean quotaExceeded;
    /** Who started the upload; it may end on another thread. */
    private final StorageCaller caller = StorageCaller.current();
    private boolean quotaAnnounced;

    UploadStream(StorageService storage, FolderStorage folder, String relativePath, Kind kind, Path target, Path temp,
                 FileChannel channel, long originalLength, boolean existed, QuotaLedger.Account account, long credit,
                 long charged, boolean newFile, WriteLocks.Held lock) {
        this.storage = storage;
        this.folder = folder;
        this.relativePath = relativePath;
        this.kind = kind;
        this.target = target;
        this.temp = temp;
        this.channel = channel;
        this.originalLength = originalLength;
        this.existed = existed;
        this.account = account;
        this.credit = credit;
        this.charged = charged;
        this.newFile = newFile;
        this.lock = lock;
    }

    /** Reserves {@code len} bytes in the ledger before they are written. */
    private void reserve(long len) throws QuotaExceededException {
        if (account == null || len == 0) {
            return;
        }
        synchronized (account) {
            if (folder.quotaBytes() > 0 && account.bytes + len - credit > folder.quotaBytes()) {
                quotaExceeded = true;
                announceQuota();
                throw new QuotaExceededException(folder.name(),
                        "upload of '%s' exceeds the quota of folder '%s'".formatted(relativePath, folder.name()));
            }
            account.bytes += len;
            charged += len;
            StorageService.pending(account, len, 0);
        }
    }

    private void announceQuota() {
        if (!quotaAnnounced && kind != Kind.STAGED) {
            quotaAnnounced = true;
            storage.announce(FileActivity.Kind.QUOTA_EXCEEDED, folder, relativePath, null, -1, caller);
        }
    }

    /** Bytes written by this upload so far. */
    public long written() {
        return written;
    }

    /** Refuses now, before any byte arrives, an upload announced to be larger than the quota allows. */
    public void expect(long bytes) throws QuotaExceededException {
        if (account == null || folder.quotaBytes() <= 0) {
            return;
        }
        synchronized (account) {
            if (account.bytes + bytes - credit > folder.quotaBytes()) {
                announceQuota();
                throw new QuotaExceededException(folder.name(),
                        "upload of '%s' (%d bytes) exceeds the quota of folder '%s'".formatted(relativePath, bytes, folder.name()));
            }
        }
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (finished) {
            throw new IOException(relativePath + ": upload already ended");
        }
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

    /**
     * Writes the buffer's remaining bytes as one chunk: reserved in the ledger first, like
     * {@link #write(byte[], int, int)}, then written straight from the buffer (a direct one reaches
     * the disk without a copy in the JVM).
     */
    public void write(ByteBuffer bytes) throws IOException {
        if (finished) {
            throw new IOException(relativePath + ": upload already ended");
        }
        int len = bytes.remaining();
        reserve(len);
        if (buffer.position() > 0) {
            flushBuffer();
        }
        writeFully(bytes);
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
            channel.truncate(channel.position()); // a replacing upload's may be a reused old content, longer
            channel.close();
            if (kind == Kind.REPLACE) {
                moveIntoPlace();
            } else {
                settleInPlace();
            }
            finished = true;
        } catch (QuotaExceededException e) {
            quotaExceeded = true;
            announceQuota();
            abort(false);
            throw e;
        } catch (IOException | RuntimeException e) {
            abort(false);
            throw e;
        } finally {
            if (finished) {
                lock.close();
            }
        }
        if (kind != Kind.STAGED) {
            long size = Files.exists(target) ? Files.size(target) : written;
            storage.announce(FileActivity.Kind.UPLOADED, folder, relativePath, null, size, caller);
        }
    }

    private static BasicFileAttributes attributesOrNull(Path path) throws IOException {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Moves a replacing upload's temporary file over its target, checking the quota against what it replaces now. */
    private void moveIntoPlace() throws IOException {
        try (WriteLocks.Held targetLock = storage.lockForWrite(target, relativePath)) {
            Object guard = account != null ? account : this;
            synchronized (guard) {
                // one look at the target: a new file's costs one exception (JDK 17 has no check for a missing path without)
                BasicFileAttributes existing = attributesOrNull(target);
                if (existing != null && existing.isDirectory()) {
                    throw new StorageService.NotAFileException(relativePath);
                }
                boolean replacesFile = existing != null && existing.isRegularFile();
                long old = replacesFile ? existing.size() : 0;
                long filesDelta = (replacesFile ? 0 : 1) - (newFile ? 1 : 0);
                if (account != null) {
                    if (folder.quotaBytes() > 0 && account.bytes - old > folder.quotaBytes()) {
                        throw new QuotaExceededException(folder.name(),
                                "upload of '%s' exceeds the quota of folder '%s'".formatted(relativePath, folder.name()));
                    }
                    if (folder.quotaFiles() > 0 && filesDelta > 0 && account.files + filesDelta > folder.quotaFiles()) {
                        throw new QuotaExceededException(folder.name(),
                                "folder '%s' holds its quota of %d files".formatted(folder.name(), folder.quotaFiles()));
                    }
                }
                storage.replace(temp, target, replacesFile);
                settled = true;
                if (account != null) {
                    account.bytes -= old;
                    account.files += filesDelta;
                    StorageService.pending(account, -charged, newFile ? -1 : 0);
                    account.active--;
                }
            }
        }
    }

    /** Takes an in-place or staged upload out of the ledger; the file on disk is final. */
    private void settleInPlace() {
        if (account == null) {
            return;
        }
        synchronized (account) {
            if (settled) {
                return;
            }
            settled = true;
            if (kind == Kind.STAGED) {
                account.bytes -= charged; // a partial outside the folder: counted again when placed
            } else {
                try {
                    boolean exists = Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS);
                    long now = exists ? Files.size(target) : 0;
                    account.bytes += (now - originalLength) - charged;
                    if (newFile && !exists) {
                        account.files--;
                    }
                } catch (IOException e) {
                    account.known = false;
                }
            }
            StorageService.pending(account, -charged, newFile ? -1 : 0);
            account.active--;
        }
    }

    /** Takes a replacing upload that was not moved into place out of the ledger. */
    private void settleDropped() {
        if (account == null) {
            return;
        }
        synchronized (account) {
            if (settled) {
                return;
            }
            settled = true;
            account.bytes -= charged;
            if (newFile) {
                account.files--;
            }
            StorageService.pending(account, -charged, newFile ? -1 : 0);
            account.active--;
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
        try {
            if (kind == Kind.REPLACE) {
                abortReplace(keepPartial && !quotaExceeded);
            } else {
                abortInPlace(keepPartial && !quotaExceeded);
            }
        } catch (IOException | RuntimeException e) {
            storage.forgetUsage(folder);
            log.warn("Could not clean up aborted upload: folder={} path={} error={}", folder.name(), relativePath,
                    RelativeErrors.describe(e));
        } finally {
            lock.close();
        }
    }

    private void abortReplace(boolean keepPartial) throws IOException {
        try {
            if (keepPartial) {
                flushBuffer();
                channel.truncate(channel.position());
            }
        } finally {
            channel.close();
        }
        if (keepPartial) {
            try {
                moveIntoPlace();
                return;
            } catch (IOException | RuntimeException e) {
                log.info("Broken-off upload not kept: folder={} path={} reason={}", folder.name(), relativePath,
                        RelativeErrors.describe(e));
            }
        }
        try {
            Files.deleteIfExists(temp);
        } finally {
            settleDropped();
        }
    }

    private void abortInPlace(boolean keepPartial) throws IOException {
        try {
            try {
                if (keepPartial) {
                    flushBuffer();
                    channel.truncate(channel.position());
                }
            } finally {
                channel.close();
            }
            if (!keepPartial) {
                if (existed) {
                    try (FileChannel rollback = FileChannel.open(target, StandardOpenOption.WRITE)) {
                        rollback.truncate(originalLength);
                    }
                } else {
                    Files.deleteIfExists(target);
                }
            }
        } finally {
            settleInPlace();
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
