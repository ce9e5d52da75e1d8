package io.ftpbridge.transfers;

import io.ftpbridge.folders.FolderService;
import io.ftpbridge.remotes.RemoteConnector;
import io.ftpbridge.remotes.RemoteFiles;
import io.ftpbridge.remotes.RemoteService;
import io.ftpbridge.remotes.RemoteSettings;
import io.ftpbridge.remotes.TransferType;
import io.ftpbridge.storage.FileEntry;
import io.ftpbridge.storage.FolderStorage;
import io.ftpbridge.storage.InvalidPathException;
import io.ftpbridge.storage.QuotaExceededException;
import io.ftpbridge.storage.StorageService;
import io.ftpbridge.storage.UploadMode;
import io.ftpbridge.storage.UploadStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPFile;
import org.apache.commons.net.ftp.FTPReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Runs one claimed job to its end on the calling thread: connects (its own connection, so the
 * transcript is complete), expands globs into files once, moves each file through a temporary
 * name, verifies it and moves it into place. Broken connections are retried with backoff and
 * resume with REST from the bytes already written.
 */
@Component
class TransferRunner {

    private static final Logger log = LoggerFactory.getLogger(TransferRunner.class);
    private static final int COPY_STEP = 1024 * 1024;

    private final TransferJobRepository jobs;
    private final RemoteService remotes;
    private final RemoteConnector connector;
    private final FolderService folders;
    private final StorageService storage;
    private final TransferProperties properties;

    TransferRunner(TransferJobRepository jobs, RemoteService remotes, RemoteConnector connector,
                   FolderService folders, StorageService storage, TransferProperties properties) {
        this.jobs = jobs;
        this.remotes = remotes;
        this.connector = connector;
        this.folders = folders;
        this.storage = storage;
        this.properties = properties;
    }

    /** A file that cannot be transferred however often we retry (550, a checksum mismatch, exists). */
    static final class FileFailure extends Exception {
        FileFailure(String message) {
            super(message);
        }
    }

