package io.ftpbridge.audit;

import io.ftpbridge.web.PageResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/audit")
@Tag(name = "Audit", description = "Who changed what over REST, and every FTP and REST login")
public class AuditController {

    private final AuditTrail trail;

    public AuditController(AuditTrail trail) {
        this.trail = trail;
    }

    @GetMapping
    @Operation(summary = "Search the audit trail, newest first, paged")
    public PageResponse<AuditResponse> search(
            @Parameter(description = "exact account name") @RequestParam(required = false) String actor,
            @Parameter(description = "exact action, or a prefix ending in `*` (e.g. `users.*`, `login.*`)") @RequestParam(required = false) String action,
            @Parameter(description = "part of the target (e.g. a username or a file path)") @RequestParam(required = false) String target,
            @Parameter(description = "from this instant (inclusive), ISO-8601") @RequestParam(required = false) Instant from,
            @Parameter(description = "before this instant (exclusive), ISO-8601") @RequestParam(required = false) Instant to,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        return trail.search(actor, action, target, from, to, page, size);
    }
}
