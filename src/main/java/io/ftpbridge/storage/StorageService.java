package io.ftpbridge.storage;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * The one place that turns a folder-relative path into a real file, enforces quotas and opens
 * streams. FTP (through {@link UserFileSystem}) and REST both call it, so a path or quota rule
 * exists once.
 */
@Service
public class StorageService {

    /** Prefix of in-progress uploads; hidden from listings and usage. */
    static final String TEMP_PREFIX = ".ftpbridge-upload-";

    /** A file a background job is still filling (see {@link #partialName}); hidden from listings. */
    private static final Pattern PARTIAL = Pattern.compile("^\\..+\\.ftpbridge-[A-Za-z0-9]+\\.part$");

    private static final Logger log = LoggerFactory.getLogger(StorageService.class);

    private final Path root;
    private final List<Path> allowedRoots;
    private final QuotaLedger ledger = new QuotaLedger();

    public StorageService(StorageProperties properties) throws IOException {
        this.root = properties.root().toAbsolutePath().normalize();
        Files.createDirectories(root);
        List<Path> roots = new ArrayList<>();
        roots.add(root);
        properties.allowedRoots().forEach(r -> roots.add(r.toAbsolutePath().normalize()));
        this.allowedRoots = List.copyOf(roots);
    }

    public Path storageRoot() {
        return root;
    }

    /** Where a folder without an explicit location keeps its files. */
    public Path defaultLocation(String folderName) {
        Path location = root.resolve(folderName).normalize();
        if (!root.equals(location.getParent())) {
            throw new InvalidPathException(folderName, "a folder name must stay one level below the storage root");
        }
        return location;
    }

    /**
     * Checks an administrator-chosen location: absolute, normalised and under an allowed root.
     */
    public Path checkLocation(String location) {
        if (location.isBlank() || !location.startsWith("/") || location.indexOf('\0') >= 0) {
            throw new InvalidPathException(location, "location must be an absolute path");
        }
        if (List.of(location.split("/")).stream().anyMatch(s -> s.equals(".") || s.equals(".."))) {
            throw new InvalidPathException(location, "location must not contain '.' or '..' segments");
        }
        Path normalized = Path.of(location).normalize();
        // strictly below an allowed root: a root itself would hold other folders (or the data dir)
        if (allowedRoots.stream().noneMatch(r -> normalized.startsWith(r) && !normalized.equals(r))) {
            throw new InvalidPathException(location, "location must lie below one of " + allowedRoots);
        }
        return normalized;
    }

    /**
     * The name under which {@code owner} (e.g. a transfer job) fills a file before moving it into
     * place: beside it, hidden from listings, still counted against the quota (it takes the space).
     */
    public static String partialName(String fileName, String owner) {
        return "." + fileName + ".ftpbridge-" + owner + ".part";
    }

    /** Creates a folder's storage directory if it is not there yet. */
    public void ensureExists(FolderStorage folder) throws IOException {
        Files.createDirectories(folder.root());
    }

