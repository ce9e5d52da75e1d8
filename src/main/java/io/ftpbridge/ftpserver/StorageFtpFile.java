package io.ftpbridge.ftpserver;

import io.ftpbridge.storage.FileEntry;
import io.ftpbridge.storage.InvalidPathException;
import io.ftpbridge.storage.Access;
import io.ftpbridge.storage.PermissionDeniedException;
import io.ftpbridge.storage.UploadMode;
import io.ftpbridge.storage.UploadStream;
import io.ftpbridge.storage.UserFileSystem;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import org.apache.ftpserver.ftplet.FtpFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A path of a user's tree as MINA's commands see it. Every answer and every change goes through
 * {@link UserFileSystem}, which holds the permission, path and quota rules.
 */
final class StorageFtpFile implements FtpFile {

    private static final Logger log = LoggerFactory.getLogger(StorageFtpFile.class);

    private final UserFileSystem fileSystem;
    private final String path;
    private FileEntry entry;
    private boolean statted;
    private boolean listed;

    StorageFtpFile(UserFileSystem fileSystem, String path) {
        this.fileSystem = fileSystem;
        this.path = path;
    }

    /** An entry of a directory listing. */
    private StorageFtpFile(UserFileSystem fileSystem, String path, FileEntry entry) {
        this(fileSystem, path);
        this.entry = entry;
        this.statted = true;
        this.listed = true;
    }

    String path() {
        return path;
    }

    /** A RETR of this file ended after {@code bytes} bytes. */
    void downloaded(long bytes) {
        fileSystem.downloaded(path, bytes);
    }

    private FileEntry entry() {
        if (!statted) {
            entry = fileSystem.statOrNull(path);
            statted = true;
        }
        return entry;
    }

    @Override
    public String getAbsolutePath() {
        return path;
    }

    @Override
    public String getName() {
        return path.equals("/") ? "/" : path.substring(path.lastIndexOf('/') + 1);
    }

    @Override
    public boolean isHidden() {
        // as ls: LIST and NLST of a directory leave its dot files out unless given -a; named, one is shown
        return listed && getName().startsWith(".");
    }

    @Override
    public boolean isDirectory() {
        return entry() != null && entry().type() == FileEntry.Type.DIRECTORY;
    }

    @Override
    public boolean isFile() {
        return entry() != null && entry().type() == FileEntry.Type.FILE;
    }

    @Override
    public boolean doesExist() {
        return entry() != null;
    }

    @Override
    public boolean isReadable() {
        return fileSystem.allows(path, isDirectory() ? Access.LIST : Access.READ);
    }

    /** Coarse answer MINA asks before STOR, APPE, MKD and RNTO; the operation itself checks exactly. */
    @Override
    public boolean isWritable() {
        return fileSystem.allows(path, Access.MODIFY);
    }

    @Override
    public boolean isRemovable() {
        return fileSystem.allows(path, isDirectory() ? Access.RMDIR : Access.DELETE);
    }

    @Override
    public String getOwnerName() {
        return fileSystem.username();
    }

    @Override
    public String getGroupName() {
        return "ftp";
    }

    @Override
    public int getLinkCount() {
        return isDirectory() ? 3 : 1;
    }

    @Override
    public long getLastModified() {
        return entry() == null ? 0 : entry().modified().toEpochMilli();
    }

    @Override
    public boolean setLastModified(long time) {
        return false;
    }

    @Override
    public long getSize() {
        return entry() == null ? 0 : entry().size();
    }

    @Override
    public Object getPhysicalFile() {
        return path;
    }

    @Override
    public boolean mkdir() {
        return attempt("MKD", () -> fileSystem.mkdir(path));
    }

    @Override
    public boolean delete() {
        boolean directory = isDirectory();
        return attempt(directory ? "RMD" : "DELE",
                () -> {
                    if (directory) {
                        fileSystem.removeDirectory(path);
                    } else {
                        fileSystem.deleteFile(path);
                    }
                });
    }

    @Override
    public boolean move(FtpFile destination) {
        return attempt("RNTO", () -> fileSystem.rename(path, destination.getAbsolutePath()));
    }

    @Override
    public List<? extends FtpFile> listFiles() {
        try {
            String prefix = path.equals("/") ? "/" : path + "/";
            return fileSystem.list(path).stream()
                    .map(e -> new StorageFtpFile(fileSystem, prefix + e.name(), e))
                    .toList();
        } catch (IOException e) {
            log.info("FTP listing refused: user={} path={} reason={}", fileSystem.username(), path, e.getMessage());
            return null;
        }
    }

    /** Used by STOU; STOR and APPE go through {@link UploadCommand}, which can answer 552. */
    @Override
    public OutputStream createOutputStream(long offset) throws IOException {
        return openUpload(offset > 0 ? UploadMode.RESUME : UploadMode.REPLACE, offset);
    }

    UploadStream openUpload(UploadMode mode, long offset) throws IOException {
        return fileSystem.beginUpload(path, mode, offset);
    }

    @Override
    public InputStream createInputStream(long offset) throws IOException {
        try {
            return fileSystem.openRead(path, offset);
        } catch (PermissionDeniedException | InvalidPathException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private interface Operation {
        void run() throws IOException;
    }

    private boolean attempt(String command, Operation operation) {
        try {
            operation.run();
            log.info("FTP {}: user={} path={}", command, fileSystem.username(), path);
            return true;
        } catch (IOException e) {
            log.info("FTP {} refused: user={} path={} reason={}", command, fileSystem.username(), path, e.getMessage());
            return false;
        }
    }
}
