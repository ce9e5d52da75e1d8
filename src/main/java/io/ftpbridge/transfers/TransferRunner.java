package io.ftpbridge.transfers;

import io.ftpbridge.folders.FolderService;
import io.ftpbridge.remotes.RemoteClientPools;
import io.ftpbridge.remotes.RemoteService;
import io.ftpbridge.remotes.RemoteSession;
import io.ftpbridge.remotes.RemoteSettings;
import io.ftpbridge.storage.FileBusyException;
import io.ftpbridge.storage.FolderStorage;
import io.ftpbridge.storage.InvalidPathException;
import io.ftpbridge.storage.PermissionDeniedException;
import io.ftpbridge.storage.StorageException;
import io.ftpbridge.storage.StorageService;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Runs one claimed job to its end on the calling thread: takes a session from the remote's pool
 * (an idle logged-in client, else a new connection; its whole control conversation goes to the
 * transcript), has the {@link TransferPlanner} expand globs into files once and a
 * {@link DownloadStep} or {@link UploadStep} move each file. Broken connections are retried with
 * backoff and resume with REST from the bytes already written. Only a session whose every file
 * went through is given back to the pool; after any failure, cancel or retry it is closed.
 */
@Component
class TransferRunner {

    private static final Logger log = LoggerFactory.getLogger(TransferRunner.class);

    private final TransferJobRepository jobs;
    private final RemoteService remotes;
    private final RemoteClientPools pools;
    private final FolderService folders;
    private final StorageService storage;
    private final TransferProperties properties;
    private final TransferPlanner planner;
    private final DownloadStep download;
    private final UploadStep upload;

