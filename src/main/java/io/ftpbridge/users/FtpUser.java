package io.ftpbridge.users;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

@Entity
@Table(name = "ftp_user")
class FtpUser {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, unique = true, length = 64)
    private String username;

    @Column(name = "password_hash", nullable = false)
    private String passwordHash;

    @Column(nullable = false)
    private boolean enabled = true;

    @Column(name = "max_connections", nullable = false)
    private int maxConnections;

    @Column(name = "upload_bytes_per_second", nullable = false)
    private long uploadBytesPerSecond;

    @Column(name = "download_bytes_per_second", nullable = false)
    private long downloadBytesPerSecond;

    @Column(name = "tls_required", nullable = false)
    private boolean tlsRequired;

    /** CIDR blocks separated by commas; empty allows any address. */
    @Column(name = "allowed_ips", nullable = false, length = 4096)
    private String allowedIps = "";

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "user_mount", joinColumns = @JoinColumn(name = "user_id"))
    private List<MountEntry> mounts = new ArrayList<>();

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Version
    private long version;

    protected FtpUser() {
    }

    FtpUser(String username, String passwordHash) {
        this.username = username;
        this.passwordHash = passwordHash;
        this.createdAt = Instant.now();
        this.updatedAt = createdAt;
    }

    String getUsername() {
        return username;
    }

    String getPasswordHash() {
        return passwordHash;
    }

    void setPasswordHash(String passwordHash) {
        this.passwordHash = passwordHash;
    }

    boolean isEnabled() {
        return enabled;
    }

    void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    int getMaxConnections() {
        return maxConnections;
    }

    void setMaxConnections(int maxConnections) {
        this.maxConnections = maxConnections;
    }

    long getUploadBytesPerSecond() {
        return uploadBytesPerSecond;
    }

    void setUploadBytesPerSecond(long uploadBytesPerSecond) {
        this.uploadBytesPerSecond = uploadBytesPerSecond;
    }

    long getDownloadBytesPerSecond() {
        return downloadBytesPerSecond;
    }

    void setDownloadBytesPerSecond(long downloadBytesPerSecond) {
        this.downloadBytesPerSecond = downloadBytesPerSecond;
    }

    boolean isTlsRequired() {
        return tlsRequired;
    }

    void setTlsRequired(boolean tlsRequired) {
        this.tlsRequired = tlsRequired;
    }

    List<String> getAllowedIps() {
        return cidrs(allowedIps);
    }

    /** The CIDR blocks of the stored comma-separated form. */
    static List<String> cidrs(String stored) {
        return stored.isBlank() ? List.of() : List.of(stored.split(","));
    }

    void setAllowedIps(List<String> cidrs) {
        this.allowedIps = String.join(",", cidrs);
    }

    List<MountEntry> getMounts() {
        return mounts;
    }

    void setMounts(List<MountEntry> mounts) {
        this.mounts.clear();
        this.mounts.addAll(mounts);
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
