package io.ftpbridge.transfers;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import io.ftpbridge.web.PageResponse;

/** Transfer jobs over REST: {@code /api/v1/transfers}. */
@RestController
@RequestMapping("/api/v1/transfers")
@Tag(name = "Transfer jobs", description = "Persisted, resumable transfers between a remote FTP server and a folder (get, put, mget, mput, append)")
class TransferController {

    private final TransferService transfers;
    private final TransferEvents events;

    TransferController(TransferService transfers, TransferEvents events) {
        this.transfers = transfers;
        this.events = events;
    }

    @Operation(summary = "Queue a transfer job (202 + Location); it runs in the background on any instance")
    @PostMapping
    ResponseEntity<TransferResponse> create(@Valid @RequestBody TransferRequest request) {
        TransferResponse job = transfers.create(request);
        return ResponseEntity.accepted().location(URI.create("/api/v1/transfers/" + job.id())).body(job);
    }

    @Operation(summary = "List transfer jobs, newest first, optionally by state")
    @GetMapping
    PageResponse<TransferResponse> list(@RequestParam(required = false) JobState state,
                                        @RequestParam(defaultValue = "0") int page,
                                        @RequestParam(defaultValue = "50") int size) {
        return transfers.list(state, page, size);
    }

    @Operation(summary = "Get a job: state, attempts, error, files and live progress")
    @GetMapping("/{id}")
    TransferResponse get(@PathVariable long id) {
        return transfers.get(id);
    }

    @Operation(summary = "Cancel a queued or running job; a running one stops within a second and its partial file is removed")
    @PostMapping("/{id}/cancel")
    @ResponseStatus(HttpStatus.ACCEPTED) // documents 202: springdoc cannot see it in the ResponseEntity
    ResponseEntity<TransferResponse> cancel(@PathVariable long id) {
        return ResponseEntity.accepted().body(transfers.cancel(id));
    }

    @Operation(summary = "Run a FAILED or CANCELLED job again; files already done are kept")
    @PostMapping("/{id}/retry")
    @ResponseStatus(HttpStatus.ACCEPTED) // documents 202: springdoc cannot see it in the ResponseEntity
    ResponseEntity<TransferResponse> retry(@PathVariable long id) {
        return ResponseEntity.accepted().body(transfers.retry(id));
    }

    @Operation(summary = "The job's control connections, one line per command (> ) and reply (< ), PASS masked")
    @GetMapping(value = "/{id}/transcript", produces = MediaType.TEXT_PLAIN_VALUE)
    String transcript(@PathVariable long id) {
        return transfers.transcript(id);
    }

    @Operation(summary = "Server-Sent Events: progress every half second, then the final state")
    @GetMapping(value = "/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter events(@PathVariable long id) {
        transfers.get(id); // 404 before the stream starts
        return events.stream(id);
    }
}
