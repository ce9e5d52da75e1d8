package io.ftpbridge.folders;

import io.ftpbridge.storage.FileEntry;
import io.ftpbridge.storage.FolderStorage;
import io.ftpbridge.storage.StorageService;
import io.ftpbridge.storage.UploadMode;
import io.ftpbridge.storage.UploadSource;
import io.ftpbridge.storage.UserFileSystem;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The tree a files endpoint serves: one folder (administrators) or an FTP user's own tree with its
 * mounts and permissions (the user itself). Every rule belongs to the implementation's storage
 * class; {@link FileTreeHttp} only speaks HTTP.
 */
public interface FileTree {

    FileEntry stat(String path) throws IOException;

    List<FileEntry> list(String path) throws IOException;

    Path readableFile(String path) throws IOException;

    StorageService.StoredFile store(String path, UploadMode mode, UploadSource body, long expectedLength) throws IOException;

    void mkdir(String path) throws IOException;

    void rename(String from, String to) throws IOException;

    void delete(String path, boolean recursive) throws IOException;

    /** A download of {@code path} went out with {@code bytes} bytes (for listeners of file actions). */
    void downloaded(String path, long bytes);

    /** A folder as an administrator sees it: every operation, no mount permissions. */
    static FileTree of(StorageService storage, FolderStorage folder) {
        return new FileTree() {
            @Override
            public FileEntry stat(String path) throws IOException {
                return storage.stat(folder, path);
            }

            @Override
            public List<FileEntry> list(String path) throws IOException {
                return storage.list(folder, path);
            }

            @Override
            public Path readableFile(String path) throws IOException {
                return storage.readableFile(folder, path);
            }

            @Override
            public StorageService.StoredFile store(String path, UploadMode mode, UploadSource body, long expectedLength)
                    throws IOException {
                return storage.store(folder, path, mode, body, expectedLength);
            }

            @Override
            public void mkdir(String path) throws IOException {
                storage.mkdir(folder, path);
            }

            @Override
            public void rename(String from, String to) throws IOException {
                storage.rename(folder, from, to);
            }

            @Override
            public void delete(String path, boolean recursive) throws IOException {
                storage.delete(folder, path, recursive);
            }

            @Override
            public void downloaded(String path, long bytes) {
                storage.downloaded(folder, path, bytes);
            }
        };
    }

    /** An FTP user's own tree: the same mount, permission and quota rules as its FTP session. */
    static FileTree of(UserFileSystem files) {
        return new FileTree() {
            @Override
            public FileEntry stat(String path) throws IOException {
                return files.stat("/" + path);
            }

            @Override
            public List<FileEntry> list(String path) throws IOException {
                return files.list("/" + path);
            }

            @Override
            public Path readableFile(String path) throws IOException {
                return files.readableFile("/" + path);
            }

            @Override
            public StorageService.StoredFile store(String path, UploadMode mode, UploadSource body, long expectedLength)
                    throws IOException {
                return files.store("/" + path, mode, body, expectedLength);
            }

            @Override
            public void mkdir(String path) throws IOException {
                files.mkdir("/" + path);
            }

            @Override
            public void rename(String from, String to) throws IOException {
                files.rename("/" + from, "/" + to);
            }

            @Override
            public void delete(String path, boolean recursive) throws IOException {
                files.delete("/" + path, recursive);
            }

            @Override
            public void downloaded(String path, long bytes) {
                files.downloaded("/" + path, bytes);
            }
        };
    }
}
