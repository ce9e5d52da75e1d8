package io.ftpbridge.events;

import io.ftpbridge.web.PageRequests;
import io.ftpbridge.web.PageResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.OffsetDateTime;
import org.springframework.data.domain.Sort;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Recent events over REST: {@code /api/v1/events}. */
@RestController
@RequestMapping("/api/v1/events")
@Tag(name = "Events", description = "What happened: file actions over FTP and REST, logins, quota refusals, transfer job states")
class EventController {

    private final EventRepository events;

    EventController(EventRepository events) {
        this.events = events;
    }

    @Operation(summary = "List events, newest first, by type, folder and time (from, inclusive)")
    @GetMapping
    PageResponse<EventResponse> list(@RequestParam(required = false) EventType type,
                                     @RequestParam(required = false) String folder,
                                     @RequestParam(required = false) OffsetDateTime from,
                                     @RequestParam(defaultValue = "0") int page,
                                     @RequestParam(defaultValue = "50") int size) {
        PageRequests.of(page, size, Sort.unsorted());
        return new PageResponse<>(events.list(type, folder, from, page, size), page, size, events.count(type, folder, from));
    }
}
