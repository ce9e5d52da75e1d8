package io.ftpbridge.users;

import io.ftpbridge.storage.Permission;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.util.Set;

/** A folder mounted at {@code path} of the user's FTP tree with the given permissions. */
public record MountDto(
        @Schema(example = "incoming") @NotBlank String folder,
        @Schema(example = "/in") @NotBlank String path,
        @Schema(example = "[\"LIST\",\"READ\",\"WRITE\"]") @NotNull Set<Permission> permissions) {
}
