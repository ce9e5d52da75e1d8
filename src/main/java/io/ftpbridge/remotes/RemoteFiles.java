package io.ftpbridge.remotes;

import io.ftpbridge.storage.FileEntry;
import io.ftpbridge.web.InvalidRequestException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.commons.net.ftp.FTPFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Browsing and file operations on a remote server through its client pool. Paths are absolute on
 * the remote ({@code /} is the directory the server shows at login for chrooted accounts).
 */
@Service
public class RemoteFiles {

    private static final Logger log = LoggerFactory.getLogger(RemoteFiles.class);

    private final RemoteClientPools pools;
    private final RemoteClientProperties properties;

    public RemoteFiles(RemoteClientPools pools, RemoteClientProperties properties) {
        this.pools = pools;
        this.properties = properties;
    }

    /** The bytes of a remote file, ready to stream; the pooled client stays leased until {@link Download#writeTo}. */
    public interface Download {
        /** The size the server reported (SIZE), or -1 when unknown. */
        long size();

        void writeTo(OutputStream out) throws IOException;
    }

    /** What an mdelete removed and what it could not. */
    public record GlobDeletion(List<String> deleted, List<String> failed) {
    }

    @FunctionalInterface
    private interface SessionWork<T> {
        T apply(RemoteSession session) throws IOException, RemoteSession.Refused;
    }

    /** Lists a directory: MLSD where the server offers MLST, else LIST, in the folders' JSON shape. */
    public List<FileEntry> list(String name, String rawPath) {
        String path = checked(rawPath);
        return withSession(name, "list", path, RemoteOperationException.Failure.NOT_FOUND, session ->
                session.list(path).stream()
                        .map(RemoteFiles::entry)
                        .sorted(Comparator.comparing(FileEntry::name))
                        .toList());
    }

    /** Starts a download: RETR is sent now (so a missing file is a 404 before any byte), the bytes flow later. */
    public Download download(String name, String rawPath) {
        String path = checked(rawPath);
        RemoteSession session = pools.session(name);
        try {
            // in ASCII the bytes sent differ from the size on the server
            long size = session.transferType() == TransferType.BINARY ? session.size(path) : -1;
            InputStream in = session.retrieve(path, 0);
            return new Download() {
                @Override
                public long size() {
                    return size;
                }

                @Override
                public void writeTo(OutputStream out) throws IOException {
                    long bytes = 0;
                    try (session) {
                        try (in) {
                            bytes = copy(in, out);
                        }
                        try {
                            session.complete("RETR " + path);
                        } catch (RemoteSession.Refused refused) {
                            session.broken();
                            throw new IOException("remote '%s' failed the download of %s: %s"
                                    .formatted(name, path, refused.reply()));
                        }
                        log.info("Remote download: remote={} path={} bytes={}", name, path, bytes);
                    } catch (IOException e) {
                        session.broken();
                        log.warn("Remote download broken off: remote={} path={} bytes={} error={}", name, path, bytes, e.toString());
                        throw e;
                    }
                }
            };
        } catch (RemoteSession.Refused refused) {
            session.close();
            throw replyFailure(name, refused, "download", path, RemoteOperationException.Failure.NOT_FOUND);
        } catch (IOException e) {
            session.broken();
            session.close();
            throw RemoteClientPools.failure(name, e);
        }
    }

    /** Streams the body to the remote file (STOR), replacing it; returns the bytes written. */
    public long upload(String name, String rawPath, InputStream body) {
        String path = checked(rawPath);
        return withSession(name, "upload", path, RemoteOperationException.Failure.REFUSED, session -> {
            long bytes;
            try (OutputStream out = session.store(path, 0)) {
                bytes = copy(body, out);
            }
            session.complete("STOR " + path);
            log.info("Remote upload: remote={} path={} bytes={}", name, path, bytes);
            return bytes;
        });
    }

    public void mkdir(String name, String rawPath) {
        String path = checked(rawPath);
        command(name, "mkdir", path, RemoteOperationException.Failure.CONFLICT, session -> session.mkdir(path));
    }

    public void rmdir(String name, String rawPath) {
        String path = checked(rawPath);
        command(name, "rmdir", path, RemoteOperationException.Failure.CONFLICT, session -> session.rmdir(path));
    }

    public void rename(String name, String rawFrom, String rawTo) {
        String from = checked(rawFrom);
        if (rawTo == null || rawTo.isBlank()) {
            throw new InvalidRequestException("to", "the new path is required for op=rename");
        }
        String to = checked(rawTo);
        command(name, "rename to " + to, from, RemoteOperationException.Failure.NOT_FOUND, session -> session.rename(from, to));
    }

