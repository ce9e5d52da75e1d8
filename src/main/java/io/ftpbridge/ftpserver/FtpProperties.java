package io.ftpbridge.ftpserver;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import io.ftpbridge.security.Cidr;
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
 * @param passiveIpCheck         accept a passive data connection only from the control connection's address
 * @param loginTimeout           a connection not logged in after this long is closed (421), commands or not
 * @param maxUnauthenticatedConnections connections not (yet) logged in, server-wide; more are answered 421
 * @param maxConnectionsPerAddress      control connections from one client address; more are answered 421
 * @param maxConnectionsPerUser  sessions of one account when the account's own {@code maxConnections} is 0
 * @param proxyProtocol          PROXY protocol (v1 and v2) on the control listener: off, optional or required
 * @param trustedProxies         CIDRs of the proxies whose PROXY headers are believed
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
        @DefaultValue("true") boolean passiveIpCheck,
        @DefaultValue("30s") @NotNull Duration loginTimeout,
        @DefaultValue("100") @Min(1) int maxUnauthenticatedConnections,
        @DefaultValue("50") @Min(1) int maxConnectionsPerAddress,
        @DefaultValue("10") @Min(1) int maxConnectionsPerUser,
        @DefaultValue("OFF") @NotNull ProxyProtocol proxyProtocol,
        @DefaultValue List<String> trustedProxies) {

    /** A port range, a list, or both: {@code 30000-30099}, {@code 30000,30002-30005}. */
    static final String PORT_LIST = "^\\s*\\d{1,5}(\\s*-\\s*\\d{1,5})?(\\s*,\\s*\\d{1,5}(\\s*-\\s*\\d{1,5})?)*\\s*$";

    public enum TlsMode { NONE, EXPLICIT, IMPLICIT }

    /** {@code off}: no PROXY headers; {@code optional}: from trusted proxies, others direct; {@code required}: only via trusted proxies. */
    public enum ProxyProtocol { OFF, OPTIONAL, REQUIRED }

    /** The trusted proxies, parsed. */
    public List<Cidr> trustedProxyNetworks() {
        return trustedProxies == null ? List.of() : trustedProxies.stream().map(Cidr::parse).toList();
    }

    /**
     * FTPS. {@code explicit} offers AUTH TLS on the control port; {@code implicit} speaks TLS from
     * the first byte. {@code required}: every account must protect the control connection before
     * USER/PASS and the data connections (PROT P) before transfers; per account, {@code tlsRequired}.
     */
    public record Tls(@DefaultValue("NONE") @NotNull TlsMode mode, Path keystore, String keystorePassword,
                      String keyPassword, @DefaultValue("PKCS12") String keystoreType,
                      @DefaultValue("false") boolean requireDataProtection,
                      @DefaultValue("false") boolean required) {
    }

    public FtpProperties {
        if (trustedProxies != null) {
            for (String cidr : trustedProxies) {
                try {
                    Cidr.parse(cidr);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("ftpbridge.ftp.trusted-proxies: " + e.getMessage());
                }
            }
        }
        if (proxyProtocol != null && proxyProtocol != ProxyProtocol.OFF && (trustedProxies == null || trustedProxies.isEmpty())) {
            throw new IllegalArgumentException("ftpbridge.ftp.proxy-protocol " + proxyProtocol.name().toLowerCase()
                    + " needs ftpbridge.ftp.trusted-proxies");
        }
        if (tls != null && tls.mode() != TlsMode.NONE && tls.keystore() == null) {
            throw new IllegalArgumentException(
                    "ftpbridge.ftp.tls.keystore must be set when ftpbridge.ftp.tls.mode is " + tls.mode());
        }
        if (tls != null && tls.mode() == TlsMode.NONE && tls.required()) {
            throw new IllegalArgumentException(
                    "ftpbridge.ftp.tls.required needs ftpbridge.ftp.tls.mode explicit or implicit");
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
