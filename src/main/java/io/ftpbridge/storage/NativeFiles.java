package io.ftpbridge.storage;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The few Linux file calls that the JDK does not offer, bound once through JNA to the C library:
 * swapping two files ({@link AtomicReplace}), asking whether anyone has a file open and whether it
 * carries extended attributes ({@link ReusedContent}). Elsewhere {@link #available()} is false and
 * callers keep to the JDK.
 */
final class NativeFiles {

    private static final Logger log = LoggerFactory.getLogger(NativeFiles.class);
    static final int ENOENT = 2;
    static final int EAGAIN = 11;
    private static final int ENOTSUP = 95;
    private static final int AT_FDCWD = -100;
    private static final int RENAME_EXCHANGE = 2;
    private static final int O_RDONLY = 0;
    private static final int O_NOFOLLOW = 0400000;
    private static final int O_CLOEXEC = 02000000;
    private static final int F_SETSIG = 10;
    private static final int F_SETLEASE = 1024;
    private static final int F_WRLCK = 1;
    private static final int F_UNLCK = 2;
    /** Ignored unless handled: a lease break in the instant a lease is held must not stop the JVM (SIGIO would). */
    private static final int SIGURG = 23;

    private static final LibC LIBC = bind();

    private NativeFiles() {
    }

    /** Whether the calls are bound (Linux with a C library JNA can load). */
    static boolean available() {
        return LIBC != null;
    }

    /** Swaps two paths atomically ({@code renameat2(RENAME_EXCHANGE)}); only when {@link #available()}. */
    static void exchange(Path first, Path second) throws LastErrorException {
        LIBC.renameat2(AT_FDCWD, first.toString(), AT_FDCWD, second.toString(), RENAME_EXCHANGE);
    }

    /**
     * Whether no process, this one included, has the file open or mapped: the kernel grants a write
     * lease ({@code fcntl(F_SETLEASE, F_WRLCK)}) only then, and it is released again at once. Only
     * when {@link #available()}; throws when leases cannot be used here (disabled, not the file's
     * owner, a file system without them).
     */
    static boolean openedNowhere(Path file) throws LastErrorException {
        int fd = LIBC.open(file.toString(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        try {
            LIBC.fcntl(fd, F_SETSIG, SIGURG);
            try {
                LIBC.fcntl(fd, F_SETLEASE, F_WRLCK);
            } catch (LastErrorException e) {
                if (e.getErrorCode() == EAGAIN) {
                    return false;
                }
                throw e;
            }
            LIBC.fcntl(fd, F_SETLEASE, F_UNLCK);
            return true;
        } finally {
            LIBC.close(fd);
        }
    }

    /**
     * Whether the file itself (not a link's target) carries any extended attribute: an access control list,
     * file capabilities, a security label, a {@code user.} attribute. Only when {@link #available()}; a file
     * system without extended attributes has none.
     */
    static boolean hasExtendedAttributes(Path file) throws LastErrorException {
        try {
            return LIBC.llistxattr(file.toString(), null, new NativeLong(0)).longValue() > 0;
        } catch (LastErrorException e) {
            if (e.getErrorCode() == ENOTSUP) {
                return false;
            }
            throw e;
        }
    }

    private static LibC bind() {
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
            return null;
        }
        try {
            LibC libc = Native.load("c", LibC.class);
            log.info("Linux file calls bound: renameat2 swaps replaced files, leases tell when an old content is unused");
            return libc;
        } catch (LinkageError | RuntimeException e) {
            log.info("Linux file calls not available, keeping to the JDK: {}", e.toString());
            return null;
        }
    }

    interface LibC extends com.sun.jna.Library {
        int renameat2(int oldDirFd, String oldPath, int newDirFd, String newPath, int flags) throws LastErrorException;

        int open(String path, int flags) throws LastErrorException;

        int fcntl(int fd, int cmd, long arg) throws LastErrorException;

        int close(int fd) throws LastErrorException;

        NativeLong llistxattr(String path, Pointer list, NativeLong size) throws LastErrorException;
    }
}
