package io.ftpbridge.schedules;

import io.ftpbridge.folders.FolderService;
import io.ftpbridge.remotes.RemoteService;
import io.ftpbridge.transfers.TransferRequest;
import io.ftpbridge.web.ConflictException;
import io.ftpbridge.web.FieldError;
import io.ftpbridge.web.InvalidRequestException;
import io.ftpbridge.web.NotFoundException;
import io.ftpbridge.web.PageRequests;
import io.ftpbridge.web.PageResponse;
import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.Sort;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.stereotype.Service;

/** Schedules over REST: validation and CRUD; firing is {@link ScheduleRunner}'s. */
@Service
public class ScheduleService {

    private static final Logger log = LoggerFactory.getLogger(ScheduleService.class);
    static final int LAST_RUNS = 10;

    private final ScheduleRepository schedules;
    private final FolderService folders;
    private final RemoteService remotes;
    private final ScheduleRunner runner;

    ScheduleService(ScheduleRepository schedules, FolderService folders, RemoteService remotes, ScheduleRunner runner) {
        this.schedules = schedules;
        this.folders = folders;
        this.remotes = remotes;
        this.runner = runner;
    }

    public ScheduleResponse create(ScheduleRequest request) {
        ScheduleRepository.Stored stored = validated(request, 0);
        long id = schedules.insert(stored);
        log.info("Schedule created: id={} name={} cron='{}' timeZone={} next={}", id, request.name(), request.cron(),
                stored.timeZone(), stored.nextRunAt());
        return get(id);
    }

    public ScheduleResponse replace(long id, ScheduleRequest request) {
        schedules.find(id).orElseThrow(() -> notFound(id));
        ScheduleRepository.Stored s = validated(request, id);
        schedules.update(new ScheduleRepository.Stored(id, s.name(), s.cron(), s.timeZone(), s.enabled(), s.overlap(), s.job(),
                s.onlyNew(), s.afterSuccess(), s.moveTo(), s.nextRunAt(), null));
        log.info("Schedule replaced: id={} name={}", id, request.name());
        return get(id);
    }

    public ScheduleResponse get(long id) {
        return response(schedules.find(id).orElseThrow(() -> notFound(id)));
    }

    public PageResponse<ScheduleResponse> list(int page, int size) {
        PageRequests.of(page, size, Sort.unsorted());
        return new PageResponse<>(schedules.list(page, size).stream().map(this::response).toList(), page, size, schedules.count());
    }

    public void delete(long id) {
        if (!schedules.delete(id)) {
            throw notFound(id);
        }
        log.info("Schedule deleted: id={}", id);
    }

    /** Fires the schedule now, whatever its cron says (its overlap policy still applies). */
    public ScheduleResponse runNow(long id) {
        ScheduleRepository.Stored s = schedules.find(id).orElseThrow(() -> notFound(id));
        runner.fireNow(s);
        return get(id);
    }

    private ScheduleRepository.Stored validated(ScheduleRequest r, long id) {
        if (schedules.nameTaken(r.name(), id)) {
            throw new ConflictException("name", "a schedule named '%s' already exists".formatted(r.name()));
        }
        List<FieldError> errors = new ArrayList<>();
        CronExpression cron = null;
        try {
            cron = CronExpression.parse(r.cron());
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError("cron", "not a cron expression (second minute hour day month weekday): " + e.getMessage()));
        }
        String zoneName = r.timeZone() == null ? "UTC" : r.timeZone();
        ZoneId zone = null;
        try {
            zone = ZoneId.of(zoneName);
        } catch (DateTimeException e) {
            errors.add(new FieldError("timeZone", "unknown time zone '%s'".formatted(zoneName)));
        }
        TransferRequest job = r.job();
        if (!folders.exists(job.folder())) {
            errors.add(new FieldError("job.folder", "folder '%s' does not exist".formatted(job.folder())));
        }
        if (!remotes.exists(job.remote())) {
            errors.add(new FieldError("job.remote", "remote '%s' does not exist".formatted(job.remote())));
        }
        boolean onlyNew = Boolean.TRUE.equals(r.onlyNew());
        ScheduleRequest.AfterSuccess after = r.afterSuccess() == null ? ScheduleRequest.AfterSuccess.KEEP : r.afterSuccess();
        if ((onlyNew || after != ScheduleRequest.AfterSuccess.KEEP) && !Boolean.TRUE.equals(job.glob())) {
            errors.add(new FieldError(onlyNew ? "onlyNew" : "afterSuccess", "needs a glob job (job.glob=true)"));
        }
        if ((onlyNew || after != ScheduleRequest.AfterSuccess.KEEP) && Boolean.TRUE.equals(job.recursive())) {
            errors.add(new FieldError(onlyNew ? "onlyNew" : "afterSuccess", "works on one directory, not recursive=true"));
        }
        if (after == ScheduleRequest.AfterSuccess.MOVE && (r.moveTo() == null || r.moveTo().isBlank() || r.moveTo().contains(".."))) {
            errors.add(new FieldError("moveTo", "afterSuccess=MOVE needs a directory (without '..')"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        OffsetDateTime next = nextRun(cron, zone, OffsetDateTime.now(ZoneOffset.UTC));
        return new ScheduleRepository.Stored(id, r.name(), r.cron(), zone.getId(), r.enabled() == null || r.enabled(),
                r.overlap() == null ? ScheduleRequest.Overlap.SKIP : r.overlap(), job, onlyNew, after, r.moveTo(), next, null);
    }

    /** The first due time after {@code after}, in UTC, or null when the expression never fires again. */
    static OffsetDateTime nextRun(CronExpression cron, ZoneId zone, OffsetDateTime after) {
        ZonedDateTime next = cron.next(after.atZoneSameInstant(zone));
        return next == null ? null : next.toOffsetDateTime().withOffsetSameInstant(ZoneOffset.UTC);
    }

    private ScheduleResponse response(ScheduleRepository.Stored s) {
        return new ScheduleResponse(s.id(), s.name(), s.cron(), s.timeZone(), s.enabled(), s.overlap(), s.job(), s.onlyNew(),
                s.afterSuccess(), s.moveTo(), s.nextRunAt(), schedules.lastRuns(s.id(), LAST_RUNS));
    }

    private static NotFoundException notFound(long id) {
        return new NotFoundException("schedule %d does not exist".formatted(id));
    }
}