    TransferRunner(TransferJobRepository jobs, RemoteService remotes, RemoteClientPools pools,
                   FolderService folders, StorageService storage, TransferProperties properties,
                   TransferPlanner planner, DownloadStep download, UploadStep upload) {
        this.jobs = jobs;
        this.remotes = remotes;
        this.pools = pools;
        this.folders = folders;
        this.storage = storage;
        this.properties = properties;
        this.planner = planner;
        this.download = download;
        this.upload = upload;
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
            RemoteSession session = null;
            try {
                run.check();
                if (jobs.cancelRequested(id)) {
                    throw new JobRun.HaltedException(JobRun.Halt.CANCEL);
                }
                FolderStorage folder = folders.storageOf(job.folder());
                RemoteSettings settings = remotes.connectionSettings(job.remote());
                transcript.note("attempt %d by %s".formatted(attempt, owner));
                session = pools.jobSession(settings, job.dataMode(), transcript.lines());
                run.attach(session);
                if (job.transferType() != null) {
                    session.transferType(job.transferType());
                }
                if (!job.planned()) {
                    jobs.plan(id, planner.plan(job, session, folder));
                    job = jobs.find(id).orElseThrow();
                }
                List<TransferFile> files = jobs.files(id);
                run.progress().plan(files);
                String failure = null;
                FileStep step = job.direction() == Direction.DOWNLOAD ? download : upload;
                for (TransferFile file : files) {
                    if (file.state() == FileState.DONE || file.state() == FileState.SKIPPED) {
                        continue;
                    }
                    run.check();
                    try {
                        step.transfer(run, job, session, folder, file, transcript);
                        transcript.flush();
                    } catch (FileBusyException busy) {
                        throw busy; // another write holds the file: worth another attempt
                    } catch (FileFailure | FileSystemException | StorageException e) {
                        // the folder refuses the file (quota, a directory in the way): retrying will not help
                        failure = file.remotePath() + ": " + e.getMessage();
                        if (job.direction() == Direction.DOWNLOAD) {
                            download.removePartial(job, file);
                        }
                        jobs.updateFile(id, file.seq(), FileState.FAILED, file.size(), file.baseSize(), 0, e.getMessage());
                        transcript.note("file failed: " + failure);
                        log.warn("Transfer file failed: id={} remote={} path={} folder={} error={}", id, job.remote(),
                                file.remotePath(), job.folder(), e.getMessage());
                    }
                }
                run.detach(); // a cancel from now on must not reach a connection back in the pool
                if (failure == null) {
                    session.close(); // clean: back to the pool
                    session = null;
                }
                finish(run, owner, failure == null ? JobState.SUCCEEDED : JobState.FAILED, failure, transcript);
                return;
            } catch (JobRun.HaltedException e) {
                halted(run, job, owner, e.reason, transcript);
                return;
            } catch (InvalidPathException | PermissionDeniedException e) {
                // planning met a path the folder refuses: no later attempt will see it differently
                failed(run, job, owner, transcript, e);
                return;
            } catch (IOException e) {
                if (run.halt() != null) {
                    halted(run, job, owner, run.halt(), transcript);
                    return;
                }
                String error = "attempt %d: %s".formatted(attempt, describe(e));
                jobs.recordError(id, error);
                log.warn("Transfer attempt failed: id={} remote={} attempt={} error={}", id, job.remote(), attempt, describe(e));
                if (tries >= properties.maxAttempts()) {
                    transcript.note("giving up after %d attempts in this run".formatted(tries));
                    finish(run, owner, JobState.FAILED, error, transcript);
                    return;
                }
                transcript.note("%s; retrying in %d ms".formatted(error, backoff.toMillis()));
                transcript.flush();
                run.detach();
                discard(session);
                session = null;
                try {
                    run.pause(backoff);
                } catch (JobRun.HaltedException halted) {
                    halted(run, job, owner, halted.reason, transcript);
                    return;
                }
                backoff = backoff.multipliedBy(2);
                if (backoff.compareTo(properties.backoffMax()) > 0) {
                    backoff = properties.backoffMax();
                }
            } catch (RuntimeException e) {
                failed(run, job, owner, transcript, e);
                return;
            } finally {
                run.detach();
                discard(session);
                transcript.flush(); // the lines of closing the session after a failure
            }
        }
    }

    private void failed(JobRun run, TransferJob job, String owner, TranscriptRecorder transcript, Exception e) {
        log.warn("Transfer job failed: id={} remote={} error={}", job.id(), job.remote(), e.toString());
        transcript.note("failed: " + e.getMessage());
        finish(run, owner, JobState.FAILED, e.getMessage() == null ? e.toString() : e.getMessage(), transcript);
    }

    /** Ends the job in {@code state}, its transcript written first: whoever sees the final state sees every line. */
    private void finish(JobRun run, String owner, JobState state, String error, TranscriptRecorder transcript) {
        transcript.flush();
        long id = run.id();
        if (jobs.finish(id, owner, state, error, run.progress().bytesDone())) {
            if (state != JobState.FAILED) { // a failed job keeps what arrived, so that a retry resumes from it
                try {
                    storage.removePartials(JobPaths.partialOwner(id));
                } catch (IOException | RuntimeException e) {
                    log.warn("Could not remove partial files: id={} error={}", id, e.toString());
                }
            }
            log.info("Transfer job finished: id={} state={} bytes={} error={}", id, state, run.progress().bytesDone(), error);
        }
    }

    private void halted(JobRun run, TransferJob job, String owner, JobRun.Halt reason, TranscriptRecorder transcript) {
        if (reason != JobRun.Halt.CANCEL) {
            log.info("Transfer job stopped on this instance: id={} reason={} (it stays resumable)", job.id(), reason);
            return;
        }
        List<TransferFile> unfinished = jobs.files(job.id()).stream()
                .filter(f -> f.state() != FileState.DONE && f.state() != FileState.SKIPPED).toList();
        if (job.direction() == Direction.DOWNLOAD) {
            unfinished.forEach(f -> download.removePartial(job, f));
        }
        finish(run, owner, JobState.CANCELLED, "cancelled", transcript);
        if (job.direction() == Direction.UPLOAD && !unfinished.isEmpty()) {
            removeRemotePartials(job, owner, unfinished);
        }
    }

    /** After a cancelled upload: one more connection to delete the temporary files on the server. */
    private void removeRemotePartials(TransferJob job, String owner, List<TransferFile> unfinished) {
        int attempt = jobs.find(job.id()).map(TransferJob::attempts).orElse(0);
        TranscriptRecorder transcript = new TranscriptRecorder(jobs, job.id(), attempt, owner);
        transcript.note("cancelled: removing temporary files on the server");
        RemoteSession session = null;
        try {
            session = pools.jobSession(remotes.connectionSettings(job.remote()), job.dataMode(), transcript.lines());
            for (TransferFile f : unfinished) {
                FileStep.deleteIfAllowed(session, JobPaths.partialName(f.remotePath(), job.id()));
            }
            session.close();
            session = null;
        } catch (IOException | RuntimeException e) {
            log.warn("Could not remove remote partial files: id={} remote={} error={}", job.id(), job.remote(), e.toString());
        } finally {
            discard(session);
            transcript.flush();
        }
    }

    /** Closes a session that failed, was cancelled or may be mid-command: never back to the pool. */
    private static void discard(RemoteSession session) {
        if (session != null) {
            session.broken();
            session.close();
        }
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
