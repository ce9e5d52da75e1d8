package io.ftpbridge.schedules;

import io.ftpbridge.folders.FolderService;
import io.ftpbridge.remotes.RemoteFiles;
import io.ftpbridge.storage.FileEntry;
import io.ftpbridge.storage.FolderStorage;
import io.ftpbridge.storage.StorageCaller;
import io.ftpbridge.storage.StorageService;
import io.ftpbridge.transfers.Direction;
import io.ftpbridge.transfers.FileState;
import io.ftpbridge.transfers.JobState;
import io.ftpbridge.transfers.TransferResponse;
import io.ftpbridge.transfers.TransferService;
import io.ftpbridge.web.NotFoundException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The files of partner-folder schedules (onlyNew, afterSuccess) after their jobs end. A file goes
 * PENDING (its job runs; it is not fetched again) → SOURCE (its copy is verified complete at the
 * destination and the source owes afterSuccess: recorded before the source is touched) → DONE.
 * An owed source action that fails or is cut short by a crash stays SOURCE and is tried again with
 * backoff, and first thing when the schedule fires again; a file in SOURCE is never fetched again.
 */
@Component
class PartnerFiles {

    private static final Logger log = LoggerFactory.getLogger(PartnerFiles.class);
    /** First retry of a refused source action; doubled per attempt up to {@link #RETRY_MAX}. */
    private static final Duration RETRY_FIRST = Duration.ofSeconds(1);
    private static final Duration RETRY_MAX = Duration.ofMinutes(5);

    private enum Verdict { COMPLETE, INCOMPLETE, UNKNOWN }

    private final ScheduleRepository schedules;
    private final TransferService transfers;
    private final RemoteFiles remoteFiles;
    private final FolderService folders;
    private final StorageService storage;

    PartnerFiles(ScheduleRepository schedules, TransferService transfers, RemoteFiles remoteFiles, FolderService folders,
                 StorageService storage) {
        this.schedules = schedules;
        this.transfers = transfers;
        this.remoteFiles = remoteFiles;
        this.folders = folders;
        this.storage = storage;
    }

    /** Settles files whose jobs ended, then runs the owed source actions that are due. */
    void finish() {
        for (ScheduleRepository.PendingFile f : schedules.pendingFiles()) {
            settleJob(f);
        }
        runOwed();
    }

    /** At startup: source actions owed before a stop or crash are tried at the first poll, whatever their backoff. */
    void resumeOwed() {
        try {
            int owed = schedules.allOwedDueNow();
            if (owed > 0) {
                log.info("Schedule afterSuccess actions owed from before the start: count={}", owed);
            }
        } catch (RuntimeException e) {
            log.warn("Owed schedule afterSuccess actions not resumed, they wait for their backoff: error={}", e.toString());
        }
    }

    /** Before a schedule lists its source again: its owed source actions are tried now, whatever their backoff. */
    void finishOwedOf(long scheduleId) {
        schedules.owedDueNow(scheduleId);
        runOwed();
    }

    private void settleJob(ScheduleRepository.PendingFile f) {
        TransferResponse job;
        try {
            job = transfers.get(f.jobId());
        } catch (NotFoundException e) {
            schedules.forgetPending(f.id());
            return;
        }
        if (!job.state().finished()) {
            return;
        }
        ScheduleRepository.Stored s = schedules.find(f.scheduleId()).orElse(null);
        if (s == null) {
            return;
        }
        if (job.state() != JobState.SUCCEEDED) {
            schedules.forgetPending(f.id());
            return;
        }
        switch (completeAtDestination(job)) {
            case UNKNOWN -> { } // the destination could not be asked: the next poll asks again
            case INCOMPLETE -> {
                if (schedules.forgetPending(f.id())) {
                    log.warn("Scheduled file not complete at its destination, fetched again next time: id={} name={} path={} job={}",
                            s.id(), s.name(), f.path(), job.id());
                }
            }
            case COMPLETE -> {
                long size = job.files().get(0).size();
                if (s.afterSuccess() == ScheduleRequest.AfterSuccess.KEEP) {
                    schedules.fileDone(f.id());
                } else if (schedules.oweSource(f.id(), size)) {
                    log.info("Schedule afterSuccess owed: id={} name={} path={} action={} job={} bytes={}", s.id(), s.name(),
                            f.path(), s.afterSuccess(), job.id(), size);
                }
            }
        }
    }