    void run(JobRun run, String owner) {
        long id = run.id();
        TransferJob job = jobs.find(id).orElse(null);
        if (job == null) {
            return;
        }
        log.info("Transfer job started: id={} direction={} remote={} remotePath={} folder={} localPath={} owner={}",
                id, job.direction(), job.remote(), job.remotePath(), job.folder(), job.localPath(), owner);
        Duration backoff = properties.backoffInitial();
        int tries = 0;
        while (true) {
            int attempt = jobs.countAttempt(id, owner);
            tries++;
            TranscriptRecorder transcript = new TranscriptRecorder(jobs, id, attempt, owner);
            FTPClient client = null;
            try {
                run.check();
                if (jobs.cancelRequested(id)) {
                    throw new JobRun.HaltedException(JobRun.Halt.CANCEL);
                }
                FolderStorage folder = folders.storageOf(job.folder());
                RemoteSettings settings = remotes.connectionSettings(job.remote());
                transcript.note("attempt %d by %s".formatted(attempt, owner));
                client = connector.connect(settings, job.dataMode(), transcript.listener());
                run.attach(client);
                TransferType type = job.transferType() != null ? job.transferType() : settings.transferType();
                if (type != settings.transferType()) {
                    client.setFileType(type == TransferType.ASCII ? FTP.ASCII_FILE_TYPE : FTP.BINARY_FILE_TYPE);
                }
                if (!job.planned()) {
                    jobs.plan(id, plan(job, client, folder));
                    job = jobs.find(id).orElseThrow();
                }
                List<TransferFile> files = jobs.files(id);
                run.progress().plan(files);
                String failure = null;
                boolean binary = type == TransferType.BINARY;
                ChecksumVerifier checksums = new ChecksumVerifier(client);
                for (TransferFile file : files) {
                    if (file.state() == FileState.DONE || file.state() == FileState.SKIPPED) {
                        continue;
                    }
                    run.check();
                    try {
                        if (job.direction() == Direction.DOWNLOAD) {
                            download(run, job, client, folder, file, binary, checksums, transcript);
                        } else {
                            upload(run, job, client, folder, file, binary, checksums, transcript);
                        }
                    } catch (FileFailure | FileSystemException | QuotaExceededException | StorageService.NotAFileException
                             | InvalidPathException e) {
                        // the folder refuses the file (quota, a directory in the way): retrying will not help
                        failure = file.remotePath() + ": " + e.getMessage();
                        if (job.direction() == Direction.DOWNLOAD) {
                            removePartial(job, file);
                        }
                        jobs.updateFile(id, file.seq(), FileState.FAILED, file.size(), file.baseSize(), 0, e.getMessage());
                        transcript.note("file failed: " + failure);
                        log.warn("Transfer file failed: id={} remote={} path={} folder={} error={}", id, job.remote(),
                                file.remotePath(), job.folder(), e.getMessage());
                    }
                }
                RemoteConnector.disconnectQuietly(client);
                finish(run, owner, failure == null ? JobState.SUCCEEDED : JobState.FAILED, failure);
                return;
            } catch (JobRun.HaltedException e) {
                halted(run, job, owner, e.reason);
                return;
            } catch (IOException e) {
                if (run.halt() != null) {
                    halted(run, job, owner, run.halt());
                    return;
                }
                String error = "attempt %d: %s".formatted(attempt, describe(e));
                jobs.recordError(id, error);
                log.warn("Transfer attempt failed: id={} remote={} attempt={} error={}", id, job.remote(), attempt, describe(e));
                if (tries >= properties.maxAttempts()) {
                    transcript.note("giving up after %d attempts in this run".formatted(tries));
                    finish(run, owner, JobState.FAILED, error);
                    return;
                }
                transcript.note("%s; retrying in %d ms".formatted(error, backoff.toMillis()));
                RemoteConnector.disconnectQuietly(client);
                run.detach();
                try {
                    run.pause(backoff);
                } catch (JobRun.HaltedException halted) {
                    halted(run, job, owner, halted.reason);
                    return;
                }
                backoff = backoff.multipliedBy(2);
                if (backoff.compareTo(properties.backoffMax()) > 0) {
                    backoff = properties.backoffMax();
                }
            } catch (RuntimeException e) {
                log.warn("Transfer job failed: id={} remote={} error={}", id, job.remote(), e.toString());
                transcript.note("failed: " + e.getMessage());
                finish(run, owner, JobState.FAILED, e.getMessage() == null ? e.toString() : e.getMessage());
                return;
            } finally {
                run.detach();
                if (client != null && client.isConnected()) {
                    RemoteConnector.disconnectQuietly(client);
                }
            }
        }
    }

    private void finish(JobRun run, String owner, JobState state, String error) {
        long id = run.id();
        if (jobs.finish(id, owner, state, error, run.progress().bytesDone())) {
            if (state != JobState.FAILED) { // a failed job keeps what arrived, so that a retry resumes from it
                try {
                    storage.removePartials(partialOwner(id));
                } catch (IOException | RuntimeException e) {
                    log.warn("Could not remove partial files: id={} error={}", id, e.toString());
                }
            }
            log.info("Transfer job finished: id={} state={} bytes={} error={}", id, state, run.progress().bytesDone(), error);
        }
    }

    private void halted(JobRun run, TransferJob job, String owner, JobRun.Halt reason) {
        if (reason != JobRun.Halt.CANCEL) {
            log.info("Transfer job stopped on this instance: id={} reason={} (it stays resumable)", job.id(), reason);
            return;
        }
        List<TransferFile> unfinished = jobs.files(job.id()).stream()
                .filter(f -> f.state() != FileState.DONE && f.state() != FileState.SKIPPED).toList();
        if (job.direction() == Direction.DOWNLOAD) {
            unfinished.forEach(f -> removePartial(job, f));
        }
        finish(run, owner, JobState.CANCELLED, "cancelled");
        if (job.direction() == Direction.UPLOAD && !unfinished.isEmpty()) {
            removeRemotePartials(job, owner, unfinished);
        }
    }

