package io.ftpbridge.transfers;

import io.ftpbridge.folders.FolderService;
import io.ftpbridge.remotes.RemoteService;
import io.ftpbridge.web.ConflictException;
import io.ftpbridge.web.FieldError;
import io.ftpbridge.web.InvalidRequestException;
import io.ftpbridge.web.NotFoundException;
import io.ftpbridge.web.PageResponse;
import io.ftpbridge.web.PageRequests;
import io.ftpbridge.remotes.RemoteFiles;
import io.ftpbridge.storage.InvalidPathException;
import io.ftpbridge.storage.StorageService;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Service;

/** Transfer jobs: queueing, showing, cancelling and re-running them. */
@Service
public class TransferService {

    private static final Logger log = LoggerFactory.getLogger(TransferService.class);

    private final TransferJobRepository jobs;
    private final TransferScheduler scheduler;
    private final FolderService folders;
    private final RemoteService remotes;

    TransferService(TransferJobRepository jobs, TransferScheduler scheduler, FolderService folders,
                    RemoteService remotes) {
        this.jobs = jobs;
        this.scheduler = scheduler;
        this.folders = folders;
        this.remotes = remotes;
    }

    public TransferResponse create(TransferRequest request) {
        List<FieldError> errors = new ArrayList<>();
        if (!folders.exists(request.folder())) {
            errors.add(new FieldError("folder", "folder '%s' does not exist".formatted(request.folder())));
        }
        if (!remotes.exists(request.remote())) {
            errors.add(new FieldError("remote", "remote '%s' does not exist".formatted(request.remote())));
        }
        boolean glob = Boolean.TRUE.equals(request.glob());
        boolean recursive = Boolean.TRUE.equals(request.recursive());
        boolean append = Boolean.TRUE.equals(request.append());
        if (recursive && !glob) {
            errors.add(new FieldError("recursive", "recursive needs glob=true"));
        }
        if (append && glob) {
            errors.add(new FieldError("append", "append works on one file, not a glob"));
        }
        String source = request.direction() == Direction.DOWNLOAD ? request.remotePath() : request.localPath();
        if (source.endsWith("/")) {
            errors.add(new FieldError(request.direction() == Direction.DOWNLOAD ? "remotePath" : "localPath",
                    "must name a file (or a pattern with glob=true), not a directory"));
        }
        try {
            RemoteFiles.checkedPath("remotePath", request.remotePath());
        } catch (InvalidRequestException e) {
            errors.addAll(e.errors());
        }
        try {
            StorageService.segments(request.localPath());
        } catch (InvalidPathException e) {
            errors.add(new FieldError("localPath", e.getMessage()));
        }
        if (glob) {
            try {
                RemoteFiles.globMatcher(request.direction() == Direction.DOWNLOAD ? "remotePath" : "localPath",
                        JobPaths.baseName(source));
            } catch (InvalidRequestException e) {
                errors.addAll(e.errors());
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        Overwrite overwrite = request.overwrite() == null ? Overwrite.REPLACE : request.overwrite();
        boolean verify = request.verify() == null || request.verify();
        long id = jobs.insert(request, glob, recursive, append, overwrite, verify);
        log.info("Transfer job queued: id={} direction={} remote={} remotePath={} folder={} localPath={}", id,
                request.direction(), request.remote(), request.remotePath(), request.folder(), request.localPath());
        scheduler.wakeUp();
        return get(id);
    }

    public TransferResponse get(long id) {
        TransferJob job = jobs.find(id).orElseThrow(() -> notFound(id));
        return response(job);
    }

    public PageResponse<TransferResponse> list(JobState state, int page, int size) {
        PageRequests.of(page, size, Sort.unsorted());
        List<TransferResponse> items = jobs.list(state, page, size).stream().map(this::response).toList();
        return new PageResponse<>(items, page, size, jobs.count(state));
    }

    /** Stops a job: a queued one at once, a running one within a second; its partial file is removed. */
    public TransferResponse cancel(long id) {
        TransferJob job = jobs.find(id).orElseThrow(() -> notFound(id));
        if (job.state().finished()) {
            throw new ConflictException("state", "job %d is already %s".formatted(id, job.state()));
        }
        if (!jobs.cancelQueued(id)) {
            jobs.requestCancel(id);
            JobRun run = scheduler.runningHere(id);
            if (run != null) {
                run.halt(JobRun.Halt.CANCEL);
            }
        }
        log.info("Transfer job cancel requested: id={}", id);
        return get(id);
    }

    /** Queues a FAILED or CANCELLED job again; files already done are not transferred again. */
    public TransferResponse retry(long id) {
        TransferJob job = jobs.find(id).orElseThrow(() -> notFound(id));
        if (!jobs.requeue(id)) {
            throw new ConflictException("state", "only a FAILED or CANCELLED job can be retried; job %d is %s".formatted(id, job.state()));
        }
        log.info("Transfer job queued again: id={}", id);
        scheduler.wakeUp();
        return get(id);
    }

    public String transcript(long id) {
        jobs.find(id).orElseThrow(() -> notFound(id));
        List<String> lines = jobs.transcript(id);
        return lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
    }

    private TransferResponse response(TransferJob job) {
        List<TransferFile> files = jobs.files(job.id());
        JobRun run = job.state() == JobState.RUNNING ? scheduler.runningHere(job.id()) : null;
        TransferResponse.Progress progress = run != null ? run.progress().snapshot() : storedProgress(job, files);
        List<TransferResponse.FileView> views = files.stream()
                .map(f -> new TransferResponse.FileView(job.direction() == Direction.DOWNLOAD ? f.remotePath() : f.localPath(),
                        f.size(), f.state(), f.bytesDone(), f.error()))
                .toList();
        return new TransferResponse(job.id(), job.state(), job.remote(), job.direction(), job.remotePath(), job.folder(),
                job.localPath(), job.glob(), job.recursive(), job.append(), job.overwrite(), job.dataMode(), job.transferType(), job.verify(),
                job.createdAt(), job.startedAt(), job.finishedAt(), job.attempts(), job.error(), job.owner(), progress, views);
    }

    private static TransferResponse.Progress storedProgress(TransferJob job, List<TransferFile> files) {
        long total = 0;
        long done = 0;
        int finished = 0;
        for (TransferFile f : files) {
            total += Math.max(0, f.size());
            if (f.state() == FileState.DONE || f.state() == FileState.SKIPPED) {
                finished++;
                done += Math.max(0, f.size());
            } else {
                done += f.bytesDone();
            }
        }
        if (job.state() == JobState.RUNNING) {
            done = Math.max(done, job.bytesDone());
        }
        return TransferResponse.Progress.of(files.size(), finished, total, done, 0);
    }

    private static NotFoundException notFound(long id) {
        return new NotFoundException("transfer job %d does not exist".formatted(id));
    }
}
