package io.ftpbridge.storage;

import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The files writes hold: an append or resume holds its file for the whole upload, a replacing upload
 * its temporary file while writing and its target while moving into place. Writers of one file wait
 * for each other (in arrival order, up to a limit); deletes and renames of a held file, or of a
 * directory above one, are refused at once rather than pull the file away under the writer.
 */
final class WriteLocks {

    /** A lock and the number of writers holding or waiting for it (the entry goes when it drops to 0). */
    private static final class Entry {
        final Semaphore permit = new Semaphore(1, true);
        int users;
    }

    /** A held lock; release it once. */
    final class Held implements AutoCloseable {
        private final Path path;
        private boolean released;

        private Held(Path path) {
            this.path = path;
        }

        @Override
        public void close() {
            synchronized (this) {
                if (released) {
                    return;
                }
                released = true;
            }
            locks.get(path).permit.release();
            leave(path);
        }
    }

    private final Map<Path, Entry> locks = new ConcurrentHashMap<>();
    private final Duration wait;

    WriteLocks(Duration wait) {
        this.wait = wait;
    }

    /** Waits for {@code path} (an absolute, normalised file path) up to the configured time. */
    Held acquire(Path path, String relativePath) throws FileBusyException, InterruptedIOException {
        Entry entry = locks.compute(path, (p, e) -> {
            Entry held = e == null ? new Entry() : e;
            held.users++;
            return held;
        });
        boolean acquired = false;
        try {
            acquired = entry.permit.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            leave(path);
            throw new InterruptedIOException("interrupted while waiting for " + relativePath);
        }
        if (!acquired) {
            leave(path);
            throw new FileBusyException(relativePath, "another upload has been writing it for longer than "
                    + wait.toSeconds() + "s");
        }
        return new Held(path);
    }

    /** Whether a write holds {@code path} or any file below it. */
    boolean busy(Path path) {
        for (Map.Entry<Path, Entry> e : locks.entrySet()) {
            if (e.getKey().startsWith(path) && e.getValue().permit.availablePermits() == 0) {
                return true;
            }
        }
        return false;
    }

    private void leave(Path path) {
        locks.computeIfPresent(path, (p, e) -> --e.users == 0 ? null : e);
    }
}
