package io.ftpbridge.ftpserver;

import io.ftpbridge.storage.StorageService;
import io.ftpbridge.storage.UserFileSystem;
import org.apache.ftpserver.ftplet.FileSystemFactory;
import org.apache.ftpserver.ftplet.FileSystemView;
import org.apache.ftpserver.ftplet.FtpException;
import org.apache.ftpserver.ftplet.User;

/** Builds each session's tree from the mounts its login carried. */
final class StorageFileSystemFactory implements FileSystemFactory {

    private final StorageService storage;

    StorageFileSystemFactory(StorageService storage) {
        this.storage = storage;
    }

    @Override
    public FileSystemView createFileSystemView(User user) throws FtpException {
        if (!(user instanceof FtpAccount account)) {
            throw new FtpException("unknown user type " + user.getClass().getName());
        }
        return new StorageFileSystemView(
                new UserFileSystem(account.getName(), account.login().mounts(), storage));
    }
}
