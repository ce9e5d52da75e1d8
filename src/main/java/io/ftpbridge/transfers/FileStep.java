package io.ftpbridge.transfers;

import io.ftpbridge.remotes.RemoteSession;
import io.ftpbridge.storage.FileEntry;
import io.ftpbridge.storage.FolderStorage;
import io.ftpbridge.storage.StorageService;
import java.io.IOException;
import java.nio.file.NoSuchFileException;

/**
 * Moves one file of a job in one direction: through a temporary name, verified, then into place.
 * A {@link FileFailure} fails the file for good; an {@link IOException} is a broken connection
 * that the runner retries.
 */
abstract sealed class FileStep permits DownloadStep, UploadStep {

    protected final TransferJobRepository jobs;
    protected final StorageService storage;

    FileStep(TransferJobRepository jobs, StorageService storage) {
        this.jobs = jobs;
        this.storage = storage;
    }

    abstract void transfer(JobRun run, TransferJob job, RemoteSession session, FolderStorage folder, TransferFile file,
                           TranscriptRecorder transcript) throws IOException, FileFailure, JobRun.HaltedException;

    protected void skip(JobRun run, TransferJob job, TransferFile file, TranscriptRecorder transcript, String why) {
        jobs.updateFile(job.id(), file.seq(), FileState.SKIPPED, file.size(), 0, 0, why);
        transcript.note("skipped %s: %s (overwrite SKIP)".formatted(file.remotePath(), why));
        run.progress().fileFinished();
    }

    protected FileEntry statOrNull(FolderStorage folder, String path) throws IOException {
        try {
            return storage.stat(folder, path);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Deletes a remote file if the server lets us (our own temporary file; a refusal changes nothing). */
    protected static void deleteIfAllowed(RemoteSession session, String path) throws IOException {
        try {
            session.delete(path);
        } catch (RemoteSession.Refused ignored) {
            // absent, or the server keeps it
        }
    }
}
