package io.ftpbridge.remotes;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Duration;
import java.time.Instant;

/** A remote FTP server profile; the password only ever held encrypted here. */
@Entity
@Table(name = "remote_server")
class Remote {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, unique = true, length = 64)
    private String name;

    @Column(nullable = false)
    private String host;

    @Column(nullable = false)
    private int port = 21;

    @Column(nullable = false)
    private String username;

    @Column(name = "password_encrypted")
    private String passwordEncrypted;

    @Enumerated(EnumType.STRING)
    @Column(name = "data_mode", nullable = false)
    private DataMode dataMode = DataMode.EPSV;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private RemoteTls tls = RemoteTls.NONE;

    @Enumerated(EnumType.STRING)
    @Column(name = "transfer_type", nullable = false)
    private TransferType transferType = TransferType.BINARY;

    @Column(name = "max_connections", nullable = false)
    private int maxConnections = 4;

    @Column(name = "connect_timeout_ms", nullable = false)
    private long connectTimeoutMs = 10_000;

    @Column(name = "read_timeout_ms", nullable = false)
    private long readTimeoutMs = 30_000;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Version
    private long version;

    protected Remote() {
    }

    Remote(String name) {
        this.name = name;
        this.createdAt = Instant.now();
        this.updatedAt = createdAt;
    }

    String getName() {
        return name;
    }

    String getHost() {
        return host;
    }

    void setHost(String host) {
        this.host = host;
    }

    int getPort() {
        return port;
    }

    void setPort(int port) {
        this.port = port;
    }

    String getUsername() {
        return username;
    }

    void setUsername(String username) {
        this.username = username;
    }

    String getPasswordEncrypted() {
        return passwordEncrypted;
    }

    void setPasswordEncrypted(String passwordEncrypted) {
        this.passwordEncrypted = passwordEncrypted;
    }

    DataMode getDataMode() {
        return dataMode;
    }

    void setDataMode(DataMode dataMode) {
        this.dataMode = dataMode;
    }

    RemoteTls getTls() {
        return tls;
    }

    void setTls(RemoteTls tls) {
        this.tls = tls;
    }

    TransferType getTransferType() {
        return transferType;
    }

    void setTransferType(TransferType transferType) {
        this.transferType = transferType;
    }

    int getMaxConnections() {
        return maxConnections;
    }

    void setMaxConnections(int maxConnections) {
        this.maxConnections = maxConnections;
    }

    Duration getConnectTimeout() {
        return Duration.ofMillis(connectTimeoutMs);
    }

    void setConnectTimeout(Duration timeout) {
        this.connectTimeoutMs = timeout.toMillis();
    }

    Duration getReadTimeout() {
        return Duration.ofMillis(readTimeoutMs);
    }

    void setReadTimeout(Duration timeout) {
        this.readTimeoutMs = timeout.toMillis();
    }

    Instant getCreatedAt() {
        return createdAt;
    }

    Instant getUpdatedAt() {
        return updatedAt;
    }

    void touch() {
        this.updatedAt = Instant.now();
    }
}
