package io.ftpbridge.admins;

import io.ftpbridge.security.Role;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Create ({@code POST}) or replace ({@code PUT}, where a missing password keeps the current one) an administrator. */
public record AdminRequest(
        @NotBlank @Pattern(regexp = "^[A-Za-z0-9._-]{1,64}$", message = "must be 1-64 of [A-Za-z0-9._-]") String username,
        @Schema(accessMode = Schema.AccessMode.WRITE_ONLY) @Size(min = 8, max = 1024, message = "must be 8-1024 characters") String password,
        @NotNull Role role,
        Boolean enabled) {

    @Override
    public String toString() {
        return "AdminRequest[username=%s, role=%s, enabled=%s]".formatted(username, role, enabled);
    }
}
