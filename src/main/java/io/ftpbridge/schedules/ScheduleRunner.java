package io.ftpbridge.schedules;

import io.ftpbridge.folders.FolderService;
import io.ftpbridge.remotes.RemoteFiles;
import io.ftpbridge.storage.FileEntry;
import io.ftpbridge.storage.StorageService;
import io.ftpbridge.support.RepeatedFailures;
import io.ftpbridge.transfers.Direction;
import io.ftpbridge.transfers.TransferRequest;
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
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Fires due schedules (the files of partner-folder schedules are {@link PartnerFiles}'s). A due time is taken with a
 * conditional update of the schedule's next due time, so it fires on exactly one instance; the next
 * due time is computed from now, so after downtime the missed times fire once, not once each.
 */
@Component
class ScheduleRunner {

    private static final Logger log = LoggerFactory.getLogger(ScheduleRunner.class);
    private final RepeatedFailures pollFailures = new RepeatedFailures();

    private final ScheduleRepository schedules;
    private final TransferService transfers;
    private final RemoteFiles remoteFiles;
    private final FolderService folders;
    private final StorageService storage;
    private final SchedulesProperties properties;
    private final PartnerFiles partnerFiles;
    private final TransactionTemplate transaction;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "schedules");
        t.setDaemon(true);
        return t;
    });

    ScheduleRunner(ScheduleRepository schedules, TransferService transfers, RemoteFiles remoteFiles, FolderService folders,
                   StorageService storage, SchedulesProperties properties, PartnerFiles partnerFiles,
                   PlatformTransactionManager transactions) {
        this.schedules = schedules;
        this.transfers = transfers;
        this.remoteFiles = remoteFiles;
        this.folders = folders;
        this.storage = storage;
        this.properties = properties;
        this.partnerFiles = partnerFiles;
        this.transaction = new TransactionTemplate(transactions);
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        ticker.execute(partnerFiles::resumeOwed);
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
            partnerFiles.finish();
            int ended = pollFailures.succeeded();
            if (ended > 0) {
                log.info("Schedule polls work again: failedPolls={}", ended);
            }
        } catch (RuntimeException e) {
            int unlogged = pollFailures.failed();
            if (unlogged >= 0) {
                log.warn("Schedule poll failed: error={} failedSinceLastLine={}", e.toString(), unlogged);
            }
        }
    }

    private void handleDue(ScheduleRepository.Stored s, OffsetDateTime now) {
        boolean active = lastRunActive(s.id());
        if (s.queuedFire() != null && !active && schedules.claimQueued(s.id(), s.queuedFire())) {
            fire(s, s.queuedFire());
            return; // a due time that has come meanwhile finds this run active at the next poll
        }
        OffsetDateTime due = s.nextRunAt();
        if (due == null || due.isAfter(now)) {
            return;
        }
        // from now, not from the due time: after downtime the missed due times fire once, not once each
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

    /** "Run now": fires at once, unless the last run is active: then SKIP records a skipped run, QUEUE queues it. */
    void fireNow(ScheduleRepository.Stored s) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        if (lastRunActive(s.id())) {
            if (s.overlap() == ScheduleRequest.Overlap.QUEUE) {
                schedules.queueNow(s.id(), now);
                log.info("Schedule run-now queued behind the last run: id={} name={}", s.id(), s.name());
            } else {
                schedules.addRun(s.id(), now, null);
                log.info("Schedule run-now skipped, the last run is still active: id={} name={}", s.id(), s.name());
            }
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
            long id = startJob(s.id(), firedAt, job, null, null);
            log.info("Schedule fired: id={} name={} due={} job={}", s.id(), s.name(), firedAt, id);
            return;
        }
        partnerFiles.finishOwedOf(s.id()); // what the last runs still owe the source comes before a new listing
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
            startJob(s.id(), firedAt, single, path, f);
            started++;
        }
        if (started == 0) {
            schedules.addRun(s.id(), firedAt, null);
        }
        log.info("Schedule fired: id={} name={} due={} files={}", s.id(), s.name(), firedAt, started);
    }

    /**
     * Queues a job with its run (and, for a partner folder, its source file) in one transaction: a crash
     * cannot leave a job the schedule does not know, which would fetch its file a second time.
     */
    private long startJob(long scheduleId, OffsetDateTime firedAt, TransferRequest job, String sourcePath,
                          FileEntry sourceFile) {
        return transaction.execute(status -> {
            long id = transfers.create(job).id();
            if (sourceFile != null) {
                schedules.addFile(scheduleId, sourcePath, sourceFile.size(), sourceFile.modified(), id);
            }
            schedules.addRun(scheduleId, firedAt, id);
            return id;
        });
    }

    private List<FileEntry> localListing(String folder, String dir) {
        try {
            return storage.list(folders.storageOf(folder), dir.replaceAll("^/+", ""));
        } catch (IOException e) {
            throw new IllegalStateException("cannot list folder '%s' at %s: %s".formatted(folder, dir, e.getMessage()), e);
        }
    }
}
