package io.ftpbridge.security;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * REST authentication settings.
 *
 * @param credentialCacheTtl how long a verified password is remembered (keyed hash, never the password); 0 = off
 * @param tokenTtl           lifetime of the tokens of {@code POST /api/v1/auth/token}
 */
@Validated
@ConfigurationProperties("ftpbridge.security")
public record AuthProperties(@DefaultValue("60s") @NotNull Duration credentialCacheTtl,
                             @DefaultValue("15m") @NotNull Duration tokenTtl) {

    public AuthProperties {
        if (credentialCacheTtl.isNegative() || credentialCacheTtl.compareTo(Duration.ofSeconds(60)) > 0) {
            throw new IllegalArgumentException("ftpbridge.security.credential-cache-ttl must be between 0 and 60s, got " + credentialCacheTtl);
        }
        if (tokenTtl.compareTo(Duration.ofSeconds(10)) < 0 || tokenTtl.compareTo(Duration.ofHours(24)) > 0) {
            throw new IllegalArgumentException("ftpbridge.security.token-ttl must be between 10s and 24h, got " + tokenTtl);
        }
    }
}
