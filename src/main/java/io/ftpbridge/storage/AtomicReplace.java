package io.ftpbridge.storage;

import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a finished file in place of another in one atomic step, so that a reader sees the old
 * content or the new one, never neither.
 *
 * <p>A {@code rename(2)} over an existing file makes ext4 (mounted with its default
 * {@code auto_da_alloc}) start the writeback of the whole new file before the call returns: 60–140 ms
 * for 256 MiB here, spent before the FTP client gets its 226. On Linux the two files are therefore
 * swapped with {@code renameat2(RENAME_EXCHANGE)}, equally atomic, which leaves writeback to the
 * kernel's flusher, and the old content, now under the source's name, is the caller's (see {@link ReusedContent}). Where that call is
 * missing or refused (another OS, a file system without it, a replaced file gone meanwhile) it is a
 * plain atomic move, as before. Durability is the same either way: neither path calls fsync.
 */
final class AtomicReplace {

    private static final Logger log = LoggerFactory.getLogger(AtomicReplace.class);

    private AtomicReplace() {
    }

    /**
     * Moves {@code source} over {@code target} atomically. Returns where the target's old content
     * is now (at {@code source}'s path, for the caller to delete) when the two were swapped, or null
     * when there is nothing left to delete (the target was new, or a plain move dropped it).
     *
     * @param targetIsFile whether the caller found a regular file at {@code target} (only such are swapped)
     */
    static Path replace(Path source, Path target, boolean targetIsFile) throws IOException {
        if (NativeFiles.available() && targetIsFile) {
            try {
                NativeFiles.exchange(source, target);
                return source;
            } catch (LastErrorException e) {
                if (e.getErrorCode() != NativeFiles.ENOENT) {
                    log.debug("renameat2 refused, moving instead: target={} errno={}", target, e.getErrorCode());
                }
            }
        }
        Files.move(source, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return null;
    }

    /** Whether existing files are replaced by swapping (renameat2 is bound). */
    static boolean swaps() {
        return NativeFiles.available();
    }
}
