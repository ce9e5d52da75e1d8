package io.ftpbridge.storage;

import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

/**
 * The one place that turns a folder-relative path into a real file, enforces quotas and opens
 * streams. FTP (through {@link UserFileSystem}) and REST both call it, so a path or quota rule
 * exists once. Errors name the folder-relative path, never where the folder lives on disk.
 */
@Service
public class StorageService {

    /** Prefix of in-progress uploads; hidden from listings and refused as a path, counted in usage. */
    static final String TEMP_PREFIX = ".ftpbridge-upload-";
    /**
     * Partial files of transfer jobs of earlier versions, which kept them inside folders; still
     * hidden from listings. Jobs now keep them in {@link #partialFile the partials directory}.
     */
    private static final Pattern LEGACY_PARTIAL = Pattern.compile("^\\..+\\.ftpbridge-[A-Za-z0-9]+\\.part$");

    private static final Logger log = LoggerFactory.getLogger(StorageService.class);

    private final Path root;
    private final List<Path> allowedRoots;
    private final Path partials;
    private final QuotaLedger ledger = new QuotaLedger();
    private final WriteLocks locks;
    private final ApplicationEventPublisher events;
    /** Replaced and deleted files' old contents: deleted off the caller's thread, or written over by the next upload. */
    private final ReusedContent oldContents;

    public StorageService(StorageProperties properties) throws IOException {
        this(properties, event -> { });
    }

    @Autowired
    public StorageService(StorageProperties properties, ApplicationEventPublisher events) throws IOException {
        this.events = events;
        this.root = properties.root().toAbsolutePath().normalize();
        Files.createDirectories(root);
        this.partials = properties.partials().toAbsolutePath().normalize();
        List<Path> roots = new ArrayList<>();
        roots.add(root);
        properties.allowedRoots().forEach(r -> roots.add(r.toAbsolutePath().normalize()));
        this.allowedRoots = List.copyOf(roots);
        this.locks = new WriteLocks(properties.writeLockWait());
        this.oldContents = new ReusedContent(partials);
    }

    /**
     * Puts {@code source} in {@code target}'s place atomically ({@link AtomicReplace}); the target's
     * old content, when the two were swapped, goes to {@link ReusedContent}.
     */
    void replace(Path source, Path target, boolean replacesFile) throws IOException {
        Path oldContent = AtomicReplace.replace(source, target, replacesFile);
        if (oldContent != null) {
            try {
                oldContents.discard(oldContent);
            } catch (IOException e) {
                log.warn("Could not delete the old content of a replaced file: path={} error={}", oldContent, e.toString());
            }
        }
    }

    @PreDestroy
    void finishDiscards() throws InterruptedException {
        oldContents.close();
    }

    /** Tells listeners (events/) about a change in a folder, naming the current {@link StorageCaller}. */
    void announce(FileActivity.Kind kind, FolderStorage folder, String path, String fromPath, long size, StorageCaller caller) {
        try {
            events.publishEvent(new FileActivity(kind, folder.name(), path, fromPath, size, caller));
        } catch (RuntimeException e) {
            // the file action itself succeeded; a listener's failure must not turn it into an error
            log.warn("File event not recorded: folder={} path={} kind={} error={}", folder.name(), path, kind, e.toString());
        }
    }

    /** A download of {@code relativePath} ended with {@code bytes} sent (FTP RETR). */
    public void downloaded(FolderStorage folder, String relativePath, long bytes) {
        announce(FileActivity.Kind.DOWNLOADED, folder, relativePath, null, bytes, StorageCaller.current());
    }

    public Path storageRoot() {
        return root;
    }

    /** Where a folder without an explicit location keeps its files. */
    public Path defaultLocation(String folderName) throws InvalidPathException {
        Path location = root.resolve(folderName).normalize();
        if (!root.equals(location.getParent())) {
            throw new InvalidPathException(folderName, "a folder name must stay one level below the storage root");
        }
        return location;
    }

