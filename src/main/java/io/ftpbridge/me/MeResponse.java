package io.ftpbridge.me;

import io.ftpbridge.security.AccountKind;
import io.ftpbridge.security.AuthMethod;
import io.ftpbridge.security.Role;
import io.ftpbridge.users.MountDto;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * The caller's own account. Fields that do not apply are null: {@code role} for an FTP user,
 * {@code mounts} and {@code usage} for an administrator.
 *
 * @param authMethod how this request authenticated
 * @param apiKeyId   the API key used, if one was
 */
public record MeResponse(String username, AccountKind kind, @Schema(nullable = true) Role role, AuthMethod authMethod,
                         @Schema(nullable = true) String apiKeyId, @Schema(nullable = true) List<MountDto> mounts,
                         @Schema(nullable = true) List<FolderUsage> usage) {

    /** Usage of one mounted folder against its quota (0 = no quota). */
    public record FolderUsage(String folder, long bytes, long files, long quotaBytes, long quotaFiles) {
    }
}