    public void delete(String name, String rawPath) {
        String path = checked(rawPath);
        command(name, "delete", path, RemoteOperationException.Failure.NOT_FOUND, session -> session.delete(path));
    }

    /**
     * Compiles a file-name glob (mget, mput, mdelete).
     *
     * @param field the request field to name when the pattern is malformed
     */
    public static PathMatcher globMatcher(String field, String glob) {
        try {
            return FileSystems.getDefault().getPathMatcher("glob:" + glob);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(field, "invalid glob: " + e.getMessage());
        }
    }

    /** mdelete: deletes the files of one directory whose names match the glob in the path's last segment. */
    public GlobDeletion deleteMatching(String name, String rawPattern) {
        String pattern = checked(rawPattern);
        int slash = pattern.lastIndexOf('/');
        String directory = slash <= 0 ? "/" : pattern.substring(0, slash);
        String glob = pattern.substring(slash + 1);
        if (glob.isEmpty()) {
            throw new InvalidRequestException("path", "the last segment must be a file name pattern, e.g. *.csv");
        }
        PathMatcher matcher = globMatcher("path", glob);
        List<FileEntry> entries = list(name, directory);
        return withSession(name, "mdelete", pattern, RemoteOperationException.Failure.NOT_FOUND, session -> {
            List<String> deleted = new ArrayList<>();
            List<String> failed = new ArrayList<>();
            for (FileEntry entry : entries) {
                if (entry.type() != FileEntry.Type.FILE || !matcher.matches(Path.of(entry.name()))) {
                    continue;
                }
                String file = (directory.endsWith("/") ? directory : directory + "/") + entry.name();
                try {
                    session.delete(file);
                    deleted.add(file);
                } catch (RemoteSession.Refused refused) {
                    failed.add(file);
                }
            }
            log.info("Remote mdelete: remote={} pattern={} deleted={} failed={}", name, pattern, deleted.size(), failed.size());
            return new GlobDeletion(deleted, failed);
        });
    }

    @FunctionalInterface
    private interface SessionCommand {
        void apply(RemoteSession session) throws IOException, RemoteSession.Refused;
    }

    private void command(String name, String op, String path, RemoteOperationException.Failure on550,
                         SessionCommand work) {
        withSession(name, op, path, on550, session -> {
            work.apply(session);
            log.info("Remote {}: remote={} path={}", op, name, path);
            return null;
        });
    }

    /** Runs work on a pooled session; a refusal becomes the API's failure ({@code on550} for a 550). */
    private <T> T withSession(String name, String op, String path, RemoteOperationException.Failure on550,
                              SessionWork<T> work) {
        try (RemoteSession session = pools.session(name)) {
            try {
                return work.apply(session);
            } catch (RemoteSession.Refused refused) {
                throw replyFailure(name, refused, op, path, on550);
            } catch (IOException e) {
                session.broken();
                log.warn("Remote connection failed: remote={} error={}", name, e.toString());
                throw RemoteClientPools.failure(name, e);
            }
        }
    }

    private long copy(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[properties.bufferSize()];
        long total = 0;
        int n;
        while ((n = in.read(buffer)) >= 0) {
            out.write(buffer, 0, n);
            total += n;
        }
        return total;
    }

    private static RemoteOperationException replyFailure(String name, RemoteSession.Refused refused, String op,
                                                         String path, RemoteOperationException.Failure on550) {
        RemoteOperationException.Failure failure = refused.code() == 550 ? on550 : RemoteOperationException.Failure.REFUSED;
        String reply = refused.reply();
        log.info("Remote refused: remote={} op={} path={} reply={}", name, op, path, reply);
        return new RemoteOperationException(name, failure, "%s %s: %s".formatted(op, path, reply), null);
    }

    /** Normalises a REST path to an absolute remote path; CR/LF would inject FTP commands. */
    static String checked(String raw) {
        return checkedPath("path", raw);
    }

    /**
     * A remote path as sent on the control connection: absolute, and without CR, LF or NUL, which
     * would let a path smuggle further FTP commands.
     *
     * @param field the request field to name in the problem detail
     */
    public static String checkedPath(String field, String raw) {
        String path = raw == null || raw.isEmpty() ? "/" : raw;
        if (path.indexOf('\r') >= 0 || path.indexOf('\n') >= 0 || path.indexOf('\0') >= 0) {
            throw new InvalidRequestException(field, "must not contain CR, LF or NUL");
        }
        return path.startsWith("/") ? path : "/" + path;
    }

    private static FileEntry entry(FTPFile file) {
        Instant modified = file.getTimestamp() == null ? null : file.getTimestamp().toInstant();
        return new FileEntry(file.getName(), file.isDirectory() ? FileEntry.Type.DIRECTORY : FileEntry.Type.FILE,
                Math.max(file.getSize(), 0), modified);
    }
}