    /**
     * Checks an administrator-chosen location: absolute, normalised and under an allowed root.
     */
    public Path checkLocation(String location) throws InvalidPathException {
        if (location.isBlank() || !location.startsWith("/") || location.indexOf('\0') >= 0) {
            throw new InvalidPathException(location, "location must be an absolute path");
        }
        if (List.of(location.split("/")).stream().anyMatch(s -> s.equals(".") || s.equals(".."))) {
            throw new InvalidPathException(location, "location must not contain '.' or '..' segments");
        }
        Path normalized = Path.of(location).normalize();
        // strictly below an allowed root: a root itself would hold other folders (or the data dir)
        if (allowedRoots.stream().noneMatch(r -> normalized.startsWith(r) && !normalized.equals(r))) {
            throw new InvalidPathException(location,
                    "location must lie below the storage root or one of ftpbridge.storage.allowed-roots");
        }
        return normalized;
    }

    /**
     * Why {@code location} may not be a folder's storage, or null: it must neither equal, contain nor
     * lie inside another folder's directory or the transfer jobs' partials, after following symbolic
     * links (two folders sharing files would share and dodge each other's quotas).
     *
     * @param others the other folders' storage directories by folder name
     */
    public String overlap(Path location, Map<String, Path> others) {
        Path candidate = realish(location);
        Path staging = realish(partials);
        if (candidate.startsWith(staging) || staging.startsWith(candidate)) {
            return "location overlaps the directory of transfer jobs' partial files";
        }
        for (Map.Entry<String, Path> other : others.entrySet()) {
            Path theirs = realish(other.getValue());
            if (candidate.startsWith(theirs) || theirs.startsWith(candidate)) {
                return "location overlaps the storage of folder '%s'".formatted(other.getKey());
            }
        }
        return null;
    }

