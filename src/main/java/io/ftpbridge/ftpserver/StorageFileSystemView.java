package io.ftpbridge.ftpserver;

import io.ftpbridge.storage.FileEntry;
import io.ftpbridge.storage.InvalidPathException;
import io.ftpbridge.storage.UserFileSystem;
import org.apache.ftpserver.ftplet.FileSystemView;
import org.apache.ftpserver.ftplet.FtpFile;

/** A session's working directory over its {@link UserFileSystem}. */
final class StorageFileSystemView implements FileSystemView {

    private final UserFileSystem fileSystem;
    private String workingDirectory = "/";

    StorageFileSystemView(UserFileSystem fileSystem) {
        this.fileSystem = fileSystem;
    }

    UserFileSystem fileSystem() {
        return fileSystem;
    }

    @Override
    public FtpFile getHomeDirectory() {
        return new StorageFtpFile(fileSystem, "/");
    }

    @Override
    public FtpFile getWorkingDirectory() {
        return new StorageFtpFile(fileSystem, workingDirectory);
    }

    @Override
    public boolean changeWorkingDirectory(String dir) {
        String target;
        try {
            target = UserFileSystem.normalize(workingDirectory, dir);
        } catch (InvalidPathException e) {
            return false;
        }
        FileEntry entry = fileSystem.statOrNull(target);
        if (entry == null || entry.type() != FileEntry.Type.DIRECTORY) {
            return false;
        }
        workingDirectory = target;
        return true;
    }

    @Override
    public FtpFile getFile(String file) {
        try {
            return new StorageFtpFile(fileSystem, UserFileSystem.normalize(workingDirectory, file));
        } catch (InvalidPathException e) {
            return null;
        }
    }

    @Override
    public boolean isRandomAccessible() {
        return true;
    }

    @Override
    public void dispose() {
        // nothing held open between commands
    }
}
