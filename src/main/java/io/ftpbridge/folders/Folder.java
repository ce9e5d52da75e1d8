package io.ftpbridge.folders;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;

@Entity
@Table(name = "folder")
class Folder {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, unique = true, length = 64)
    private String name;

    private String description;

    /** Absolute storage path chosen by an administrator; null means the default under the storage root. */
    private String location;

    @Column(name = "quota_bytes", nullable = false)
    private long quotaBytes;

    @Column(name = "quota_files", nullable = false)
    private long quotaFiles;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Version
    private long version;

    protected Folder() {
    }

    Folder(String name) {
        this.name = name;
        this.createdAt = Instant.now();
        this.updatedAt = createdAt;
    }

    String getName() {
        return name;
    }

    String getDescription() {
        return description;
    }

    void setDescription(String description) {
        this.description = description;
    }

    String getLocation() {
        return location;
    }

    void setLocation(String location) {
        this.location = location;
    }

    long getQuotaBytes() {
        return quotaBytes;
    }

    void setQuotaBytes(long quotaBytes) {
        this.quotaBytes = quotaBytes;
    }

    long getQuotaFiles() {
        return quotaFiles;
    }

    void setQuotaFiles(long quotaFiles) {
        this.quotaFiles = quotaFiles;
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