    /** Deletes a download's partial file (a cancel, or a file that failed for good). */
    private void removePartial(TransferJob job, TransferFile file) {
        Path partial = partialFile(job, file);
        try {
            Files.deleteIfExists(partial);
        } catch (IOException | RuntimeException e) {
            log.warn("Could not remove partial file: id={} folder={} path={} error={}", job.id(), job.folder(),
                    file.localPath(), e.toString());
        }
    }

    /**
     * Where a download keeps a file until it is complete and verified: in the partials directory,
     * outside every folder, so no FTP or REST user can plant or change its bytes.
     */
    private Path partialFile(TransferJob job, TransferFile file) {
        return storage.partialFile(partialOwner(job.id()), file.seq() + ".part");
    }

    private static String partialOwner(long jobId) {
        return "job" + jobId;
    }

    /** After a cancelled upload: one more connection to delete the temporary files on the server. */
    private void removeRemotePartials(TransferJob job, String owner, List<TransferFile> unfinished) {
        int attempt = jobs.find(job.id()).map(TransferJob::attempts).orElse(0);
        TranscriptRecorder transcript = new TranscriptRecorder(jobs, job.id(), attempt, owner);
        transcript.note("cancelled: removing temporary files on the server");
        FTPClient client = null;
        try {
            client = connector.connect(remotes.connectionSettings(job.remote()), job.dataMode(), transcript.listener());
            for (TransferFile f : unfinished) {
                client.deleteFile(partialName(f.remotePath(), job.id()));
            }
        } catch (IOException | RuntimeException e) {
            log.warn("Could not remove remote partial files: id={} remote={} error={}", job.id(), job.remote(), e.toString());
        } finally {
            RemoteConnector.disconnectQuietly(client);
        }
    }

    // ---- planning: the files of a job

    private List<TransferFile> plan(TransferJob job, FTPClient client, FolderStorage folder)
            throws IOException, JobRun.HaltedException {
        List<TransferFile> files = new ArrayList<>();
        if (job.direction() == Direction.DOWNLOAD) {
            if (!job.glob()) {
                String local = job.localPath().endsWith("/") ? job.localPath() + baseName(job.remotePath()) : job.localPath();
                files.add(new TransferFile(job.id(), 0, job.remotePath(), local, sizeOf(client, job.remotePath()), 0, 0,
                        FileState.PENDING, null));
            } else {
                PathMatcher matcher = RemoteFiles.globMatcher("remotePath", baseName(job.remotePath()));
                ensureLocalDir(folder, job.localPath());
                collectRemote(client, parentOf(job.remotePath()), "", matcher, job, folder, files);
            }
        } else {
            if (!job.glob()) {
                FileEntry entry = storage.stat(folder, job.localPath());
                String remote = job.remotePath().endsWith("/") ? job.remotePath() + baseName(job.localPath()) : job.remotePath();
                files.add(new TransferFile(job.id(), 0, remote, job.localPath(), entry.size(), 0, 0, FileState.PENDING, null));
            } else {
                PathMatcher matcher = RemoteFiles.globMatcher("localPath", baseName(job.localPath()));
                client.makeDirectory(job.remotePath()); // the target directory; may exist already
                collectLocal(client, folder, parentOf(job.localPath()), "", matcher, job, files);
            }
        }
        return files;
    }

    private void collectRemote(FTPClient client, String dir, String relative, PathMatcher matcher, TransferJob job,
                               FolderStorage folder, List<TransferFile> files) throws IOException {
        String remoteDir = join(dir, relative);
        FTPFile[] listing = client.listFiles(remoteDir.isEmpty() ? null : remoteDir);
        if (listing == null) {
            throw new IOException("no listing of " + remoteDir + ": " + client.getReplyString().trim());
        }
        for (FTPFile f : listing) {
            if (f == null || f.getName().equals(".") || f.getName().equals("..")) {
                continue;
            }
            String name = baseName(f.getName());
            if (f.isDirectory()) {
                if (job.recursive()) {
                    ensureLocalDir(folder, join(job.localPath(), join(relative, name)));
                    collectRemote(client, dir, join(relative, name), matcher, job, folder, files);
                }
            } else if (matcher.matches(Path.of(name))) {
                files.add(new TransferFile(job.id(), files.size(), join(remoteDir, name),
                        join(job.localPath(), join(relative, name)), f.getSize(), 0, 0, FileState.PENDING, null));
            }
        }
    }

