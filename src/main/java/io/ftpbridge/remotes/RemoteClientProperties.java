package io.ftpbridge.remotes;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How ftpbridge behaves as an FTP client.
 *
 * @param activePorts           local ports for PORT/EPRT data connections, e.g. {@code 40000-40099};
 *                              unset = any free port
 * @param activeExternalAddress address announced in PORT/EPRT (behind NAT); unset = the local one
 * @param bufferSize            stream buffer for data transfers, in bytes (socket buffers are the kernel's, autotuned)
 * @param idleTimeout           a pooled connection idle this long is closed
 * @param evictionInterval      how often idle pooled connections are looked at
 * @param trustStore            certificates trusted for FTPS remotes (PKCS12 or JKS); unset = the JVM's CA list
 * @param trustStorePassword    password of {@code trustStore}
 * @param tlsProtocols          TLS versions offered to FTPS remotes, e.g. {@code TLSv1.2}; unset = the JVM's
 *                              (older servers such as vsftpd 3.0.3 break data transfers under TLSv1.3)
 */
@Validated
@ConfigurationProperties("ftpbridge.remotes")
public record RemoteClientProperties(
        @Pattern(regexp = "^\\d{1,5}-\\d{1,5}$", message = "must be a port range like 40000-40099") String activePorts,
        String activeExternalAddress,
        @DefaultValue("262144") @Min(1024) int bufferSize,
        @DefaultValue("60s") @NotNull Duration idleTimeout,
        @DefaultValue("30s") @NotNull Duration evictionInterval,
        Path trustStore,
        String trustStorePassword,
        List<String> tlsProtocols) {

    int activeMinPort() {
        return activePorts == null ? 0 : Integer.parseInt(activePorts.split("-")[0]);
    }

    int activeMaxPort() {
        return activePorts == null ? 0 : Integer.parseInt(activePorts.split("-")[1]);
    }
}
