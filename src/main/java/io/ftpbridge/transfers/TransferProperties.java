package io.ftpbridge.transfers;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Transfer jobs on this instance.
 *
 * @param concurrency    jobs running at once on this instance
 * @param pollInterval   how often the queue in the database is checked for jobs to claim
 * @param lease          how long a claim holds without a heartbeat; a job whose lease ran out
 *                       (its instance died) is claimed again by any instance
 * @param heartbeat      how often running jobs renew their lease, save progress and look for cancels
 * @param maxAttempts    connection attempts per job before it fails
 * @param backoffInitial wait before the first retry; doubles with every further one
 * @param backoffMax     longest wait between retries
 */
@Validated
@ConfigurationProperties("ftpbridge.transfers")
public record TransferProperties(
        @DefaultValue("4") @Min(1) @Max(256) int concurrency,
        @DefaultValue("500ms") @NotNull Duration pollInterval,
        @DefaultValue("30s") @NotNull Duration lease,
        @DefaultValue("1s") @NotNull Duration heartbeat,
        @DefaultValue("5") @Min(1) int maxAttempts,
        @DefaultValue("1s") @NotNull Duration backoffInitial,
        @DefaultValue("30s") @NotNull Duration backoffMax) {
}
