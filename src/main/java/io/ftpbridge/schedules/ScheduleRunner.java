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
import io.ftpbridge.transfers.TransferRequest;
import io.ftpbridge.transfers.TransferResponse;
import io.ftpbridge.transfers.TransferService;
import io.ftpbridge.web.NotFoundException;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.stereotype.Component;

/**
 * Fires due schedules and finishes the files of partner-folder schedules. A due time is taken with a
 * conditional update of the schedule's next due time, so it fires on exactly one instance; the next
 * due time is computed from now, so after downtime the missed times fire once, not once each.
 */
@Component
class ScheduleRunner {

    private static final Logger log = LoggerFactory.getLogger(ScheduleRunner.class);

    private final ScheduleRepository schedules;
    private final TransferService transfers;
    private final RemoteFiles remoteFiles;
    private final FolderService folders;
    private final StorageService storage;
    private final SchedulesProperties properties;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "schedules");
        t.setDaemon(true);
        return t;
    });

    ScheduleRunner(ScheduleRepository schedules, TransferService transfers, RemoteFiles remoteFiles, FolderService folders,
                   StorageService storage, SchedulesProperties properties) {
        this.schedules = schedules;
        this.transfers = transfers;
        this.remoteFiles = remoteFiles;
        this.folders = folders;
        this.storage = storage;
        this.properties = properties;
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        ticker.scheduleWithFixedDelay(this::tick, properties.pollInterval().toMillis(), properties.pollInterval().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        ticker.shutdownNow();
    }

    void tick() {
        try {
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            for (ScheduleRepository.Stored s : schedules.due(now)) {
                try {
                    handleDue(s, now);
                } catch (RuntimeException e) {
                    log.warn("Schedule firing failed: id={} name={} error={}", s.id(), s.name(), e.toString());
                }
            }
            finishFiles();
        } catch (RuntimeException e) {
            log.warn("Schedule poll failed: error={}", e.toString());
        }
    }

    private void handleDue(ScheduleRepository.Stored s, OffsetDateTime now) {
        boolean active = lastRunActive(s.id());
        if (s.queuedFire() != null && !active && schedules.claimQueued(s.id(), s.queuedFire())) {
            fire(s, s.queuedFire());
        }
        OffsetDateTime due = s.nextRunAt();
        if (due == null || due.isAfter(now)) {
            return;
        }
        OffsetDateTime next = ScheduleService.nextRun(CronExpression.parse(s.cron()), ZoneId.of(s.timeZone()), now);
        if (active && s.overlap() == ScheduleRequest.Overlap.QUEUE) {
            if (schedules.queueFire(s.id(), due, next)) {
                log.info("Schedule firing queued behind the last run: id={} name={} due={}", s.id(), s.name(), due);
            }
            return;
        }
        if (!schedules.claimDue(s.id(), due, next)) {
            return; // another instance took this due time
        }
        if (active) {
            schedules.addRun(s.id(), due, null);
            log.info("Schedule firing skipped, the last run is still active: id={} name={} due={}", s.id(), s.name(), due);
            return;
        }
        fire(s, due);
    }

    void fireNow(ScheduleRepository.Stored s) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        if (lastRunActive(s.id()) && s.overlap() == ScheduleRequest.Overlap.SKIP) {
            schedules.addRun(s.id(), now, null);
            log.info("Schedule run-now skipped, the last run is still active: id={} name={}", s.id(), s.name());
            return;
        }
        fire(s, now);
    }

    private boolean lastRunActive(long scheduleId) {
        for (long jobId : schedules.lastFiringJobs(scheduleId)) {
            try {
                if (!transfers.get(jobId).state().finished()) {
                    return true;
                }
            } catch (NotFoundException e) {
                // a job that is gone is not running
            }
        }
        return false;
    }

    private void fire(ScheduleRepository.Stored s, OffsetDateTime firedAt) {
        TransferRequest job = s.job();
        boolean perFile = Boolean.TRUE.equals(job.glob()) && (s.onlyNew() || s.afterSuccess() != ScheduleRequest.AfterSuccess.KEEP);
        if (!perFile) {
            long id = transfers.create(job).id();
            schedules.addRun(s.id(), firedAt, id);
            log.info("Schedule fired: id={} name={} due={} job={}", s.id(), s.name(), firedAt, id);
            return;
        }
        boolean download = job.direction() == Direction.DOWNLOAD;
        String source = download ? job.remotePath() : job.localPath();
        int slash = source.lastIndexOf('/');
        String dir = slash <= 0 ? "/" : source.substring(0, slash);
        PathMatcher glob = FileSystems.getDefault().getPathMatcher("glob:" + source.substring(slash + 1));
        List<FileEntry> listing = download ? remoteFiles.list(job.remote(), dir) : localListing(job.folder(), dir);
        int started = 0;
        for (FileEntry f : listing) {
            if (f.type() != FileEntry.Type.FILE || !glob.matches(Path.of(f.name()))) {
                continue;
            }
            String path = (dir.endsWith("/") ? dir : dir + "/") + f.name();
            if (schedules.seen(s.id(), path, f.size(), s.onlyNew() ? f.modified() : null, s.onlyNew())) {
                continue;
            }
            String target = download ? job.localPath() : job.remotePath();
            target = target.endsWith("/") ? target : target + "/";
            TransferRequest single = new TransferRequest(job.remote(), job.direction(), download ? path : target, job.folder(),
                    download ? target : path, false, false, false, job.overwrite(), job.dataMode(), job.transferType(), true);
            long id = transfers.create(single).id();
            schedules.addFile(s.id(), path, f.size(), f.modified(), id);
            schedules.addRun(s.id(), firedAt, id);
            started++;
        }
        if (started == 0) {
            schedules.addRun(s.id(), firedAt, null);
        }
        log.info("Schedule fired: id={} name={} due={} files={}", s.id(), s.name(), firedAt, started);
    }

    private List<FileEntry> localListing(String folder, String dir) {
        try {
            return storage.list(folders.storageOf(folder), dir.replaceAll("^/+", ""));
        } catch (IOException e) {
            throw new IllegalStateException("cannot list folder '%s' at %s: %s".formatted(folder, dir, e.getMessage()), e);
        }
    }

    /**
     * Files whose job ended: a verified success is remembered and then afterSuccess is applied to the
     * source; a failed one is forgotten, so the next firing tries it again.
     */
    private void finishFiles() {
        for (ScheduleRepository.PendingFile f : schedules.pendingFiles()) {
            TransferResponse job;
            try {
                job = transfers.get(f.jobId());
            } catch (NotFoundException e) {
                schedules.forgetFile(f.id());
                continue;
            }
            if (!job.state().finished()) {
                continue;
            }
            ScheduleRepository.Stored s = schedules.find(f.scheduleId()).orElse(null);
            if (s == null) {
                continue;
            }
            if (job.state() != JobState.SUCCEEDED || !completeAtDestination(job)) {
                if (schedules.finishFile(f.id(), "FAILED")) {
                    schedules.forgetFile(f.id());
                }
                continue;
            }
            if (schedules.finishFile(f.id(), "DONE")) {
                afterSuccess(s, f.path(), job);
            }
        }
    }

    /** The job verified its file, and the file at the destination has the size the source had. */
    private boolean completeAtDestination(TransferResponse job) {
        if (job.files().size() != 1 || job.files().get(0).state() != FileState.DONE) {
            return false;
        }
        long size = job.files().get(0).size();
        try {
            if (job.direction() == Direction.DOWNLOAD) {
                FolderStorage folder = folders.storageOf(job.folder());
                String local = job.localPath().endsWith("/")
                        ? job.localPath() + job.remotePath().substring(job.remotePath().lastIndexOf('/') + 1) : job.localPath();
                return storage.stat(folder, local.replaceAll("^/+", "")).size() == size;
            }
            String remote = job.remotePath().endsWith("/")
                    ? job.remotePath() + job.localPath().substring(job.localPath().lastIndexOf('/') + 1) : job.remotePath();
            int slash = remote.lastIndexOf('/');
            String name = remote.substring(slash + 1);
            return remoteFiles.list(job.remote(), slash <= 0 ? "/" : remote.substring(0, slash)).stream()
                    .anyMatch(e -> e.name().equals(name) && e.size() == size);
        } catch (IOException | RuntimeException e) {
            log.info("Scheduled file not confirmed at its destination: job={} error={}", job.id(), e.toString());
            return false;
        }
    }

    private void afterSuccess(ScheduleRepository.Stored s, String path, TransferResponse job) {
        if (s.afterSuccess() == ScheduleRequest.AfterSuccess.KEEP) {
            return;
        }
        boolean download = job.direction() == Direction.DOWNLOAD;
        String name = path.substring(path.lastIndexOf('/') + 1);
        String moveTo = s.moveTo() == null ? null : (s.moveTo().endsWith("/") ? s.moveTo() : s.moveTo() + "/") + name;
        try {
            if (download) {
                if (s.afterSuccess() == ScheduleRequest.AfterSuccess.DELETE) {
                    remoteFiles.delete(job.remote(), path);
                } else {
                    remoteFiles.rename(job.remote(), path, moveTo);
                }
            } else {
                FolderStorage folder = folders.storageOf(job.folder());
                StorageCaller caller = new StorageCaller("schedule:" + s.name(), "JOB");
                String relative = path.replaceAll("^/+", "");
                if (s.afterSuccess() == ScheduleRequest.AfterSuccess.DELETE) {
                    caller.run(() -> { storage.delete(folder, relative, false); return null; });
                } else {
                    caller.run(() -> { storage.rename(folder, relative, moveTo.replaceAll("^/+", ""), true); return null; });
                }
            }
            log.info("Schedule afterSuccess: id={} name={} path={} action={} job={}", s.id(), s.name(), path, s.afterSuccess(), job.id());
        } catch (IOException | RuntimeException e) {
            log.warn("Schedule afterSuccess failed: id={} name={} path={} action={} error={}", s.id(), s.name(), path,
                    s.afterSuccess(), e.toString());
        }
    }
}
