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
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPFile;
import org.apache.commons.net.ftp.FTPReply;
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
    private interface ClientWork<T> {
        T apply(FTPClient client) throws IOException;
    }

    /** Lists a directory: MLSD where the server offers MLST, else LIST, in the folders' JSON shape. */
    public List<FileEntry> list(String name, String rawPath) {
        String path = checked(rawPath);
        return withClient(name, client -> {
            boolean mlsd = client.hasFeature("MLST");
            FTPFile[] files = mlsd ? client.mlistDir(path) : client.listFiles(path);
            if (!FTPReply.isPositiveCompletion(client.getReplyCode())) {
                throw replyFailure(name, client, "list", path, RemoteOperationException.Failure.NOT_FOUND);
            }
            if (files.length == 0 && !mlsd && !client.changeWorkingDirectory(path)) {
                // LIST of a missing path is an empty listing on some servers (vsftpd)
                throw replyFailure(name, client, "list", path, RemoteOperationException.Failure.NOT_FOUND);
            }
            return Arrays.stream(files).filter(Objects::nonNull)
                    .filter(f -> !f.getName().equals(".") && !f.getName().equals(".."))
                    .map(RemoteFiles::entry)
                    .sorted(Comparator.comparing(FileEntry::name))
                    .toList();
        });
    }

    /** Starts a download: RETR is sent now (so a missing file is a 404 before any byte), the bytes flow later. */
    public Download download(String name, String rawPath) {
        String path = checked(rawPath);
        RemoteClientPools.Lease lease = pools.borrow(name);
        FTPClient client = lease.client();
        try {
            // in ASCII the bytes sent differ from the size on the server
            long size = lease.settings().transferType() == TransferType.BINARY ? sizeOf(client, path) : -1;
            InputStream in = client.retrieveFileStream(path);
            if (in == null) {
                RemoteOperationException failure = replyFailure(name, client, "download", path,
                        RemoteOperationException.Failure.NOT_FOUND);
                lease.close();
                throw failure;
            }
            return new Download() {
                @Override
                public long size() {
                    return size;
                }

                @Override
                public void writeTo(OutputStream out) throws IOException {
                    long bytes = 0;
                    try (lease) {
                        try (in) {
                            bytes = copy(in, out);
                        }
                        if (!client.completePendingCommand()) {
                            lease.broken();
                            throw new IOException("remote '%s' failed the download of %s: %s"
                                    .formatted(name, path, client.getReplyString().trim()));
                        }
                        log.info("Remote download: remote={} path={} bytes={}", name, path, bytes);
                    } catch (IOException e) {
                        lease.broken();
                        log.warn("Remote download broken off: remote={} path={} bytes={} error={}", name, path, bytes, e.toString());
                        throw e;
                    }
                }
            };
        } catch (IOException e) {
            lease.broken();
            lease.close();
            throw RemoteClientPools.failure(name, e);
        }
    }

    /** Streams the body to the remote file (STOR), replacing it; returns the bytes written. */
    public long upload(String name, String rawPath, InputStream body) {
        String path = checked(rawPath);
        return withClient(name, client -> {
            OutputStream out = client.storeFileStream(path);
            if (out == null) {
                throw replyFailure(name, client, "upload", path, RemoteOperationException.Failure.REFUSED);
            }
            long bytes;
            try (out) {
                bytes = copy(body, out);
            }
            if (!client.completePendingCommand()) {
                throw replyFailure(name, client, "upload", path, RemoteOperationException.Failure.REFUSED);
            }
            log.info("Remote upload: remote={} path={} bytes={}", name, path, bytes);
            return bytes;
        });
    }

    public void mkdir(String name, String rawPath) {
        String path = checked(rawPath);
        command(name, "mkdir", path, RemoteOperationException.Failure.CONFLICT, client -> client.makeDirectory(path));
    }

    public void rmdir(String name, String rawPath) {
        String path = checked(rawPath);
        command(name, "rmdir", path, RemoteOperationException.Failure.CONFLICT, client -> client.removeDirectory(path));
    }

    public void rename(String name, String rawFrom, String rawTo) {
        String from = checked(rawFrom);
        if (rawTo == null || rawTo.isBlank()) {
            throw new InvalidRequestException("to", "the new path is required for op=rename");
        }
        String to = checked(rawTo);
        command(name, "rename to " + to, from, RemoteOperationException.Failure.NOT_FOUND, client -> client.rename(from, to));
    }

    public void delete(String name, String rawPath) {
        String path = checked(rawPath);
        command(name, "delete", path, RemoteOperationException.Failure.NOT_FOUND, client -> client.deleteFile(path));
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
        return withClient(name, client -> {
            List<String> deleted = new ArrayList<>();
            List<String> failed = new ArrayList<>();
            for (FileEntry entry : entries) {
                if (entry.type() != FileEntry.Type.FILE || !matcher.matches(Path.of(entry.name()))) {
                    continue;
                }
                String file = (directory.endsWith("/") ? directory : directory + "/") + entry.name();
                if (client.deleteFile(file)) {
                    deleted.add(file);
                } else {
                    failed.add(file);
                }
            }
            log.info("Remote mdelete: remote={} pattern={} deleted={} failed={}", name, pattern, deleted.size(), failed.size());
            return new GlobDeletion(deleted, failed);
        });
    }

    private void command(String name, String op, String path, RemoteOperationException.Failure on550,
                         ClientWork<Boolean> work) {
        withClient(name, client -> {
            if (!work.apply(client)) {
                throw replyFailure(name, client, op, path, on550);
            }
            log.info("Remote {}: remote={} path={}", op, name, path);
            return null;
        });
    }

    private <T> T withClient(String name, ClientWork<T> work) {
        RemoteClientPools.Lease lease = pools.borrow(name);
        try {
            return work.apply(lease.client());
        } catch (IOException e) {
            lease.broken();
            log.warn("Remote connection failed: remote={} error={}", name, e.toString());
            throw RemoteClientPools.failure(name, e);
        } finally {
            lease.close();
        }
    }

    private static long sizeOf(FTPClient client, String path) throws IOException {
        String size = client.getSize(path);
        if (size == null) {
            return -1;
        }
        try {
            return Long.parseLong(size.trim());
        } catch (NumberFormatException e) {
            return -1;
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

    private static RemoteOperationException replyFailure(String name, FTPClient client, String op, String path,
                                                         RemoteOperationException.Failure on550) {
        int code = client.getReplyCode();
        RemoteOperationException.Failure failure = code == 550 ? on550 : RemoteOperationException.Failure.REFUSED;
        String reply = client.getReplyString() == null ? "" : client.getReplyString().trim();
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
