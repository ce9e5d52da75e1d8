package io.ftpbridge.schedules;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Schedules on this instance.
 *
 * @param pollInterval how often due schedules and finished scheduled jobs are looked for
 */
@Validated
@ConfigurationProperties("ftpbridge.schedules")
public record SchedulesProperties(@DefaultValue("500ms") @NotNull Duration pollInterval) {
}
