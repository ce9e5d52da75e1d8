package io.ftpbridge.sessions;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The cluster-wide sessions registry.
 *
 * @param heartbeat how often an instance writes its sessions (one batch) and looks for kick requests;
 *                  a session is closed at most this long after a kick on another instance
 * @param lease     an instance whose last heartbeat is older than this is gone: its sessions are no longer listed
 */
@Validated
@ConfigurationProperties("ftpbridge.sessions")
public record SessionProperties(@DefaultValue("1s") @NotNull Duration heartbeat,
                                @DefaultValue("15s") @NotNull Duration lease) {

    public SessionProperties {
        if (heartbeat != null && (heartbeat.toMillis() < 100 || heartbeat.compareTo(Duration.ofSeconds(2)) > 0)) {
            throw new IllegalArgumentException("ftpbridge.sessions.heartbeat must be between 100ms and 2s");
        }
        if (heartbeat != null && lease != null && lease.compareTo(heartbeat.multipliedBy(3)) < 0) {
            throw new IllegalArgumentException("ftpbridge.sessions.lease must be at least three heartbeats");
        }
    }
}
