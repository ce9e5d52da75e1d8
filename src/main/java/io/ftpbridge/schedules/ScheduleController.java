package io.ftpbridge.schedules;

import io.ftpbridge.web.PageResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Recurring transfer jobs over REST: {@code /api/v1/schedules}. */
@RestController
@RequestMapping("/api/v1/schedules")
@Tag(name = "Schedules", description = "Transfer jobs on a cron schedule, each due time fired once across instances")
class ScheduleController {

    private final ScheduleService schedules;

    ScheduleController(ScheduleService schedules) {
        this.schedules = schedules;
    }

    @Operation(summary = "Create a schedule (201 + Location)")
    @PostMapping
    ResponseEntity<ScheduleResponse> create(@Valid @RequestBody ScheduleRequest request) {
        ScheduleResponse schedule = schedules.create(request);
        return ResponseEntity.created(URI.create("/api/v1/schedules/" + schedule.id())).body(schedule);
    }

    @Operation(summary = "List schedules")
    @GetMapping
    PageResponse<ScheduleResponse> list(@RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size) {
        return schedules.list(page, size);
    }

    @Operation(summary = "Get a schedule with its next due time and last runs")
    @GetMapping("/{id}")
    ScheduleResponse get(@PathVariable long id) {
        return schedules.get(id);
    }

    @Operation(summary = "Replace a schedule; its next due time is computed afresh")
    @PutMapping("/{id}")
    ScheduleResponse replace(@PathVariable long id, @Valid @RequestBody ScheduleRequest request) {
        return schedules.replace(id, request);
    }

    @Operation(summary = "Delete a schedule (its jobs stay)")
    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT) // documents 204: springdoc cannot see it in the ResponseEntity
    ResponseEntity<Void> delete(@PathVariable long id) {
        schedules.delete(id);
        return ResponseEntity.noContent().build();
    }

    @Operation(summary = "Run the schedule now (202); its overlap policy applies")
    @PostMapping("/{id}/run")
    @ResponseStatus(HttpStatus.ACCEPTED)
    ResponseEntity<ScheduleResponse> run(@PathVariable long id) {
        return ResponseEntity.accepted().body(schedules.runNow(id));
    }
}
