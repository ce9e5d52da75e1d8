package io.ftpbridge.storage;

import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The old contents of replaced files, and deleted files, on their way out. Each is first moved out of its folder into
 * the partials directory (a cheap rename, so listings, quotas and the folder's clean-up never see it
 * again), as {@code <uuid>.discard}. There it is either deleted on the {@code storage-discard}
 * thread (freeing a large file's blocks takes ext4 tens of milliseconds, time a client's 226 need
 * not include) or kept a short while for the next upload to write over ({@link #reuse}).
 *
 * <p>Why write over an old content: a new file's bytes need fresh page-cache pages, and on a
 * virtual machine that hands freed memory back to its host at once (free page reporting) every
 * fresh page costs a fault in the host; uploads then ran at 400 instead of 1,100–1,600 MiB/s in one
 * run of three or four. Pages that still cache an old content need none of that (vsftpd gets the
 * same by truncating the target in place, which an atomic replace cannot). An old content is
 * reused only when nobody else can see it: it has no other hard link, belongs to this process's
 * user and group (and the upload's directory does not give new files a group of its own), carries no
 * extended attribute (an access control list, capabilities, a security label: permissions are reset,
 * those would not be; on a system that labels every file, such as SELinux, nothing is reused), and no
 * process (this one included: a download still reading it) has it open or mapped,
 * which the kernel answers by granting a write lease ({@link NativeFiles#openedNowhere}). Its
 * stale bytes stay out of sight: the upload's temporary name is refused as a path and hidden from
 * listings, it is truncated to what was written before it is moved into place, and a temporary file
 * left by a crash is deleted, never resumed. At most {@value #MAX_KEPT} are kept, each at most
 * {@value #KEEP_SECONDS} s; one left by a kill -9 is deleted at the next start.
 */
final class ReusedContent {

    private static final Logger log = LoggerFactory.getLogger(ReusedContent.class);
    /** Suffix of old contents in the partials directory. */
    static final String SUFFIX = ".discard";
    static final int MAX_KEPT = 4;
    static final int KEEP_SECONDS = 30;
    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;
    private static final int S_ISGID = 02000;

    private final Path partials;
    private final ScheduledExecutorService deleter = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "storage-discard");
        thread.setDaemon(true);
        return thread;
    });
    /** Old contents kept for reuse, newest first. */
    private final Deque<Path> kept = new ArrayDeque<>();
    /** Owner, group and permissions of a file this process creates; null until its first upload made one. */
    private volatile Owner fresh;
    /** Device of the partials directory; null until the first old content arrived. */
    private volatile Object partialsDevice;
    /**
     * Cleared, with one log line, when this system cannot tell whether a file is open. The native calls are
     * bound at the first old content, not at start-up.
     */
    private volatile boolean reusable = true;

    private record Owner(Object uid, Object gid, Set<PosixFilePermission> permissions) {
    }

    ReusedContent(Path partials) throws IOException {
        this.partials = partials;
        removeLeftovers();
    }

    /**
     * Takes a regular file that is no longer wanted (a replaced file's old content, a deleted file) out
     * of its folder at once: kept for reuse or deleted. Throws only when the file could neither be
     * moved out nor deleted where it is.
     */
    void discard(Path old) throws IOException {
        Path doomed = partials.resolve(UUID.randomUUID() + SUFFIX);
        try {
            try {
                Files.move(old, doomed, StandardCopyOption.ATOMIC_MOVE);
            } catch (NoSuchFileException noPartialsYet) {
                Files.createDirectories(partials);
                Files.move(old, doomed, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (NoSuchFileException gone) {
            throw gone;
        } catch (IOException | RuntimeException e) {
            Files.delete(old); // another file system, or no partials directory: deleted in place
            return;
        }
        if (mayKeep(doomed)) {
            keep(doomed);
        } else {
            deleter.execute(() -> delete(doomed));
        }
    }

    /**
     * Opens a kept old content for writing under the name {@code temp} (in the directory of an
     * upload's target), or returns null when none can be used: the caller then creates a new file.
     * The channel starts at 0 with the old bytes after it; the caller truncates it to what it wrote.
     */
    FileChannel reuse(Path temp) {
        if (!reusable || fresh == null || nothingKept() || !newFilesTakeOurs(temp.getParent())) {
            return null;
        }
        Path old;
        while ((old = newest()) != null) {
            if (unused(old)) {
                try {
                    Files.move(old, temp, StandardCopyOption.ATOMIC_MOVE);
                    FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
                    if (!Files.getPosixFilePermissions(temp).equals(fresh.permissions())) {
                        Files.setPosixFilePermissions(temp, fresh.permissions());
                    }
                    return channel;
                } catch (IOException | RuntimeException e) {
                    log.debug("Old content not reused: path={} error={}", old, e.toString());
                    delete(temp);
                }
            }
            Path unusable = old;
            deleter.execute(() -> delete(unusable));
        }
        return null;
    }

    /**
     * Learns, from a temporary file the caller has just created, what a new file's owner, group and permissions
     * are; not from one in a set-group-ID directory, whose group is the directory's.
     */
    void learnFrom(Path created) {
        if (fresh == null && reusable) {
            try {
                if ((mode(Files.readAttributes(created.getParent(), "unix:mode")) & S_ISGID) != 0) {
                    return;
                }
                Map<String, Object> unix = Files.readAttributes(created, "unix:uid,gid,permissions", LinkOption.NOFOLLOW_LINKS);
                @SuppressWarnings("unchecked")
                Set<PosixFilePermission> permissions = (Set<PosixFilePermission>) unix.get("permissions");
                fresh = new Owner(unix.get("uid"), unix.get("gid"), Set.copyOf(permissions));
            } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
                stopReusing("no unix file attributes: " + e);
            }
        }
    }

    /**
     * Whether an old content may be kept: a regular file with one link, the owner and group a new file would have,
     * and no extended attributes.
     */
    private boolean mayKeep(Path doomed) {
        Owner owner = fresh;
        if (!reusable || owner == null) {
            return false;
        }
        if (!NativeFiles.available()) {
            stopReusing("no Linux file calls");
            return false;
        }
        try {
            Map<String, Object> unix = Files.readAttributes(doomed, "unix:nlink,uid,gid,dev,mode", LinkOption.NOFOLLOW_LINKS);
            partialsDevice = unix.get("dev");
            boolean regularFile = (mode(unix) & S_IFMT) == S_IFREG;
            return regularFile && ((Number) unix.get("nlink")).intValue() == 1 && owner.uid().equals(unix.get("uid"))
                    && owner.gid().equals(unix.get("gid")) && !NativeFiles.hasExtendedAttributes(doomed);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private void keep(Path doomed) {
        Path evicted = null;
        synchronized (kept) {
            kept.addFirst(doomed);
            if (kept.size() > MAX_KEPT) {
                evicted = kept.removeLast();
            }
        }
        if (evicted != null) {
            Path oldest = evicted;
            deleter.execute(() -> delete(oldest));
        }
        deleter.schedule(() -> expire(doomed), KEEP_SECONDS, TimeUnit.SECONDS);
    }

    /** Whether no old content is kept: then an upload need not look at its directory at all. */
    private boolean nothingKept() {
        synchronized (kept) {
            return kept.isEmpty();
        }
    }

    private Path newest() {
        synchronized (kept) {
            return kept.pollFirst();
        }
    }

    private void expire(Path doomed) {
        boolean wasKept;
        synchronized (kept) {
            wasKept = kept.remove(doomed);
        }
        if (wasKept) {
            delete(doomed);
        }
    }

    /**
     * Whether uploads into {@code dir} can take an old content: by a rename (the same file system as the partials),
     * and with the group any new file gets (a set-group-ID directory of another group gives new files its own).
     */
    private boolean newFilesTakeOurs(Path dir) {
        Object device = partialsDevice;
        try {
            if (device == null) {
                return false;
            }
            Map<String, Object> unix = Files.readAttributes(dir, "unix:dev,mode,gid");
            return device.equals(unix.get("dev"))
                    && ((mode(unix) & S_ISGID) == 0 || fresh.gid().equals(unix.get("gid")));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static int mode(Map<String, Object> unix) {
        return ((Number) unix.get("mode")).intValue();
    }

    /** Whether no process has the old content open or mapped (a download may still be reading it). */
    private boolean unused(Path old) {
        try {
            return NativeFiles.openedNowhere(old);
        } catch (LastErrorException e) {
            stopReusing("no file leases (errno " + e.getErrorCode() + ")");
            return false;
        }
    }

    private void stopReusing(String why) {
        if (reusable) {
            reusable = false;
            log.info("Old contents of replaced files are deleted, not reused: {}", why);
        }
    }

    private static void delete(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            log.warn("Could not delete the old content of a replaced file: path={} error={}", path, e.toString());
        }
    }

    /** Deletes the old contents that an earlier run had not deleted yet (killed meanwhile). */
    private void removeLeftovers() throws IOException {
        if (!Files.isDirectory(partials)) {
            return;
        }
        try (DirectoryStream<Path> doomed = Files.newDirectoryStream(partials, "*" + SUFFIX)) {
            doomed.forEach(ReusedContent::delete);
        }
    }

    /** Deletes what is kept and waits (briefly) for the deletions under way. */
    void close() throws InterruptedException {
        deleter.shutdownNow().forEach(Runnable::run);
        synchronized (kept) {
            for (Iterator<Path> it = kept.iterator(); it.hasNext(); ) {
                delete(it.next());
                it.remove();
            }
        }
        deleter.awaitTermination(10, TimeUnit.SECONDS);
    }
}
