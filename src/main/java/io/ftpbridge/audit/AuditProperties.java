package io.ftpbridge.audit;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The audit trail.
 *
 * @param retention rows older than this are deleted (checked hourly)
 */
@Validated
@ConfigurationProperties("ftpbridge.audit")
public record AuditProperties(@DefaultValue("90d") @NotNull Duration retention) {

    public AuditProperties {
        if (retention.compareTo(Duration.ofHours(1)) < 0) {
            throw new IllegalArgumentException("ftpbridge.audit.retention must be at least 1h, got " + retention);
        }
    }
}
