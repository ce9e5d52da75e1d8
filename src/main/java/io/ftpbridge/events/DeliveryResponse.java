package io.ftpbridge.events;

import java.time.OffsetDateTime;

/**
 * One action of a rule for one event, with its last attempt.
 *
 * @param action     the action's index in the rule and its type, e.g. {@code 0:WEBHOOK}
 * @param durationMs how long the last attempt took
 * @param time       when the delivery last changed
 */
public record DeliveryResponse(long id, long eventId, String action, int attempt, DeliveryState state, Integer statusCode,
                               String error, Long durationMs, OffsetDateTime nextAttemptAt, OffsetDateTime time) {

    public enum DeliveryState { PENDING, DELIVERED, FAILED }
}
