package io.ftpbridge.security;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Brute-force guard shared by FTP logins and REST HTTP Basic. The names stay under
 * {@code ftpbridge.ftp.login-failures}, where the FTP-only guard first documented them.
 *
 * @param delay                     wait before answering a failed login, times the address's failures (at most 10s)
 * @param maxAttempts               failed logins from one address before it is refused
 * @param maxAttemptsPerAccount     failed logins to one account, from anywhere, before the account is refused;
 *                                  0 = failures are not counted per account
 * @param maxAttemptsPerConnection  failed PASS on one FTP control connection before it is closed
 * @param lockout                   how long a refused address or account stays refused; failures are
 *                                  forgotten after this long without a new one
 */
@Validated
@ConfigurationProperties("ftpbridge.ftp.login-failures")
public record LoginGuardProperties(@DefaultValue("500ms") @NotNull Duration delay,
                                   @DefaultValue("10") @Min(1) int maxAttempts,
                                   @DefaultValue("50") @Min(0) int maxAttemptsPerAccount,
                                   @DefaultValue("3") @Min(1) int maxAttemptsPerConnection,
                                   @DefaultValue("5m") @NotNull Duration lockout) {
}
