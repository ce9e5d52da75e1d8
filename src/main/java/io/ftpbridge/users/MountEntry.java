package io.ftpbridge.users;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

/** One mount of a user, stored in {@code user_mount}; permissions as a comma-separated list. */
@Embeddable
class MountEntry {

    @Column(name = "folder_name", nullable = false, length = 64)
    private String folderName;

    @Column(nullable = false, length = 1024)
    private String path;

    @Column(nullable = false)
    private String permissions;

    protected MountEntry() {
    }

    MountEntry(String folderName, String path, String permissions) {
        this.folderName = folderName;
        this.path = path;
        this.permissions = permissions;
    }

    String getFolderName() {
        return folderName;
    }

    String getPath() {
        return path;
    }

    String getPermissions() {
        return permissions;
    }
}
