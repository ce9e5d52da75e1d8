package io.ftpbridge.transfers;

import jakarta.validation.Valid;
import java.net.URI;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import io.ftpbridge.web.PageResponse;

/** Transfer jobs over REST: {@code /api/v1/transfers}. */
@RestController
@RequestMapping("/api/v1/transfers")
class TransferController {

    private final TransferService transfers;
    private final TransferEvents events;

    TransferController(TransferService transfers, TransferEvents events) {
        this.transfers = transfers;
        this.events = events;
    }

    @PostMapping
    ResponseEntity<TransferResponse> create(@Valid @RequestBody TransferRequest request) {
        TransferResponse job = transfers.create(request);
        return ResponseEntity.accepted().location(URI.create("/api/v1/transfers/" + job.id())).body(job);
    }

    @GetMapping
    PageResponse<TransferResponse> list(@RequestParam(required = false) JobState state,
                                        @RequestParam(defaultValue = "0") int page,
                                        @RequestParam(defaultValue = "50") int size) {
        return transfers.list(state, page, size);
    }

    @GetMapping("/{id}")
    TransferResponse get(@PathVariable long id) {
        return transfers.get(id);
    }

    @PostMapping("/{id}/cancel")
    ResponseEntity<TransferResponse> cancel(@PathVariable long id) {
        return ResponseEntity.accepted().body(transfers.cancel(id));
    }

    @PostMapping("/{id}/retry")
    ResponseEntity<TransferResponse> retry(@PathVariable long id) {
        return ResponseEntity.accepted().body(transfers.retry(id));
    }

    @GetMapping(value = "/{id}/transcript", produces = MediaType.TEXT_PLAIN_VALUE)
    String transcript(@PathVariable long id) {
        return transfers.transcript(id);
    }

    @GetMapping(value = "/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter events(@PathVariable long id) {
        transfers.get(id); // 404 before the stream starts
        return events.stream(id);
    }
}