    /**
     * Splits a folder-relative path into its names. Empty and {@code .} segments are dropped;
     * {@code ..}, NUL, control characters and backslashes are refused.
     */
    public static List<String> segments(String path) {
        if (path == null) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        for (String segment : path.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                throw new InvalidPathException(path, "path must not contain '..'");
            }
            for (int i = 0; i < segment.length(); i++) {
                char c = segment.charAt(i);
                if (c < 0x20 || c == 0x7f || c == '\\') {
                    throw new InvalidPathException(path, "path contains a forbidden character");
                }
            }
            if (segment.startsWith(TEMP_PREFIX)) {
                throw new InvalidPathException(path, "path names a reserved file");
            }
            names.add(segment);
        }
        return names;
    }

    /**
     * Resolves a folder-relative path to a real path that is guaranteed to be inside the folder,
     * also after following symbolic links.
     */
    public Path resolve(FolderStorage folder, String relativePath) throws IOException {
        List<String> names = segments(relativePath);
        Path folderRoot = realRoot(folder);
        Path target = folderRoot;
        for (String name : names) {
            target = target.resolve(name);
        }
        if (!target.normalize().startsWith(folderRoot)) {
            throw new InvalidPathException(relativePath, "path leaves the folder");
        }
        Path existing = target;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            throw new InvalidPathException(relativePath, "path leaves the folder");
        }
        Path real;
        try {
            real = existing.toRealPath();
        } catch (NoSuchFileException e) {
            throw new InvalidPathException(relativePath, "path goes through a dangling link");
        }
        if (!real.startsWith(folderRoot)) {
            log.warn("Refused path escaping folder: folder={} path={} real={}", folder.name(), relativePath, real);
            throw new InvalidPathException(relativePath, "path leaves the folder");
        }
        return target;
    }

    private Path realRoot(FolderStorage folder) throws IOException {
        Files.createDirectories(folder.root());
        return folder.root().toRealPath();
    }

    public FileEntry stat(FolderStorage folder, String relativePath) throws IOException {
        Path path = resolve(folder, relativePath);
        BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class);
        String name = path.getFileName() == null ? "" : path.getFileName().toString();
        return toEntry(name, attrs);
    }

    public List<FileEntry> list(FolderStorage folder, String relativePath) throws IOException {
        Path dir = resolve(folder, relativePath);
        if (!Files.isDirectory(dir)) {
            throw Files.exists(dir) ? new NotADirectoryException(relativePath) : new NoSuchFileException(relativePath);
        }
        List<FileEntry> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path child : stream) {
                String name = child.getFileName().toString();
                if (name.startsWith(TEMP_PREFIX) || PARTIAL.matcher(name).matches()) {
                    continue;
                }
                try {
                    entries.add(toEntry(name, Files.readAttributes(child, BasicFileAttributes.class)));
                } catch (NoSuchFileException raced) {
                    // removed (or a dangling link) while listing: not part of the listing
                }
            }
        }
        entries.sort(Comparator.comparing(FileEntry::name));
        return entries;
    }

    private static FileEntry toEntry(String name, BasicFileAttributes attrs) {
        FileEntry.Type type = attrs.isDirectory() ? FileEntry.Type.DIRECTORY : FileEntry.Type.FILE;
        return new FileEntry(name, type, attrs.isDirectory() ? 0 : attrs.size(), attrs.lastModifiedTime().toInstant());
    }

    /** Opens a regular file for reading from {@code offset}. */
    public InputStream openRead(FolderStorage folder, String relativePath, long offset) throws IOException {
        Path path = resolve(folder, relativePath);
        if (Files.isDirectory(path)) {
            throw new NotAFileException(relativePath);
        }
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            if (offset > 0) {
                channel.position(offset);
            }
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        // large reads from disk; transfer loops then take their small chunks from memory
        return new BufferedInputStream(Channels.newInputStream(channel), 256 * 1024);
    }

    /**
     * Starts an upload. The quota is checked now for the file count and while writing for the
     * bytes; a write that would pass it throws {@link QuotaExceededException}.
     */
    public UploadStream beginUpload(FolderStorage folder, String relativePath, UploadMode mode, long offset)
            throws IOException {
        if (segments(relativePath).isEmpty()) {
            throw new InvalidPathException(relativePath, "an upload needs a file name");
        }
        Path target = resolve(folder, relativePath);
        if (Files.isDirectory(target)) {
            throw new NotAFileException(relativePath);
        }
        if (!Files.isDirectory(target.getParent())) {
            throw new NoSuchFileException(relativePath, null, "parent directory does not exist");
        }
        boolean exists = Files.exists(target);
        long existing = exists ? Files.size(target) : 0;
        if (mode == UploadMode.RESUME && offset > existing) {
            throw new RestartOffsetException(relativePath, offset, existing);
        }
        long limit = Long.MAX_VALUE;
        QuotaLedger.Account account = null;
        long baseline = 0;
        boolean countedNewFile = false;
        if (folder.quotaBytes() > 0 || folder.quotaFiles() > 0) {
            account = ledger.account(folder.name());
            baseline = account.netGrowth.get();
            Usage usage = usage(folder);
            if (folder.quotaFiles() > 0 && !exists) {
                if (usage.files() + account.newFiles.incrementAndGet() > folder.quotaFiles()) {
                    account.newFiles.decrementAndGet();
                    throw new QuotaExceededException(folder.name(),
                            "folder '%s' holds its quota of %d files".formatted(folder.name(), folder.quotaFiles()));
                }
                countedNewFile = true;
            }
            if (folder.quotaBytes() > 0) {
                long kept = switch (mode) {
                    case REPLACE -> 0;
                    case RESUME -> offset;
                    case APPEND -> existing;
                };
                limit = folder.quotaBytes() - usage.bytes() - account.inTemporaryFiles.get() + existing - kept;
                if (limit < 0) {
                    if (countedNewFile) {
                        account.newFiles.decrementAndGet();
                    }
                    throw new QuotaExceededException(folder.name(),
                            "folder '%s' is over its quota of %d bytes".formatted(folder.name(), folder.quotaBytes()));
                }
            }
        }
        UploadStream.Quota quota = account == null ? null : new UploadStream.Quota(account, baseline, limit, countedNewFile);
        if (mode == UploadMode.REPLACE) {
            Path temp = target.resolveSibling(TEMP_PREFIX + UUID.randomUUID() + ".part");
            FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            return new UploadStream(folder, relativePath, target, temp, channel, existing, exists, quota);
        }
        FileChannel channel = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            if (mode == UploadMode.RESUME) {
                channel.position(offset);
            } else {
                channel.position(channel.size());
            }
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        return new UploadStream(folder, relativePath, target, null, channel, existing, exists, quota);
    }

    /** A regular file to be read whole or in ranges (REST downloads); a directory is refused. */
    public Path readableFile(FolderStorage folder, String relativePath) throws IOException {
        Path path = resolve(folder, relativePath);
        if (Files.isDirectory(path)) {
            throw new NotAFileException(relativePath);
        }
        if (!Files.isRegularFile(path)) {
            throw new NoSuchFileException(relativePath);
        }
        return path;
    }

    /**
     * Writes a whole stream as a file's content (REST uploads): the quota is checked up front
     * when the length is known and again while writing; on any failure the file is put back as
     * it was, so a broken or refused upload leaves nothing partial behind.
     *
     * @param expectedLength the announced length, or -1 when unknown; fewer bytes fail the upload
     */
    public StoredFile store(FolderStorage folder, String relativePath, UploadMode mode, InputStream body,
                            long expectedLength) throws IOException {
        boolean created = !Files.exists(resolve(folder, relativePath), LinkOption.NOFOLLOW_LINKS);
        UploadStream upload = beginUpload(folder, relativePath, mode, 0);
        try {
            if (expectedLength >= 0) {
                upload.expect(expectedLength);
            }
            // gathers the body's small reads into large writes: one quota check and one disk write per step
            byte[] buffer = new byte[1024 * 1024];
            boolean end = false;
            while (!end) {
                int filled = 0;
                while (filled < buffer.length / 2) {
                    int n;
                    try {
                        n = body.read(buffer, filled, buffer.length - filled);
                    } catch (IOException e) {
                        throw new IncompleteUploadException(relativePath, upload.written() + filled, e);
                    }
                    if (n < 0) {
                        end = true;
                        break;
                    }
                    filled += n;
                }
                upload.write(buffer, 0, filled);
            }
            if (expectedLength >= 0 && upload.written() != expectedLength) {
                throw new IncompleteUploadException(relativePath, upload.written(), null);
            }
            upload.commit();
        } catch (IOException | RuntimeException e) {
            upload.abort(false);
            throw e;
        }
        return new StoredFile(stat(folder, relativePath), created, upload.written());
    }

    /** What {@link #store} wrote: the file as it is now, and whether it is new. */
    public record StoredFile(FileEntry entry, boolean created, long bytesWritten) {
    }

    public void mkdir(FolderStorage folder, String relativePath) throws IOException {
        if (segments(relativePath).isEmpty()) {
            throw new FileAlreadyExistsException(relativePath);
        }
        Path dir = resolve(folder, relativePath);
        Files.createDirectory(dir);
    }

    /** Deletes a file, or a directory (its content too only when {@code recursive}). */
    public void delete(FolderStorage folder, String relativePath, boolean recursive) throws IOException {
        if (segments(relativePath).isEmpty()) {
            throw new InvalidPathException(relativePath, "the folder's root cannot be deleted");
        }
        Path path = resolve(folder, relativePath);
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            throw new NoSuchFileException(relativePath);
        }
        if (recursive && Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> walk = Files.walk(path)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        } else {
            Files.delete(path);
        }
    }

    /** Deletes a regular file only (FTP DELE). */
    public void deleteFile(FolderStorage folder, String relativePath) throws IOException {
        Path path = resolve(folder, relativePath);
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            throw new NotAFileException(relativePath);
        }
        delete(folder, relativePath, false);
    }

    /** Deletes an empty directory only (FTP RMD). */
    public void deleteDirectory(FolderStorage folder, String relativePath) throws IOException {
        Path path = resolve(folder, relativePath);
        if (Files.exists(path) && !Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            throw new NotADirectoryException(relativePath);
        }
        delete(folder, relativePath, false);
    }

    /** Renames within one folder; the target must not exist. */
    public void rename(FolderStorage folder, String from, String to) throws IOException {
        rename(folder, from, to, false);
    }

    /**
     * Renames within one folder. With {@code replaceFile} a regular file at the target is replaced
     * in one atomic step (rename(2)), as FTP's RNTO does; a directory at either end is never replaced.
     */
    public void rename(FolderStorage folder, String from, String to, boolean replaceFile) throws IOException {
        if (segments(from).isEmpty() || segments(to).isEmpty()) {
            throw new InvalidPathException(from, "the folder's root cannot be renamed");
        }
        Path source = resolve(folder, from);
        Path target = resolve(folder, to);
        if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
            throw new NoSuchFileException(from);
        }
        if (target.startsWith(source) && !target.equals(source)) {
            throw new InvalidPathException(to, "a directory cannot be moved into itself");
        }
        long replaced = -1;
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            boolean replaceable = replaceFile && Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)
                    && !Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS);
            if (!replaceable) {
                throw new FileAlreadyExistsException(to);
            }
            if (source.equals(target)) {
                return;
            }
            replaced = Files.size(target);
        }
        Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
        if (replaced >= 0 && (folder.quotaBytes() > 0 || folder.quotaFiles() > 0)) {
            // the replaced file's bytes are free again for uploads already under way
            ledger.account(folder.name()).netGrowth.addAndGet(-replaced);
        }
    }

    /** Sets a file's or directory's modification time (FTP MFMT, SITE UTIME, two-argument MDTM). */
    public void setModified(FolderStorage folder, String relativePath, Instant modified) throws IOException {
        Path path = resolve(folder, relativePath);
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            throw new NoSuchFileException(relativePath);
        }
        Files.setLastModifiedTime(path, FileTime.from(modified));
    }

    /**
     * An identifier of the file itself (device and inode where the file system has them), the
     * same for every name of it: RFC 3659's "unique" fact.
     */
    public String fileKey(FolderStorage folder, String relativePath) throws IOException {
        Path path = resolve(folder, relativePath);
        BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class);
        Object key = attrs.fileKey();
        if (key == null) {
            return Integer.toHexString(path.toAbsolutePath().toString().hashCode());
        }
        // e.g. "(dev=803,ino=1234)": keep letters and digits only, as a fact value must not hold ';' or ' '
        return key.toString().replaceAll("dev=|ino=|[()]", "").replaceAll("[^0-9A-Za-z]", "U");
    }

    /** Deletes a folder's whole storage directory. */
    public void deleteAll(FolderStorage folder) throws IOException {
        if (!Files.exists(folder.root(), LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(folder.root())) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Walks the folder and counts its regular files and their bytes. */
    public Usage usage(FolderStorage folder) throws IOException {
        if (!Files.isDirectory(folder.root())) {
            return new Usage(0, 0);
        }
        long[] totals = new long[2];
        Files.walkFileTree(folder.root(), new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile() && !file.getFileName().toString().startsWith(TEMP_PREFIX)) {
                    totals[0] += attrs.size();
                    totals[1]++;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) {
                return FileVisitResult.CONTINUE;
            }
        });
        return new Usage(totals[0], totals[1]);
    }

    /** The path names a directory where a file is needed. */
    public static class NotAFileException extends IOException {
        public NotAFileException(String path) {
            super(path + ": is a directory");
        }
    }

    /** The path names a file where a directory is needed. */
    public static class NotADirectoryException extends IOException {
        public NotADirectoryException(String path) {
            super(path + ": is not a directory");
        }
    }

    /** The request body ended before the announced length, or reading it failed. */
    public static class IncompleteUploadException extends IOException {
        public IncompleteUploadException(String path, long received, Throwable cause) {
            super("%s: upload broken off after %d bytes; nothing was kept".formatted(path, received), cause);
        }
    }

    /** A restart offset beyond the end of the file being resumed. */
    public static class RestartOffsetException extends IOException {
        public RestartOffsetException(String path, long offset, long size) {
            super("%s: restart offset %d is beyond its size %d".formatted(path, offset, size));
        }
    }
}
