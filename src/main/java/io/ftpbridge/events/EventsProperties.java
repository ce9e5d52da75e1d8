package io.ftpbridge.events;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Delivery of event-rule actions (webhooks, transfers, file moves) from the outbox.
 *
 * @param concurrency    deliveries in flight at once on this instance (webhooks wait for their receivers without a
 *                       thread; transfer and file actions run on at most 8 threads)
 * @param pollInterval   how often the outbox is checked for due deliveries
 * @param lease          how long a claimed delivery is held; one whose instance died is claimed again after it
 * @param maxAttempts    attempts of one delivery before it is FAILED (a retry over REST grants as many again)
 * @param backoffInitial wait before the second attempt; doubles with every further one
 * @param backoffMax     longest wait between attempts
 * @param rulesRefresh   how stale this instance's copy of the event rules may be after a change made on another
 *                       instance (a change made on this one counts at once)
 * @param retention      events older than this are deleted with their delivery log (checked hourly), except those
 *                       with a delivery still pending
 * @param deliveryNice   how much lower than the file transfers' the CPU priority of this instance's delivery threads is
 *                       (added to their Linux nice value; 0 keeps it equal): under a burst of uploads on a busy machine
 *                       the uploads get the CPU first and the webhooks follow a little later (the default, 3: p95 of
 *                       upload reply to webhook 0.03–0.53 s on two busy cores, uploads 0.91–1.09× as fast with a
 *                       webhook rule as without (0.85–1.09× at 0); 4: p95 up to 1.2 s; bench/README.md 2026-11-27)
 */
@Validated
@ConfigurationProperties("ftpbridge.events")
public record EventsProperties(
        @DefaultValue("64") @Min(1) @Max(1024) int concurrency,
        @DefaultValue("200ms") @NotNull Duration pollInterval,
        @DefaultValue("2m") @NotNull Duration lease,
        @DefaultValue("10") @Min(1) int maxAttempts,
        @DefaultValue("1s") @NotNull Duration backoffInitial,
        @DefaultValue("5m") @NotNull Duration backoffMax,
        @DefaultValue("1s") @NotNull Duration rulesRefresh,
        @DefaultValue("30d") @NotNull Duration retention,
        @DefaultValue("3") @Min(0) @Max(19) int deliveryNice) {

    public EventsProperties {
        if (retention != null && retention.compareTo(Duration.ofHours(1)) < 0) {
            throw new IllegalArgumentException("ftpbridge.events.retention must be at least 1h, got " + retention);
        }
    }
}
