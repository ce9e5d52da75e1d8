package io.ftpbridge.users;

import java.time.Instant;

/**
 * The columns of an FTP user that the API shows, as the users list reads them: with a constructor
 * query, not as entities (no persistence context, no dirty-checking snapshot, no collection
 * wrapper per user). Its mounts come as {@link MountRow}s of one query for the whole page.
 */
record UserRow(Long id, String username, boolean enabled, int maxConnections, long uploadBytesPerSecond,
               long downloadBytesPerSecond, String allowedIps, Instant createdAt, Instant updatedAt,
               boolean tlsRequired) {

    static UserRow of(FtpUser user) {
        return new UserRow(null, user.getUsername(), user.isEnabled(), user.getMaxConnections(),
                user.getUploadBytesPerSecond(), user.getDownloadBytesPerSecond(), String.join(",", user.getAllowedIps()),
                user.getCreatedAt(), user.getUpdatedAt(), user.isTlsRequired());
    }

    /** One mount of the user with the given id. */
    record MountRow(Long userId, String folderName, String path, String permissions) {
        MountEntry entry() {
            return new MountEntry(folderName, path, permissions);
        }
    }
}
