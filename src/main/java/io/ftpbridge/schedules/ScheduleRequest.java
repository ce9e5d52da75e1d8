package io.ftpbridge.schedules;

import io.ftpbridge.transfers.TransferRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * A recurring transfer job. {@code onlyNew} (glob jobs): source files already transferred with the same
 * size and modification time are skipped; {@code afterSuccess} (glob jobs): what happens to each source
 * file once its copy is verified complete at the destination (KEEP, DELETE, or MOVE into {@code moveTo}).
 */
public record ScheduleRequest(@NotBlank @Size(max = 128) String name, @NotBlank @Size(max = 256) String cron, String timeZone,
                              Boolean enabled, Overlap overlap, @NotNull @Valid TransferRequest job, Boolean onlyNew,
                              AfterSuccess afterSuccess, @Size(max = 4096) String moveTo) {

    public enum Overlap { SKIP, QUEUE }

    public enum AfterSuccess { KEEP, DELETE, MOVE }
}