    /** The job verified its file, and the file at the destination has the size the source had. */
    private Verdict completeAtDestination(TransferResponse job) {
        if (job.files().size() != 1 || job.files().get(0).state() != FileState.DONE) {
            return Verdict.INCOMPLETE;
        }
        long size = job.files().get(0).size();
        try {
            FileEntry copy;
            if (job.direction() == Direction.DOWNLOAD) {
                String local = job.localPath().endsWith("/")
                        ? job.localPath() + baseName(job.remotePath()) : job.localPath();
                copy = localEntry(job.folder(), local);
            } else {
                String remote = job.remotePath().endsWith("/")
                        ? job.remotePath() + baseName(job.localPath()) : job.remotePath();
                copy = remoteEntry(job.remote(), remote);
            }
            return copy != null && copy.size() == size ? Verdict.COMPLETE : Verdict.INCOMPLETE;
        } catch (IOException | RuntimeException e) {
            log.info("Scheduled file not confirmed at its destination yet: job={} error={}", job.id(), e.toString());
            return Verdict.UNKNOWN;
        }
    }

    private void runOwed() {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        for (ScheduleRepository.OwedFile f : schedules.owedDue(now)) {
            ScheduleRepository.Stored s = schedules.find(f.scheduleId()).orElse(null);
            if (s == null || !schedules.claimOwed(f, now.plus(backoff(f.attempts() + 1)))) {
                continue;
            }
            TransferResponse job;
            try {
                job = transfers.get(f.jobId());
            } catch (NotFoundException e) {
                schedules.owedSettled(f.id());
                log.warn("Schedule afterSuccess dropped, its job is gone: id={} name={} path={} job={}", s.id(), s.name(),
                        f.path(), f.jobId());
                continue;
            }
            try {
                String outcome = actOnSource(s, f, job);
                schedules.owedSettled(f.id());
                log.info("Schedule afterSuccess: id={} name={} path={} action={} job={} outcome={} attempt={}", s.id(), s.name(),
                        f.path(), s.afterSuccess(), job.id(), outcome, f.attempts() + 1);
            } catch (IOException | RuntimeException e) {
                schedules.owedFailed(f.id(), e.toString());
                log.warn("Schedule afterSuccess failed, tried again later: id={} name={} path={} action={} attempt={} error={}",
                        s.id(), s.name(), f.path(), s.afterSuccess(), f.attempts() + 1, e.toString());
            }
        }
    }

    /**
     * Deletes or moves the source file, unless it is gone already (the action ran before a crash) or it
     * changed since it was fetched (a new file under the same name is not the one whose copy was verified).
     */
    private String actOnSource(ScheduleRepository.Stored s, ScheduleRepository.OwedFile f, TransferResponse job)
            throws IOException {
        if (s.afterSuccess() == ScheduleRequest.AfterSuccess.KEEP) {
            return "kept (afterSuccess is KEEP now)";
        }
        boolean download = job.direction() == Direction.DOWNLOAD;
        FileEntry source = download ? remoteEntry(job.remote(), f.path()) : localEntry(job.folder(), f.path());
        if (source == null) {
            return "gone already";
        }
        if (source.size() != f.size() || !sameTime(f.modified(), source.modified())) {
            return "left: changed since it was fetched (size %d, was %d)".formatted(source.size(), f.size());
        }
        String moveTo = s.moveTo() == null ? null : (s.moveTo().endsWith("/") ? s.moveTo() : s.moveTo() + "/") + baseName(f.path());
        boolean delete = s.afterSuccess() == ScheduleRequest.AfterSuccess.DELETE;
        if (download) {
            if (delete) {
                remoteFiles.delete(job.remote(), f.path());
            } else {
                remoteFiles.rename(job.remote(), f.path(), moveTo);
            }
        } else {
            FolderStorage folder = folders.storageOf(job.folder());
            String relative = relative(f.path());
            new StorageCaller("schedule:" + s.name(), "JOB").run(() -> {
                if (delete) {
                    storage.delete(folder, relative, false);
                } else {
                    storage.rename(folder, relative, relative(moveTo), true);
                }
                return null;
            });
        }
        return delete ? "deleted" : "moved to " + moveTo;
    }

    private FileEntry remoteEntry(String remote, String path) {
        int slash = path.lastIndexOf('/');
        String name = path.substring(slash + 1);
        return remoteFiles.list(remote, slash <= 0 ? "/" : path.substring(0, slash)).stream()
                .filter(e -> e.type() == FileEntry.Type.FILE && e.name().equals(name)).findFirst().orElse(null);
    }

    private FileEntry localEntry(String folder, String path) throws IOException {
        try {
            FileEntry entry = storage.stat(folders.storageOf(folder), relative(path));
            return entry.type() == FileEntry.Type.FILE ? entry : null;
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Times as listed then and now; the database keeps microseconds, so nanoseconds are not a change. Unknown is the same. */
    private static boolean sameTime(Instant then, Instant now) {
        return then == null || now == null || Duration.between(then, now).abs().compareTo(Duration.ofMillis(1)) < 0;
    }

    static Duration backoff(int attempt) {
        Duration d = RETRY_FIRST.multipliedBy(1L << Math.min(attempt - 1, 20));
        return d.compareTo(RETRY_MAX) > 0 ? RETRY_MAX : d;
    }

    private static String baseName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static String relative(String path) {
        return path.replaceAll("^/+", "");
    }
}