    private void collectLocal(FTPClient client, FolderStorage folder, String dir, String relative, PathMatcher matcher,
                              TransferJob job, List<TransferFile> files) throws IOException {
        String localDir = join(dir, relative);
        for (FileEntry e : storage.list(folder, localDir)) {
            if (e.type() == FileEntry.Type.DIRECTORY) {
                if (job.recursive()) {
                    client.makeDirectory(join(job.remotePath(), join(relative, e.name()))); // may exist already
                    collectLocal(client, folder, dir, join(relative, e.name()), matcher, job, files);
                }
            } else if (matcher.matches(Path.of(e.name()))) {
                files.add(new TransferFile(job.id(), files.size(), join(job.remotePath(), join(relative, e.name())),
                        join(localDir, e.name()), e.size(), 0, 0, FileState.PENDING, null));
            }
        }
    }

    /** Creates the directories above a download's target that are not there yet (as {@code curl --create-dirs}). */
    private void ensureParents(FolderStorage folder, String path) throws IOException {
        List<String> names = StorageService.segments(path);
        String dir = "";
        for (int i = 0; i < names.size() - 1; i++) {
            dir = join(dir, names.get(i));
            if (statOrNull(folder, dir) == null) {
                ensureLocalDir(folder, dir);
            }
        }
    }

    private void ensureLocalDir(FolderStorage folder, String path) throws IOException {
        try {
            storage.mkdir(folder, path);
        } catch (FileAlreadyExistsException exists) {
            // made by an earlier attempt or already there
        }
    }

    // ---- download: remote file -> temporary name in the folder -> verified -> moved into place

    private void download(JobRun run, TransferJob job, FTPClient client, FolderStorage folder, TransferFile file,
                          boolean binary, ChecksumVerifier checksums, TranscriptRecorder transcript)
            throws IOException, FileFailure, JobRun.HaltedException {
        Path partial = partialFile(job, file);
        FileEntry target = statOrNull(folder, file.localPath());
        Long part = Files.isRegularFile(partial) ? Files.size(partial) : null;
        if (target != null && !job.append() && part == null && file.state() == FileState.PENDING) {
            if (job.overwrite() == Overwrite.SKIP) {
                skip(run, job, file, transcript, "exists in the folder");
                return;
            }
            if (job.overwrite() == Overwrite.FAIL) {
                throw new FileFailure("exists in folder '%s' and overwrite is FAIL".formatted(job.folder()));
            }
        }
        long size = sizeOf(client, file.remotePath());
        if (size < 0) {
            size = file.size();
        }
        ensureParents(folder, file.localPath());
        long offset = binary && part != null ? part : 0;
        if (size >= 0 && offset > size) {
            offset = 0;
        }
        jobs.updateFile(job.id(), file.seq(), FileState.RUNNING, size, 0, offset, null);
        run.progress().add(offset - file.bytesDone());
        if (offset == 0 || size < 0 || offset < size) {
            UploadStream out = storage.beginStaged(folder, file.localPath(), partial, offset);
            boolean complete = false;
            try {
                if (offset > 0) {
                    client.setRestartOffset(offset);
                }
                InputStream in = client.retrieveFileStream(file.remotePath());
                if (in == null) {
                    throw failure(client, "RETR " + file.remotePath());
                }
                run.attachStream(in);
                try {
                    copy(run, in, out);
                } finally {
                    in.close();
                }
                if (!client.completePendingCommand()) {
                    throw failure(client, "RETR " + file.remotePath());
                }
                out.commit();
                complete = true;
            } finally {
                if (!complete) {
                    out.abort(true); // keep what arrived: the next attempt resumes from it
                }
            }
        }
        long got = Files.size(partial);
        if (job.verify() && binary) {
            if (size >= 0 && got != size) {
                Files.delete(partial);
                throw new FileFailure("size mismatch: remote %d bytes, received %d".formatted(size, got));
            }
            ChecksumVerifier.RemoteChecksum remote = checksums.remoteChecksum(file.remotePath());
            if (remote != null) {
                String local = ChecksumVerifier.localChecksum(remote.algorithm(), () -> Files.newInputStream(partial));
                transcript.note("verify %s %s remote=%s local=%s".formatted(file.remotePath(), remote.algorithm(), remote.hex(), local));
                if (!local.equals(remote.hex())) {
                    Files.delete(partial);
                    throw new FileFailure("%s mismatch: remote %s, local %s".formatted(remote.algorithm(), remote.hex(), local));
                }
            }
        }
        if (job.append()) {
            appendLocal(folder, partial, file.localPath());
        } else {
            storage.placeStaged(folder, partial, file.localPath()); // replaces the file atomically
        }
        jobs.updateFile(job.id(), file.seq(), FileState.DONE, got, 0, got, null);
        run.progress().fileFinished();
        log.info("Transfer file done: id={} remote={} remotePath={} folder={} path={} bytes={}", job.id(), job.remote(),
                file.remotePath(), job.folder(), file.localPath(), got);
    }

