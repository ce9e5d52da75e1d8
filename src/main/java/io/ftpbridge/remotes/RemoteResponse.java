package io.ftpbridge.remotes;

import java.time.Duration;
import java.time.Instant;

/** A remote as the API shows it: never the password, only whether one is set. */
public record RemoteResponse(String name, String host, int port, String username, boolean hasPassword,
                             DataMode dataMode, RemoteTls tls, TransferType transferType, int maxConnections,
                             Duration connectTimeout, Duration readTimeout, Instant createdAt, Instant updatedAt) {

    static RemoteResponse of(Remote remote) {
        return new RemoteResponse(remote.getName(), remote.getHost(), remote.getPort(), remote.getUsername(),
                remote.getPasswordEncrypted() != null, remote.getDataMode(), remote.getTls(), remote.getTransferType(),
                remote.getMaxConnections(), remote.getConnectTimeout(), remote.getReadTimeout(), remote.getCreatedAt(),
                remote.getUpdatedAt());
    }
}
