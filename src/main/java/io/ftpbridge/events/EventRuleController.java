package io.ftpbridge.events;

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

/** Event rules over REST: {@code /api/v1/event-rules}. */
@RestController
@RequestMapping("/api/v1/event-rules")
@Tag(name = "Event rules", description = "Webhooks, transfers and file moves run for matching events, delivered at least once")
class EventRuleController {

    private final EventRuleService rules;

    EventRuleController(EventRuleService rules) {
        this.rules = rules;
    }

    @Operation(summary = "Create an event rule (201 + Location)")
    @PostMapping
    ResponseEntity<EventRuleResponse> create(@Valid @RequestBody EventRuleRequest request) {
        EventRuleResponse rule = rules.create(request);
        return ResponseEntity.created(URI.create("/api/v1/event-rules/" + rule.id())).body(rule);
    }

    @Operation(summary = "List event rules")
    @GetMapping
    PageResponse<EventRuleResponse> list(@RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size) {
        return rules.list(page, size);
    }

    @Operation(summary = "Get an event rule (webhook secrets are never shown)")
    @GetMapping("/{id}")
    EventRuleResponse get(@PathVariable long id) {
        return rules.get(id);
    }

    @Operation(summary = "Replace an event rule; a webhook action without a secret keeps the one it had")
    @PutMapping("/{id}")
    EventRuleResponse replace(@PathVariable long id, @Valid @RequestBody EventRuleRequest request) {
        return rules.replace(id, request);
    }

    @Operation(summary = "Delete an event rule and its delivery log")
    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT) // documents 204: springdoc cannot see it in the ResponseEntity
    ResponseEntity<Void> delete(@PathVariable long id) {
        rules.delete(id);
        return ResponseEntity.noContent().build();
    }

    @Operation(summary = "The rule's delivery log, newest first")
    @GetMapping("/{id}/deliveries")
    PageResponse<DeliveryResponse> deliveries(@PathVariable long id,
                                              @RequestParam(required = false) DeliveryResponse.DeliveryState state,
                                              @RequestParam(defaultValue = "0") int page,
                                              @RequestParam(defaultValue = "50") int size) {
        return rules.deliveries(id, state, page, size);
    }

    @Operation(summary = "Deliver a FAILED delivery again, with a fresh budget of attempts")
    @PostMapping("/{id}/deliveries/{deliveryId}/retry")
    @ResponseStatus(HttpStatus.ACCEPTED)
    ResponseEntity<DeliveryResponse> retry(@PathVariable long id, @PathVariable long deliveryId) {
        return ResponseEntity.accepted().body(rules.retry(id, deliveryId));
    }
}