    private void appendLocal(FolderStorage folder, Path partial, String target) throws IOException {
        UploadStream out = storage.beginUpload(folder, target, UploadMode.APPEND, 0);
        boolean complete = false;
        try (InputStream in = Files.newInputStream(partial)) {
            in.transferTo(out);
            out.commit();
            complete = true;
        } finally {
            if (!complete) {
                out.abort(false);
            }
        }
        Files.delete(partial);
    }

    // ---- upload: folder file -> temporary name on the server -> verified -> renamed into place

    private void upload(JobRun run, TransferJob job, FTPClient client, FolderStorage folder, TransferFile file,
                        boolean binary, ChecksumVerifier checksums, TranscriptRecorder transcript)
            throws IOException, FileFailure, JobRun.HaltedException {
        FileEntry local = statOrNull(folder, file.localPath());
        if (local == null) {
            throw new FileFailure("no longer in folder '%s'".formatted(job.folder()));
        }
        long size = local.size();
        String target = file.remotePath();
        String written;
        long base = 0;
        long offset;
        if (job.append()) {
            base = file.state() == FileState.PENDING ? Math.max(0, sizeOf(client, target)) : file.baseSize();
            offset = binary ? Math.max(0, sizeOf(client, target) - base) : 0;
            written = target;
        } else {
            if (file.state() == FileState.PENDING && sizeOf(client, target) >= 0) {
                if (job.overwrite() == Overwrite.SKIP) {
                    skip(run, job, file, transcript, "exists on the remote server");
                    return;
                }
                if (job.overwrite() == Overwrite.FAIL) {
                    throw new FileFailure("exists on remote '%s' and overwrite is FAIL".formatted(job.remote()));
                }
            }
            written = partialName(target, job.id());
            offset = binary ? Math.max(0, sizeOf(client, written)) : 0;
        }
        if (offset > size) {
            offset = 0;
        }
        jobs.updateFile(job.id(), file.seq(), FileState.RUNNING, size, base, offset, null);
        run.progress().add(offset - file.bytesDone());
        if (offset == 0 || offset < size) {
            try (InputStream in = storage.openRead(folder, file.localPath(), offset)) {
                if (offset > 0 && !job.append()) {
                    client.setRestartOffset(offset);
                }
                OutputStream out = job.append() ? client.appendFileStream(written) : client.storeFileStream(written);
                if (out == null) {
                    throw failure(client, (job.append() ? "APPE " : "STOR ") + written);
                }
                run.attachStream(out);
                try {
                    copy(run, in, out);
                } finally {
                    out.close();
                }
                if (!client.completePendingCommand()) {
                    throw failure(client, "STOR " + written);
                }
            }
        }
        if (job.verify() && binary) {
            long remoteSize = sizeOf(client, written);
            if (remoteSize >= 0 && remoteSize != base + size) {
                if (!job.append()) {
                    client.deleteFile(written); // our temporary file; in append mode it is the user's file
                }
                throw new FileFailure("size mismatch: sent %d bytes, remote has %d".formatted(base + size, remoteSize));
            }
            ChecksumVerifier.RemoteChecksum remote = job.append() ? null : checksums.remoteChecksum(written);
            if (remote != null) {
                String localSum = ChecksumVerifier.localChecksum(remote.algorithm(), () -> storage.openRead(folder, file.localPath(), 0));
                transcript.note("verify %s %s remote=%s local=%s".formatted(target, remote.algorithm(), remote.hex(), localSum));
                if (!localSum.equals(remote.hex())) {
                    client.deleteFile(written);
                    throw new FileFailure("%s mismatch: remote %s, local %s".formatted(remote.algorithm(), remote.hex(), localSum));
                }
            }
        }
        if (!job.append()) {
            if (sizeOf(client, target) >= 0) {
                client.deleteFile(target); // some servers refuse RNTO onto an existing file
            }
            if (!client.rename(written, target)) {
                throw failure(client, "RNTO " + target);
            }
        }
        jobs.updateFile(job.id(), file.seq(), FileState.DONE, size, base, size, null);
        run.progress().fileFinished();
        log.info("Transfer file done: id={} remote={} remotePath={} folder={} path={} bytes={}", job.id(), job.remote(),
                target, job.folder(), file.localPath(), size);
    }

