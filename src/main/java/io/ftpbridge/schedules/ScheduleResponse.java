package io.ftpbridge.schedules;

import io.swagger.v3.oas.annotations.media.Schema;
import io.ftpbridge.transfers.TransferRequest;
import java.time.OffsetDateTime;
import java.util.List;

/** A schedule; {@code lastRuns} newest first, a {@code jobId} of null is a firing skipped because the last run was active. */
public record ScheduleResponse(long id, String name, String cron, String timeZone, boolean enabled,
                               ScheduleRequest.Overlap overlap, TransferRequest job, boolean onlyNew,
                               @Schema(nullable = true) ScheduleRequest.AfterSuccess afterSuccess, @Schema(nullable = true) String moveTo, @Schema(nullable = true) OffsetDateTime nextRunAt,
                               List<Run> lastRuns) {

    public record Run(OffsetDateTime firedAt, @Schema(nullable = true) Long jobId) {
    }
}
