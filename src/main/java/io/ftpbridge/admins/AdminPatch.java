package io.ftpbridge.admins;

import io.ftpbridge.security.Role;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Size;

/** Some fields of an administrator; absent ones stay as they are. */
public record AdminPatch(
        @Schema(accessMode = Schema.AccessMode.WRITE_ONLY) @Size(min = 8, max = 1024, message = "must be 8-1024 characters") String password,
        Role role,
        Boolean enabled) {

    @Override
    public String toString() {
        return "AdminPatch[role=%s, enabled=%s]".formatted(role, enabled);
    }
}
