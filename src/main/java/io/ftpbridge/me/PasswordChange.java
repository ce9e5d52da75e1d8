package io.ftpbridge.me;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** A new password for the caller's own account, with the current one as proof. */
public record PasswordChange(
        @Schema(accessMode = Schema.AccessMode.WRITE_ONLY) @NotNull String currentPassword,
        @Schema(accessMode = Schema.AccessMode.WRITE_ONLY) @NotNull @Size(min = 8, max = 1024, message = "must be 8-1024 characters") String newPassword) {

    @Override
    public String toString() {
        return "PasswordChange[****]";
    }
}
