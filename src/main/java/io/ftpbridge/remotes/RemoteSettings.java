package io.ftpbridge.remotes;

import java.time.Duration;

/** Everything needed to connect to a remote FTP server, the password decrypted. Never logged. */
public record RemoteSettings(String name, String host, int port, String username, String password,
                             DataMode dataMode, RemoteTls tls, TransferType transferType, int maxConnections,
                             Duration connectTimeout, Duration readTimeout) {

    @Override
    public String toString() {
        return "RemoteSettings[name=%s, host=%s, port=%d, username=%s, dataMode=%s, tls=%s]"
                .formatted(name, host, port, username, dataMode, tls);
    }
}
