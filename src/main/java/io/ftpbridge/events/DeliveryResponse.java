package io.ftpbridge.events;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.OffsetDateTime;

/**
 * One action of a rule for one event, with its last attempt.
 *
 * @param action     the action's index in the rule and its type, e.g. {@code 0:WEBHOOK}
 * @param durationMs how long the last attempt took
 * @param time       when the delivery last changed
 */
public record DeliveryResponse(long id, long eventId, String action, int attempt, DeliveryState state, @Schema(nullable = true) Integer statusCode,
                               @Schema(nullable = true) String error, @Schema(nullable = true) Long durationMs, @Schema(nullable = true) OffsetDateTime nextAttemptAt, OffsetDateTime time) {

    public enum DeliveryState { PENDING, DELIVERED, FAILED }
}