    /** A path with the symbolic links of its longest existing prefix resolved. */
    private static Path realish(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        Path existing = absolute;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return absolute;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(absolute)).normalize();
        } catch (IOException e) {
            return absolute;
        }
    }

    /**
     * The name under which a transfer job fills a file on a remote server before renaming it into
     * place (FTP servers have no better place for it).
     */
    public static String partialName(String fileName, String owner) {
        return "." + fileName + ".ftpbridge-" + owner + ".part";
    }

    /**
     * Where {@code owner} (a transfer job) keeps a file it is still downloading: under the partials
     * directory, outside every folder, so no FTP or REST user can write or plant it.
     */
    public Path partialFile(String owner, String name) {
        for (String part : List.of(owner, name)) {
            if (!part.matches("[A-Za-z0-9._-]{1,128}") || part.startsWith(".")) {
                throw new IllegalArgumentException("bad partial file name: " + part);
            }
        }
        return partials.resolve(owner).resolve(name);
    }

    /** Deletes everything {@code owner} keeps in the partials directory. */
    public void removePartials(String owner) throws IOException {
        Path dir = partialFile(owner, "x").getParent();
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** The directory under which transfer jobs keep their partial files. */
    public Path partialsRoot() {
        return partials;
    }

    /** Creates a folder's storage directory if it is not there yet. */
    public void ensureExists(FolderStorage folder) throws IOException {
        Files.createDirectories(folder.root());
    }

    /** A folder's quota or location changed: its usage is walked again before the next quota decision. */
    public void forgetUsage(FolderStorage folder) {
        QuotaLedger.Account account = ledger.account(folder.name());
        synchronized (account) {
            account.known = false;
        }
    }

    /**
     * Splits a folder-relative path into its names. Empty and {@code .} segments are dropped;
     * {@code ..}, NUL, control characters and backslashes are refused.
     */
    public static List<String> segments(String path) throws InvalidPathException {
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
        // checked first: createDirectories on an existing root throws (and catches) an exception, on every path resolved
        if (!Files.isDirectory(folder.root())) {
            Files.createDirectories(folder.root());
        }
        return folder.root().toRealPath();
    }

    public FileEntry stat(FolderStorage folder, String relativePath) throws IOException {
        return RelativeErrors.relative(relativePath, () -> {
            Path path = resolve(folder, relativePath);
            BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class);
            String name = path.getFileName() == null ? "" : path.getFileName().toString();
            return toEntry(name, attrs);
        });
    }

    /**
     * A directory's entries. Temporary files of uploads are left out, and so are symbolic links
     * that lead out of the folder (or nowhere): their size and time are none of the user's business.
     */
    public List<FileEntry> list(FolderStorage folder, String relativePath) throws IOException {
        return RelativeErrors.relative(relativePath, () -> {
            Path dir = resolve(folder, relativePath);
            if (!Files.isDirectory(dir)) {
                throw Files.exists(dir) ? new NotADirectoryException(relativePath) : new NoSuchFileException(relativePath);
            }
            Path folderRoot = realRoot(folder);
            List<FileEntry> entries = new ArrayList<>();
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
                for (Path child : stream) {
                    String name = child.getFileName().toString();
                    if (name.startsWith(TEMP_PREFIX) || LEGACY_PARTIAL.matcher(name).matches()) {
                        continue;
                    }
                    try {
                        if (Files.isSymbolicLink(child) && !child.toRealPath().startsWith(folderRoot)) {
                            continue;
                        }
                        entries.add(toEntry(name, Files.readAttributes(child, BasicFileAttributes.class)));
                    } catch (NoSuchFileException raced) {
                        // removed (or a dangling link) while listing: not part of the listing
                    }
                }
            }
            entries.sort(Comparator.comparing(FileEntry::name));
            return entries;
        });
    }

    private static FileEntry toEntry(String name, BasicFileAttributes attrs) {
        FileEntry.Type type = attrs.isDirectory() ? FileEntry.Type.DIRECTORY : FileEntry.Type.FILE;
        return new FileEntry(name, type, attrs.isDirectory() ? 0 : attrs.size(), attrs.lastModifiedTime().toInstant());
    }

    /** Opens a regular file for reading from {@code offset}. */
    public InputStream openRead(FolderStorage folder, String relativePath, long offset) throws IOException {
        FileChannel channel = openChannel(folder, relativePath);
        try {
            if (offset > 0) {
                channel.position(offset);
            }
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        return new ReadStream(channel);
    }

    /** Opens a regular file for reading as a channel (for transfers straight to a socket: {@code sendfile}). */
    public FileChannel openChannel(FolderStorage folder, String relativePath) throws IOException {
        return RelativeErrors.relative(relativePath, () -> {
            Path path = resolve(folder, relativePath);
            if (Files.isDirectory(path)) {
                throw new NotAFileException(relativePath);
            }
            return FileChannel.open(path, StandardOpenOption.READ);
        });
    }

    /**
     * Starts an upload. The file quota is checked now; the byte quota on every write, which reserves
     * its bytes first and throws {@link QuotaExceededException} when they do not fit. An append or
     * resume waits for (up to {@code ftpbridge.storage.write-lock-wait}) and then holds its file until
     * it ends; otherwise it is refused with {@link FileBusyException}.
     */
    public UploadStream beginUpload(FolderStorage folder, String relativePath, UploadMode mode, long offset)
            throws IOException {
        try {
            return beginUploadChecked(folder, relativePath, mode, offset);
        } catch (QuotaExceededException e) {
            announce(FileActivity.Kind.QUOTA_EXCEEDED, folder, relativePath, null, -1, StorageCaller.current());
            throw e;
        }
    }

    private UploadStream beginUploadChecked(FolderStorage folder, String relativePath, UploadMode mode, long offset)
            throws IOException {
        return RelativeErrors.relative(relativePath, () -> {
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
            if (mode == UploadMode.REPLACE) {
                Path temp = target.resolveSibling(TEMP_PREFIX + UUID.randomUUID() + ".part");
                return open(folder, relativePath, UploadStream.Kind.REPLACE, target, temp, mode, 0,
                        locks.acquire(temp, relativePath));
            }
            return open(folder, relativePath, UploadStream.Kind.IN_PLACE, target, null, mode, offset,
                    locks.acquire(target, relativePath));
        });
    }

    /**
     * Starts (or resumes at {@code offset}) a transfer job's partial file, from {@link #partialFile}.
     * Its bytes count against the folder's quota while they are written, so a download too large for
     * the folder fails early; they are counted for good when {@link #placeStaged} moves the file in.
     */
    public UploadStream beginStaged(FolderStorage folder, String relativeTarget, Path partial, long offset)
            throws IOException {
        Path staged = checkStaged(partial);
        Files.createDirectories(staged.getParent());
        return open(folder, relativeTarget, UploadStream.Kind.STAGED, staged, null, UploadMode.RESUME, offset,
                locks.acquire(staged, relativeTarget));
    }

    private UploadStream open(FolderStorage folder, String relativePath, UploadStream.Kind kind, Path target, Path temp,
                              UploadMode mode, long offset, WriteLocks.Held lock) throws IOException {
        QuotaLedger.Account account = limited(folder) ? ledger.account(folder.name()) : null;
        FileChannel channel = null;
        boolean opened = false;
        try {
            synchronized (account != null ? account : lock) {
                boolean exists = Files.exists(target);
                long existing = exists ? Files.size(target) : 0;
                if (mode == UploadMode.RESUME && offset > existing) {
                    throw new RestartOffsetException(relativePath, offset, existing);
                }
                long credit = kind == UploadStream.Kind.STAGED ? 0 : switch (mode) {
                    case REPLACE -> existing;
                    case RESUME -> existing - offset;
                    case APPEND -> 0;
                };
                long kept = kind == UploadStream.Kind.STAGED ? offset : 0;
                boolean newFile = !exists && kind != UploadStream.Kind.STAGED;
                if (account != null) {
                    refresh(account, folder);
                    if (folder.quotaFiles() > 0 && newFile && account.files + 1 > folder.quotaFiles()) {
                        throw new QuotaExceededException(folder.name(),
                                "folder '%s' holds its quota of %d files".formatted(folder.name(), folder.quotaFiles()));
                    }
                    if (folder.quotaBytes() > 0 && account.bytes + kept - credit > folder.quotaBytes()) {
                        throw new QuotaExceededException(folder.name(),
                                "folder '%s' is over its quota of %d bytes".formatted(folder.name(), folder.quotaBytes()));
                    }
                }
                if (kind == UploadStream.Kind.REPLACE) {
                    // a folder with a quota never takes an old content: a walk would count its stale bytes
                    channel = account == null ? oldContents.reuse(temp) : null;
                    if (channel == null) {
                        channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                        oldContents.learnFrom(temp);
                    }
                    markInUse(channel);
                } else {
                    channel = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    channel.position(mode == UploadMode.APPEND ? channel.size() : offset);
                }
                if (account != null) {
                    account.bytes += kept;
                    account.files += newFile ? 1 : 0;
                    pending(account, kept, newFile ? 1 : 0);
                    account.active++;
                }
                opened = true;
                return new UploadStream(this, folder, relativePath, kind, target, temp, channel, existing, exists, account,
                        credit, kept, newFile, lock);
            }
        } finally {
            if (!opened) {
                if (channel != null) {
                    channel.close();
                }
                if (temp != null) {
                    Files.deleteIfExists(temp);
                }
                lock.close();
            }
        }
    }

    /**
     * Moves a finished partial file (see {@link #beginStaged}) over {@code relativeTarget}, if the
     * folder's quota has room for it in place of what it replaces; else {@link QuotaExceededException}
     * and the partial stays where it was. Atomic on one file system; across file systems the file is
     * copied beside the target first and then moved over it atomically.
     */
    public void placeStaged(FolderStorage folder, Path partial, String relativeTarget) throws IOException {
        Path staged = checkStaged(partial);
        RelativeErrors.relative(relativeTarget, () -> {
            if (segments(relativeTarget).isEmpty()) {
                throw new InvalidPathException(relativeTarget, "a file needs a name");
            }
            Path target = resolve(folder, relativeTarget);
            if (Files.isDirectory(target)) {
                throw new NotAFileException(relativeTarget);
            }
            if (!Files.isDirectory(target.getParent())) {
                throw new NoSuchFileException(relativeTarget, null, "parent directory does not exist");
            }
            try (WriteLocks.Held held = locks.acquire(target, relativeTarget)) {
                QuotaLedger.Account account = ledger.account(folder.name());
                synchronized (account) {
                    boolean limited = limited(folder);
                    if (limited) {
                        refresh(account, folder);
                    }
                    boolean replacesFile = Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS);
                    long old = replacesFile ? Files.size(target) : 0;
                    long size = Files.size(staged);
                    if (limited && folder.quotaBytes() > 0 && account.bytes - old + size > folder.quotaBytes()) {
                        throw new QuotaExceededException(folder.name(), "'%s' (%d bytes) exceeds the quota of folder '%s'"
                                .formatted(relativeTarget, size, folder.name()));
                    }
                    if (limited && folder.quotaFiles() > 0 && !replacesFile && account.files + 1 > folder.quotaFiles()) {
                        throw new QuotaExceededException(folder.name(),
                                "folder '%s' holds its quota of %d files".formatted(folder.name(), folder.quotaFiles()));
                    }
                    moveInto(staged, target, relativeTarget, replacesFile);
                    if (account.known) {
                        account.bytes += size - old;
                        account.files += replacesFile ? 0 : 1;
                    }
                }
            }
            return null;
        });
    }

    private void moveInto(Path source, Path target, String relativeTarget, boolean replacesFile) throws IOException {
        try {
            replace(source, target, replacesFile);
        } catch (AtomicMoveNotSupportedException otherFileSystem) {
            Path temp = target.resolveSibling(TEMP_PREFIX + UUID.randomUUID() + ".part");
            try (WriteLocks.Held marker = locks.acquire(temp, relativeTarget)) {
                try {
                    Files.copy(source, temp);
                    replace(temp, target, replacesFile);
                } catch (IOException | RuntimeException e) {
                    Files.deleteIfExists(temp);
                    throw e;
                }
            }
            Files.delete(source);
        }
    }

    private Path checkStaged(Path partial) {
        Path staged = partial.toAbsolutePath().normalize();
        if (!staged.startsWith(partials) || staged.equals(partials)) {
            throw new IllegalArgumentException("not a partial file: " + partial);
        }
        return staged;
    }

    /** Whether a folder has a quota, so that its uploads reserve in the ledger. */
    private static boolean limited(FolderStorage folder) {
        return folder.quotaBytes() > 0 || folder.quotaFiles() > 0;
    }

    /**
     * Brings an account up to date with the disk: whenever no upload is in progress (then the walk
     * is exact), and after a change that made it unknown (then uploads in progress are counted on top
     * of what the walk saw of them: too much rather than too little).
     */
    private void refresh(QuotaLedger.Account account, FolderStorage folder) throws IOException {
        if (account.known && account.active > 0) {
            return;
        }
        Usage usage = usage(folder);
        account.bytes = usage.bytes() + account.pendingBytes;
        account.files = usage.files() + account.pendingNewFiles;
        account.known = true;
    }

    /** Records reservations of uploads in progress; caller holds the account. */
    static void pending(QuotaLedger.Account account, long bytes, long newFiles) {
        account.pendingBytes += bytes;
        account.pendingNewFiles += newFiles;
    }

    WriteLocks.Held lockForWrite(Path target, String relativePath) throws IOException {
        return locks.acquire(target, relativePath);
    }

    /** Takes an advisory lock on a temporary file, so another instance's cleanup sees it is in use. */
    private static void markInUse(FileChannel channel) {
        try {
            channel.tryLock();
        } catch (IOException | OverlappingFileLockException | UnsupportedOperationException e) {
            // no advisory locks here: the in-process registry still protects it from this instance
        }
    }

    /** A regular file to be read whole or in ranges (REST downloads); a directory is refused. */
    public Path readableFile(FolderStorage folder, String relativePath) throws IOException {
        return RelativeErrors.relative(relativePath, () -> {
            Path path = resolve(folder, relativePath);
            if (Files.isDirectory(path)) {
                throw new NotAFileException(relativePath);
            }
            if (!Files.isRegularFile(path)) {
                throw new NoSuchFileException(relativePath);
            }
            return path;
        });
    }

    /**
     * Writes a whole stream as a file's content (REST uploads): the quota is checked up front
     * when the length is known and again while writing; on any failure the file is put back as
     * it was, so a broken or refused upload leaves nothing partial behind.
     *
     * @param expectedLength the announced length, or -1 when unknown; fewer bytes fail the upload
     */
    public StoredFile store(FolderStorage folder, String relativePath, UploadMode mode, UploadSource body,
                            long expectedLength) throws IOException {
        boolean created = !Files.exists(resolve(folder, relativePath), LinkOption.NOFOLLOW_LINKS);
        UploadStream upload = beginUpload(folder, relativePath, mode, 0);
        ByteBuffer buffer = TransferBuffers.take();
        try {
            if (expectedLength >= 0) {
                upload.expect(expectedLength);
            }
            // gathers the body's small reads into large writes: one quota check and one disk write per step
            boolean end = false;
            while (!end) {
                buffer.clear();
                while (buffer.position() < buffer.capacity() / 2) {
                    int start = buffer.position();
                    int n;
                    try {
                        n = body.read(buffer);
                    } catch (IOException e) {
                        throw new IncompleteUploadException(relativePath, upload.written() + start, e);
                    }
                    if (n < 0) {
                        end = true;
                        break;
                    }
                    // Servlet 6.1 leaves the bytes read between position and limit; a channel moves position past them
                    buffer.limit(buffer.capacity()).position(start + n);
                }
                upload.write(buffer.flip());
            }
            if (expectedLength >= 0 && upload.written() != expectedLength) {
                throw new IncompleteUploadException(relativePath, upload.written(), null);
            }
            upload.commit();
        } catch (IOException | RuntimeException e) {
            upload.abort(false);
            if (e instanceof IOException io) {
                throw RelativeErrors.relativeError(io, relativePath);
            }
            throw (RuntimeException) e;
        } finally {
            TransferBuffers.release(buffer);
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
        RelativeErrors.relative(relativePath, () -> Files.createDirectory(resolve(folder, relativePath)));
        announce(FileActivity.Kind.DIR_CREATED, folder, relativePath, null, -1, StorageCaller.current());
    }

    /**
     * Deletes a file, or a directory (its content too only when {@code recursive}). Refused with
     * {@link FileBusyException} while an upload writes the file or a file below the directory.
     */
    public void delete(FolderStorage folder, String relativePath, boolean recursive) throws IOException {
        if (segments(relativePath).isEmpty()) {
            throw new InvalidPathException(relativePath, "the folder's root cannot be deleted");
        }
        long size = RelativeErrors.relative(relativePath, () -> {
            Path path = resolve(folder, relativePath);
            if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                throw new NoSuchFileException(relativePath);
            }
            QuotaLedger.Account account = ledger.account(folder.name());
            synchronized (account) {
                if (locks.busy(path)) {
                    throw new FileBusyException(relativePath, "an upload is writing it or a file below it");
                }
                boolean directory = Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS);
                long fileSize = directory ? -1 : Files.size(path);
                Usage removed = account.known ? DiskUsage.of(path) : null;
                try {
                    if (recursive && Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                        try (Stream<Path> walk = Files.walk(path)) {
                            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                                Files.delete(p);
                            }
                        }
                    } else if (directory) {
                        Files.delete(path);
                    } else {
                        oldContents.discard(path); // out of the folder at once; freed off the reply path, or reused
                    }
                } catch (IOException | RuntimeException e) {
                    account.known = false; // part of it may be gone: walk again before the next quota decision
                    throw e;
                }
                if (removed != null) {
                    account.bytes -= removed.bytes();
                    account.files -= removed.files();
                }
                return fileSize;
            }
        });
        // outside the folder's lock: listeners write to the database
        announce(size < 0 ? FileActivity.Kind.DIR_DELETED : FileActivity.Kind.DELETED, folder, relativePath,
                null, size, StorageCaller.current());
    }

    /** Deletes a regular file only (FTP DELE). */
    public void deleteFile(FolderStorage folder, String relativePath) throws IOException {
        Path path = RelativeErrors.relative(relativePath, () -> resolve(folder, relativePath));
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            throw new NotAFileException(relativePath);
        }
        delete(folder, relativePath, false);
    }

    /** Deletes an empty directory only (FTP RMD). */
    public void deleteDirectory(FolderStorage folder, String relativePath) throws IOException {
        Path path = RelativeErrors.relative(relativePath, () -> resolve(folder, relativePath));
        if (Files.exists(path) && !Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            throw new NotADirectoryException(relativePath);
        }
        delete(folder, relativePath, false);
    }

    /** Renames within one folder; the target must not exist, and no upload may be writing the source. */
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
        Long size = RelativeErrors.relative(from, () -> {
            Path source = resolve(folder, from);
            Path target = resolve(folder, to);
            if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
                throw new NoSuchFileException(from);
            }
            if (target.startsWith(source) && !target.equals(source)) {
                throw new InvalidPathException(to, "a directory cannot be moved into itself");
            }
            QuotaLedger.Account account = ledger.account(folder.name());
            synchronized (account) {
                if (locks.busy(source) || locks.busy(target)) {
                    throw new FileBusyException(locks.busy(source) ? from : to, "an upload is writing it or a file below it");
                }
                long replaced = -1;
                if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                    boolean replaceable = replaceFile && Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)
                            && !Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS);
                    if (!replaceable) {
                        throw new FileAlreadyExistsException(to);
                    }
                    if (source.equals(target)) {
                        return (Long) null;
                    }
                    replaced = Files.size(target);
                }
                Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
                if (replaced >= 0 && account.known) {
                    // the replaced file leaves the folder: its bytes and its count are free again
                    account.bytes -= replaced;
                    account.files -= 1;
                }
                return Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS) ? Files.size(target) : -1L;
            }
        });
        if (size != null) {
            announce(FileActivity.Kind.RENAMED, folder, to, from, size, StorageCaller.current());
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
        ledger.forget(folder.name());
    }

    /**
     * Walks the folder and counts its regular files and their bytes. Temporary files of uploads
     * count with their bytes (they take the space; after a crash until they are cleaned) but not as
     * files.
     */
    public Usage usage(FolderStorage folder) throws IOException {
        if (!Files.isDirectory(folder.root())) {
            return new Usage(0, 0);
        }
        return DiskUsage.walk(folder.root());
    }

    /**
     * Removes the temporary files of uploads that no process is writing any more (left by a kill
     * or a power cut), one log line each; returns how many.
     */
    public int removeOrphanedUploads(FolderStorage folder) throws IOException {
        if (!Files.isDirectory(folder.root())) {
            return 0;
        }
        Path folderRoot = folder.root();
        List<Path> temps;
        try (Stream<Path> walk = Files.walk(folderRoot)) {
            temps = walk.filter(p -> p.getFileName().toString().startsWith(TEMP_PREFIX))
                    .filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList();
        }
        int removed = 0;
        for (Path temp : temps) {
            if (locks.busy(temp) || writtenElsewhere(temp)) {
                continue;
            }
            long size = Files.size(temp);
            if (Files.deleteIfExists(temp)) {
                removed++;
                log.info("Removed orphaned upload file: folder={} path={} bytes={}", folder.name(),
                        folderRoot.relativize(temp), size);
            }
        }
        if (removed > 0) {
            forgetUsage(folder);
        }
        return removed;
    }

    /** Whether another process (an instance sharing this storage) holds the file's advisory lock. */
    private static boolean writtenElsewhere(Path temp) {
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                return true;
            }
            lock.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** The path names a directory where a file is needed. */
    public static final class NotAFileException extends StorageException {
        public NotAFileException(String path) {
            super(path + ": is a directory", null);
        }
    }

    /** The path names a file where a directory is needed. */
    public static final class NotADirectoryException extends StorageException {
        public NotADirectoryException(String path) {
            super(path + ": is not a directory", null);
        }
    }

    /** The request body ended before the announced length, or reading it failed. */
    public static final class IncompleteUploadException extends StorageException {
        public IncompleteUploadException(String path, long received, Throwable cause) {
            super("%s: upload broken off after %d bytes; nothing was kept".formatted(path, received), cause);
        }
    }

    /** A restart offset beyond the end of the file being resumed. */
    public static final class RestartOffsetException extends StorageException {
        public RestartOffsetException(String path, long offset, long size) {
            super("%s: restart offset %d is beyond its size %d".formatted(path, offset, size), null);
        }
    }
}
