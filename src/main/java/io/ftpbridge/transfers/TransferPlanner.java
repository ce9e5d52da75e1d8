package io.ftpbridge.transfers;

import static io.ftpbridge.transfers.JobPaths.baseName;
import static io.ftpbridge.transfers.JobPaths.join;
import static io.ftpbridge.transfers.JobPaths.parentOf;

import io.ftpbridge.remotes.RemoteFiles;
import io.ftpbridge.remotes.RemoteSession;
import io.ftpbridge.storage.FileEntry;
import io.ftpbridge.storage.FolderStorage;
import io.ftpbridge.storage.StorageService;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.net.ftp.FTPFile;
import org.springframework.stereotype.Component;

/**
 * The files of a job, decided once on its first connection: one file, or what a glob matches
 * (recursively if asked), with the target directories made on the way.
 */
@Component
class TransferPlanner {

    private final StorageService storage;

    TransferPlanner(StorageService storage) {
        this.storage = storage;
    }

    List<TransferFile> plan(TransferJob job, RemoteSession session, FolderStorage folder) throws IOException {
        List<TransferFile> files = new ArrayList<>();
        if (job.direction() == Direction.DOWNLOAD) {
            if (!job.glob()) {
                String local = job.localPath().endsWith("/") ? job.localPath() + baseName(job.remotePath()) : job.localPath();
                files.add(new TransferFile(job.id(), 0, job.remotePath(), local, session.size(job.remotePath()), 0, 0,
                        FileState.PENDING, null));
            } else {
                PathMatcher matcher = RemoteFiles.globMatcher("remotePath", baseName(job.remotePath()));
                ensureLocalDir(storage, folder, job.localPath());
                collectRemote(session, parentOf(job.remotePath()), "", matcher, job, folder, files);
            }
        } else {
            if (!job.glob()) {
                FileEntry entry = storage.stat(folder, job.localPath());
                String remote = job.remotePath().endsWith("/") ? job.remotePath() + baseName(job.localPath()) : job.remotePath();
                files.add(new TransferFile(job.id(), 0, remote, job.localPath(), entry.size(), 0, 0, FileState.PENDING, null));
            } else {
                PathMatcher matcher = RemoteFiles.globMatcher("localPath", baseName(job.localPath()));
                makeRemoteDir(session, job.remotePath());
                collectLocal(session, folder, parentOf(job.localPath()), "", matcher, job, files);
            }
        }
        return files;
    }

    private void collectRemote(RemoteSession session, String dir, String relative, PathMatcher matcher, TransferJob job,
                               FolderStorage folder, List<TransferFile> files) throws IOException {
        String remoteDir = join(dir, relative);
        List<FTPFile> listing;
        try {
            listing = session.list(remoteDir.isEmpty() ? null : remoteDir);
        } catch (RemoteSession.Refused refused) {
            throw new IOException("no listing of " + remoteDir + ": " + refused.reply());
        }
        for (FTPFile f : listing) {
            String name = baseName(f.getName());
            if (f.isDirectory()) {
                if (job.recursive()) {
                    ensureLocalDir(storage, folder, join(job.localPath(), join(relative, name)));
                    collectRemote(session, dir, join(relative, name), matcher, job, folder, files);
                }
            } else if (matcher.matches(Path.of(name))) {
                files.add(new TransferFile(job.id(), files.size(), join(remoteDir, name),
                        join(job.localPath(), join(relative, name)), f.getSize(), 0, 0, FileState.PENDING, null));
            }
        }
    }

    private void collectLocal(RemoteSession session, FolderStorage folder, String dir, String relative, PathMatcher matcher,
                              TransferJob job, List<TransferFile> files) throws IOException {
        String localDir = join(dir, relative);
        for (FileEntry e : storage.list(folder, localDir)) {
            if (e.type() == FileEntry.Type.DIRECTORY) {
                if (job.recursive()) {
                    makeRemoteDir(session, join(job.remotePath(), join(relative, e.name())));
                    collectLocal(session, folder, dir, join(relative, e.name()), matcher, job, files);
                }
            } else if (matcher.matches(Path.of(e.name()))) {
                files.add(new TransferFile(job.id(), files.size(), join(job.remotePath(), join(relative, e.name())),
                        join(localDir, e.name()), e.size(), 0, 0, FileState.PENDING, null));
            }
        }
    }

    private static void makeRemoteDir(RemoteSession session, String path) throws IOException {
        try {
            session.mkdir(path);
        } catch (RemoteSession.Refused exists) {
            // may exist already; a real refusal shows when the files are stored
        }
    }

    /** Makes a folder directory unless it is there (made by an earlier attempt, or already). */
    static void ensureLocalDir(StorageService storage, FolderStorage folder, String path) throws IOException {
        try {
            storage.mkdir(folder, path);
        } catch (FileAlreadyExistsException exists) {
            // made by an earlier attempt or already there
        }
    }
}