    private void skip(JobRun run, TransferJob job, TransferFile file, TranscriptRecorder transcript, String why) {
        jobs.updateFile(job.id(), file.seq(), FileState.SKIPPED, file.size(), 0, 0, why);
        transcript.note("skipped %s: %s (overwrite SKIP)".formatted(file.remotePath(), why));
        run.progress().fileFinished();
    }

    /**
     * Copies in steps of at least half of a 1 MiB buffer (gathering network reads), so that disk
     * writes, quota checks, socket writes and progress updates happen per large chunk.
     */
    private static void copy(JobRun run, InputStream in, OutputStream out) throws IOException, JobRun.HaltedException {
        byte[] buffer = new byte[COPY_STEP];
        try {
            while (true) {
                int filled = 0;
                while (filled < COPY_STEP / 2) {
                    int n = in.read(buffer, filled, COPY_STEP - filled);
                    if (n < 0) {
                        break;
                    }
                    filled += n;
                }
                if (filled == 0) {
                    return;
                }
                run.check();
                out.write(buffer, 0, filled);
                run.progress().add(filled);
            }
        } catch (IOException e) {
            run.check(); // a stream closed by cancel or shutdown is not a fault to retry
            throw e;
        }
    }

    /** A refused command: 5xx is the file's fault and final, anything else is worth a retry. */
    private static IOException failure(FTPClient client, String what) throws FileFailure {
        int code = client.getReplyCode();
        String reply = client.getReplyString() == null ? "" : client.getReplyString().trim();
        if (FTPReply.isNegativePermanent(code)) {
            throw new FileFailure(what + " refused: " + reply);
        }
        return new IOException(what + " failed: " + reply);
    }

    /** SIZE of a remote file, or -1 when the server will not say (absent, or no SIZE). */
    private static long sizeOf(FTPClient client, String path) throws IOException {
        int code = client.sendCommand("SIZE", path);
        if (code == FTPReply.FILE_STATUS) {
            try {
                return Long.parseLong(client.getReplyString().trim().substring(4).trim());
            } catch (RuntimeException e) {
                return -1;
            }
        }
        if (code == FTPReply.SERVICE_NOT_AVAILABLE) {
            throw new IOException("server closing: " + client.getReplyString().trim());
        }
        return -1;
    }

    private FileEntry statOrNull(FolderStorage folder, String path) throws IOException {
        try {
            return storage.stat(folder, path);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** The job's temporary name for a file it uploads to a remote server: beside it, owned by this job. */
    static String partialName(String path, long jobId) {
        return join(parentOf(path), StorageService.partialName(baseName(path), "job" + jobId));
    }

    static String baseName(String path) {
        String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return p.substring(p.lastIndexOf('/') + 1);
    }

    static String parentOf(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : slash == 0 ? "/" : path.substring(0, slash);
    }

    static String join(String dir, String name) {
        if (name.isEmpty()) {
            return dir;
        }
        if (dir.isEmpty()) {
            return name;
        }
        return dir.endsWith("/") ? dir + name : dir + "/" + name;
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
