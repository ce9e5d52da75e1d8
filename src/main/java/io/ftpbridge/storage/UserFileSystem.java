package io.ftpbridge.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One user's FTP tree: its mounts laid over a read-only virtual root, with every operation
 * checked against the permissions of the mount it lands in and carried out by
 * {@link StorageService}. The FTP adapter holds no rules of its own; they are all here.
 */
public final class UserFileSystem {

    /** A folder mounted at an absolute path of the user's tree. */
    public record Mount(String path, FolderStorage folder, Set<Permission> permissions) {
        public Mount {
            try {
                path = normalize("/", path);
            } catch (InvalidPathException e) { // mount paths are validated when a user is saved
                throw new IllegalArgumentException(e.getMessage(), e);
            }
            permissions = permissions.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(permissions));
        }
    }

    /** Where a virtual path lands. */
    public sealed interface Location permits InMount, Virtual, Missing {
    }

    /** Inside a mounted folder, at {@code relative} ("" is the folder's root). */
    public record InMount(Mount mount, String relative) implements Location {
    }

    /** A directory of the virtual tree above one or more mount points. */
    public record Virtual(String path) implements Location {
    }

    /** Outside every mount and not above any. */
    public record Missing(String path) implements Location {
    }

    private final String username;
    private final List<Mount> mounts;
    private final StorageService storage;
    /** Named on the events of changes made through this tree. */
    private final StorageCaller caller;

    public UserFileSystem(String username, List<Mount> mounts, StorageService storage) {
        this(username, mounts, storage, "FTP");
    }

    /** @param protocol how the user reached the tree ({@code FTP}, {@code REST}) */
    public UserFileSystem(String username, List<Mount> mounts, StorageService storage, String protocol) {
        this.caller = new StorageCaller(username, protocol);
        this.username = username;
        this.mounts = mounts.stream().sorted(Comparator.comparingInt((Mount m) -> m.path().length()).reversed()).toList();
        this.storage = storage;
    }

    public String username() {
        return username;
    }

    /**
     * Resolves {@code path} against {@code cwd} the way a Unix shell does: {@code ..} above the root
     * stays at the root, so no path can climb out of the user's tree.
     */
    public static String normalize(String cwd, String path) throws InvalidPathException {
        if (path != null && (path.indexOf('\0') >= 0)) {
            throw new InvalidPathException(path, "path contains NUL");
        }
        String combined = path == null || path.isEmpty() ? cwd : path.startsWith("/") ? path : cwd + "/" + path;
        List<String> names = new ArrayList<>();
        for (String segment : combined.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                if (!names.isEmpty()) {
                    names.remove(names.size() - 1);
                }
                continue;
            }
            names.add(segment);
        }
        return "/" + String.join("/", names);
    }

    public Location locate(String virtualPath) throws InvalidPathException {
        String path = normalize("/", virtualPath);
        for (Mount mount : mounts) {
            if (mount.path().equals("/")) {
                return new InMount(mount, path.substring(1));
            }
            if (path.equals(mount.path())) {
                return new InMount(mount, "");
            }
            if (path.startsWith(mount.path() + "/")) {
                return new InMount(mount, path.substring(mount.path().length() + 1));
            }
        }
        return mountPointsBelow(path).isEmpty() ? new Missing(path) : new Virtual(path);
    }

    /** Names of the mount points (or virtual directories leading to them) directly below a path. */
    private Set<String> mountPointsBelow(String path) {
        String prefix = path.equals("/") ? "/" : path + "/";
        Set<String> names = new TreeSet<>();
        for (Mount mount : mounts) {
            if (mount.path().startsWith(prefix) && mount.path().length() > prefix.length()) {
                String rest = mount.path().substring(prefix.length());
                int slash = rest.indexOf('/');
                names.add(slash < 0 ? rest : rest.substring(0, slash));
            }
        }
        return names;
    }

    /**
     * Whether the mount the path lands in allows {@code access} (the virtual directories above the
     * mounts: listing only); an invalid path allows nothing.
     */
    public boolean allows(String virtualPath, Access access) {
        Location location;
        try {
            location = locate(virtualPath);
        } catch (InvalidPathException e) {
            return false;
        }
        if (location instanceof InMount in) {
            return access.grantedBy(in.mount().permissions());
        }
        return location instanceof Virtual && access.virtualAllowed();
    }

    public FileEntry stat(String virtualPath) throws IOException {
        Location location = locate(virtualPath);
        if (location instanceof InMount in) {
            FileEntry entry = storage.stat(in.mount().folder(), in.relative());
            return in.relative().isEmpty() ? withName(entry, lastName(in.mount().path())) : entry;
        }
        if (location instanceof Virtual v) {
            return new FileEntry(lastName(v.path()), FileEntry.Type.DIRECTORY, 0, Instant.EPOCH);
        }
        throw new NoSuchFileException(normalize("/", virtualPath));
    }

    /** Stat that answers null for a path that does not exist (or may not be looked at). */
    public FileEntry statOrNull(String virtualPath) {
        try {
            return stat(virtualPath);
        } catch (IOException e) {
            return null;
        }
    }

    public List<FileEntry> list(String virtualPath) throws IOException {
        Location location = locate(virtualPath);
        String path = normalize("/", virtualPath);
        Map<String, FileEntry> entries = new LinkedHashMap<>();
        if (location instanceof InMount in) {
            require(in, Permission.LIST, "list", path);
            for (FileEntry entry : storage.list(in.mount().folder(), in.relative())) {
                entries.put(entry.name(), entry);
            }
        } else if (location instanceof Missing) {
            throw new NoSuchFileException(path);
        }
        for (String name : mountPointsBelow(path)) {
            String child = path.equals("/") ? "/" + name : path + "/" + name;
            FileEntry entry = statOrNull(child);
            entries.put(name, entry != null ? withName(entry, name)
                    : new FileEntry(name, FileEntry.Type.DIRECTORY, 0, Instant.EPOCH));
        }
        return entries.values().stream().sorted(Comparator.comparing(FileEntry::name)).toList();
    }

    public InputStream openRead(String virtualPath, long offset) throws IOException {
        InMount in = inMount(virtualPath, Permission.READ, "read");
        return storage.openRead(in.mount().folder(), in.relative(), offset);
    }

    /**
     * Starts an upload: replacing needs WRITE; resuming or appending needs APPEND or WRITE.
     */
    public UploadStream beginUpload(String virtualPath, UploadMode mode, long offset) throws IOException {
        InMount in = uploadTarget(virtualPath, mode, offset);
        return caller.run(() -> storage.beginUpload(in.mount().folder(), in.relative(), mode, offset));
    }

    /** A whole upload from a stream (REST): the same permission rules as {@link #beginUpload}. */
    public StorageService.StoredFile store(String virtualPath, UploadMode mode, UploadSource body, long expectedLength)
            throws IOException {
        InMount in = uploadTarget(virtualPath, mode, 0);
        return caller.run(() -> storage.store(in.mount().folder(), in.relative(), mode, body, expectedLength));
    }

    /** A file to be read whole or in ranges (REST downloads): READ, as for RETR. */
    public java.nio.file.Path readableFile(String virtualPath) throws IOException {
        InMount in = inMount(virtualPath, Permission.READ, "read");
        return storage.readableFile(in.mount().folder(), in.relative());
    }

    /** Deletes a file (DELETE) or a directory (RMDIR; with its content only when recursive, which needs DELETE too). */
    public void delete(String virtualPath, boolean recursive) throws IOException {
        FileEntry entry = stat(virtualPath);
        if (entry.type() != FileEntry.Type.DIRECTORY) {
            deleteFile(virtualPath);
            return;
        }
        InMount in = inMount(virtualPath, Permission.RMDIR, "remove directory");
        if (in.relative().isEmpty()) {
            throw new PermissionDeniedException(normalize("/", virtualPath) + ": a mount point cannot be removed");
        }
        if (recursive) {
            require(in, Permission.DELETE, "delete the directory's files", normalize("/", virtualPath));
        }
        caller.run(() -> { storage.delete(in.mount().folder(), in.relative(), recursive); return null; });
    }

    private InMount uploadTarget(String virtualPath, UploadMode mode, long offset) throws IOException {
        String path = normalize("/", virtualPath);
        Location location = locate(path);
        if (!(location instanceof InMount in) || in.relative().isEmpty()) {
            throw new PermissionDeniedException("%s: cannot write here".formatted(path));
        }
        Set<Permission> granted = in.mount().permissions();
        boolean allowed = mode == UploadMode.REPLACE
                ? granted.contains(Permission.WRITE)
                : granted.contains(Permission.APPEND) || granted.contains(Permission.WRITE);
        if (!allowed) {
            throw new PermissionDeniedException("%s: permission denied (%s)".formatted(path,
                    mode == UploadMode.REPLACE ? "WRITE" : "APPEND"));
        }
        if (mode == UploadMode.RESUME && !granted.contains(Permission.WRITE)) {
            // APPEND alone may only add at the end: a restart offset inside the file would overwrite it
            FileEntry current = statOrNull(path);
            if (current == null || current.size() != offset) {
                throw new PermissionDeniedException("%s: permission denied (WRITE needed to restart inside the file)".formatted(path));
            }
        }
        return in;
    }

    public void mkdir(String virtualPath) throws IOException {
        InMount in = inMount(virtualPath, Permission.MKDIR, "create directory");
        if (in.relative().isEmpty()) {
            throw new FileAlreadyExistsException(normalize("/", virtualPath));
        }
        caller.run(() -> { storage.mkdir(in.mount().folder(), in.relative()); return null; });
    }

    public void deleteFile(String virtualPath) throws IOException {
        InMount in = inMount(virtualPath, Permission.DELETE, "delete");
        caller.run(() -> { storage.deleteFile(in.mount().folder(), in.relative()); return null; });
    }

    public void removeDirectory(String virtualPath) throws IOException {
        InMount in = inMount(virtualPath, Permission.RMDIR, "remove directory");
        if (in.relative().isEmpty()) {
            throw new PermissionDeniedException(normalize("/", virtualPath) + ": a mount point cannot be removed");
        }
        caller.run(() -> { storage.deleteDirectory(in.mount().folder(), in.relative()); return null; });
    }

    /** Renames within one mounted folder; both ends need RENAME. */
    public void rename(String fromPath, String toPath) throws IOException {
        rename(fromPath, toPath, false);
    }

    /**
     * Renames within one mounted folder; both ends need RENAME. With {@code replaceFile} an existing
     * file at the target is replaced atomically, which also needs WRITE there (it overwrites it).
     */
    public void rename(String fromPath, String toPath, boolean replaceFile) throws IOException {
        InMount from = inMount(fromPath, Permission.RENAME, "rename");
        InMount to = inMount(toPath, Permission.RENAME, "rename");
        if (from.relative().isEmpty() || to.relative().isEmpty()) {
            throw new PermissionDeniedException("a mount point cannot be renamed");
        }
        if (!from.mount().folder().name().equals(to.mount().folder().name())) {
            throw new PermissionDeniedException("cannot rename across folders");
        }
        if (replaceFile && !to.mount().permissions().contains(Permission.WRITE)) {
            FileEntry existing = statOrNull(toPath);
            if (existing != null && existing.type() == FileEntry.Type.FILE) {
                throw new PermissionDeniedException("%s: permission denied (WRITE needed to replace it)"
                        .formatted(normalize("/", toPath)));
            }
        }
        caller.run(() -> { storage.rename(from.mount().folder(), from.relative(), to.relative(), replaceFile); return null; });
    }

    /** A download of {@code virtualPath} ended after {@code bytes} bytes (for listeners of {@link FileActivity}). */
    public void downloaded(String virtualPath, long bytes) {
        Location location;
        try {
            location = locate(normalize("/", virtualPath));
        } catch (InvalidPathException e) {
            return; // the path was checked when the download began
        }
        if (location instanceof InMount in) {
            try (StorageCaller.Scope ignored = StorageCaller.enter(caller)) {
                storage.downloaded(in.mount().folder(), in.relative(), bytes);
            }
        }
    }

    /** Sets the modification time of a file or directory; needs WRITE. */
    public void setModified(String virtualPath, Instant modified) throws IOException {
        InMount in = inMount(virtualPath, Permission.WRITE, "change times");
        storage.setModified(in.mount().folder(), in.relative(), modified);
    }

    /**
     * What may be done at a path itself: its mount's permissions, less removing and renaming at a
     * mount point; LIST only in the virtual tree above the mounts; nothing elsewhere (nor at an
     * invalid path).
     */
    public Set<Permission> permissionsAt(String virtualPath) {
        Location location;
        try {
            location = locate(virtualPath);
        } catch (InvalidPathException e) {
            return EnumSet.noneOf(Permission.class);
        }
        if (location instanceof InMount in) {
            EnumSet<Permission> granted = in.mount().permissions().isEmpty()
                    ? EnumSet.noneOf(Permission.class) : EnumSet.copyOf(in.mount().permissions());
            if (in.relative().isEmpty()) {
                granted.removeAll(EnumSet.of(Permission.RENAME, Permission.RMDIR));
            }
            return granted;
        }
        return location instanceof Virtual ? EnumSet.of(Permission.LIST) : EnumSet.noneOf(Permission.class);
    }

    /** An identifier of the file itself, the same under every path that names it (null if none). */
    public String uniqueId(String virtualPath) {
        Location location;
        try {
            location = locate(virtualPath);
            if (location instanceof InMount in) {
                return storage.fileKey(in.mount().folder(), in.relative());
            }
        } catch (IOException e) {
            return null;
        }
        return location instanceof Virtual v ? "v" + Integer.toHexString(v.path().hashCode()) : null;
    }

    private InMount inMount(String virtualPath, Permission permission, String action) throws StorageException {
        String path = normalize("/", virtualPath);
        if (locate(path) instanceof InMount in) {
            require(in, permission, action, path);
            return in;
        }
        throw new PermissionDeniedException("%s: cannot %s here".formatted(path, action));
    }

    private static void require(InMount in, Permission permission, String action, String path)
            throws PermissionDeniedException {
        if (!in.mount().permissions().contains(permission)) {
            throw new PermissionDeniedException("%s: permission denied (%s needed to %s)".formatted(path, permission, action));
        }
    }

    private static String lastName(String path) {
        return path.equals("/") ? "/" : path.substring(path.lastIndexOf('/') + 1);
    }

    private static FileEntry withName(FileEntry entry, String name) {
        return new FileEntry(name, entry.type(), entry.size(), entry.modified());
    }
}
