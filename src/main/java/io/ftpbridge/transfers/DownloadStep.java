package io.ftpbridge.transfers;

import static io.ftpbridge.transfers.JobPaths.join;

import io.ftpbridge.remotes.DataConnection;
import io.ftpbridge.remotes.RemoteChecksums;
import io.ftpbridge.remotes.RemoteSession;
import io.ftpbridge.remotes.TransferType;
import io.ftpbridge.storage.FileEntry;
import io.ftpbridge.storage.FolderStorage;
import io.ftpbridge.storage.StorageService;
import io.ftpbridge.storage.UploadMode;
import io.ftpbridge.storage.UploadStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Download: remote file -> partial file outside every folder -> verified -> moved into place. */
@Component
final class DownloadStep extends FileStep {

    private static final Logger log = LoggerFactory.getLogger(DownloadStep.class);

    DownloadStep(TransferJobRepository jobs, StorageService storage) {
        super(jobs, storage);
    }

    @Override
    void transfer(JobRun run, TransferJob job, RemoteSession session, FolderStorage folder, TransferFile file,
                  TranscriptRecorder transcript) throws IOException, FileFailure, JobRun.HaltedException {
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
        boolean binary = session.transferType() == TransferType.BINARY;
        long size = session.size(file.remotePath());
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
        long copyNanos = 0;
        if (offset == 0 || size < 0 || offset < size) {
            UploadStream out = storage.beginStaged(folder, file.localPath(), partial, offset);
            boolean complete = false;
            try {
                long started = System.nanoTime();
                DataConnection in = session.retrieveData(file.remotePath(), offset);
                run.attachStream(in);
                transcript.flush(); // the running command shows while its bytes move
                try {
                    run.copy(in, out);
                } finally {
                    in.close();
                }
                session.complete("RETR " + file.remotePath());
                copyNanos = System.nanoTime() - started;
                out.commit();
                complete = true;
            } catch (RemoteSession.Refused refused) {
                throw FileFailure.of(refused);
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
            RemoteChecksums.RemoteChecksum remote = session.checksum(file.remotePath());
            if (remote != null) {
                String local = RemoteChecksums.localChecksum(remote.algorithm(), () -> Files.newInputStream(partial));
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
        log.info("Transfer file done: id={} remote={} remotePath={} folder={} path={} bytes={} transferMillis={}", job.id(),
                job.remote(), file.remotePath(), job.folder(), file.localPath(), got, copyNanos / 1_000_000);
    }

    /** Deletes a download's partial file (a cancel, or a file that failed for good). */
    void removePartial(TransferJob job, TransferFile file) {
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
        return storage.partialFile(JobPaths.partialOwner(job.id()), file.seq() + ".part");
    }

    /** Creates the directories above a download's target that are not there yet (as {@code curl --create-dirs}). */
    private void ensureParents(FolderStorage folder, String path) throws IOException {
        List<String> names = StorageService.segments(path);
        String dir = "";
        for (int i = 0; i < names.size() - 1; i++) {
            dir = join(dir, names.get(i));
            if (statOrNull(folder, dir) == null) {
                TransferPlanner.ensureLocalDir(storage, folder, dir);
            }
        }
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
}
