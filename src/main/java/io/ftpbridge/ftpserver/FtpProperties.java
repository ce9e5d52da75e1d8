package io.ftpbridge.ftpserver;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The embedded FTP server's listener.
 *
 * @param port                   control port; 0 picks a free one (logged at startup)
 * @param bindAddress            address to listen on; unset = every interface, IPv4 and IPv6
 * @param passivePorts           data ports for PASV/EPSV: a range {@code 30000-30099}, a list
 *                               {@code 30000,30002} or both
 * @param passiveExternalAddress address put in PASV replies, for NAT and Kubernetes
 * @param activeEnabled          allow PORT and EPRT
 * @param activeIpCheck          PORT/EPRT only to the client's own address (no FTP bounce)
 * @param idleTimeout            a control connection idle this long is closed
 * @param maxConnections         logged-in sessions at once, server-wide
 */
@Validated
@ConfigurationProperties("ftpbridge.ftp")
public record FtpProperties(
        @DefaultValue("2121") @Min(0) @Max(65535) int port,
        String bindAddress,
        @DefaultValue("30000-30099") @NotNull
        @Pattern(regexp = FtpProperties.PORT_LIST,
                message = "must be a port range like 30000-30099 or a list like 30000,30002-30005")
        String passivePorts,
        String passiveExternalAddress,
        @DefaultValue("true") boolean activeEnabled,
        @DefaultValue("true") boolean activeIpCheck,
        @DefaultValue("300s") @NotNull Duration idleTimeout,
        @DefaultValue("500") @Min(1) int maxConnections,
        @DefaultValue @Valid Tls tls,
        @DefaultValue @Valid LoginFailures loginFailures) {

    /** A port range, a list, or both: {@code 30000-30099}, {@code 30000,30002-30005}. */
    static final String PORT_LIST = "^\\s*\\d{1,5}(\\s*-\\s*\\d{1,5})?(\\s*,\\s*\\d{1,5}(\\s*-\\s*\\d{1,5})?)*\\s*$";

    public enum TlsMode { NONE, EXPLICIT, IMPLICIT }

    /**
     * FTPS. {@code explicit} offers AUTH TLS on the control port; {@code implicit} speaks TLS from
     * the first byte.
     */
    public record Tls(@DefaultValue("NONE") @NotNull TlsMode mode, Path keystore, String keystorePassword,
                      String keyPassword, @DefaultValue("PKCS12") String keystoreType,
                      @DefaultValue("false") boolean requireDataProtection) {
    }

    /**
     * Brute-force guard per client address.
     *
     * @param delay       added before answering each failed PASS, growing with the failures
     * @param maxAttempts failures from one address before it is refused
     * @param lockout     how long a refused address stays refused
     */
    public record LoginFailures(@DefaultValue("500ms") @NotNull Duration delay,
                                @DefaultValue("10") @Min(1) int maxAttempts,
                                @DefaultValue("5m") @NotNull Duration lockout) {
    }

    public FtpProperties {
        if (tls != null && tls.mode() != TlsMode.NONE && tls.keystore() == null) {
            throw new IllegalArgumentException(
                    "ftpbridge.ftp.tls.keystore must be set when ftpbridge.ftp.tls.mode is " + tls.mode());
        }
        // a malformed list is left to @Pattern, which names the property in its message
        if (passivePorts != null && passivePorts.matches(PORT_LIST)) {
            for (String part : passivePorts.split(",")) {
                for (String number : part.split("-")) {
                    if (!number.isBlank() && Integer.parseInt(number.trim()) > 65535) {
                        throw new IllegalArgumentException("ftpbridge.ftp.passive-ports: " + number.trim() + " is not a port");
                    }
                }
            }
        }
    }
}
