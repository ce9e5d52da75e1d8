package io.ftpbridge.admins;

import io.ftpbridge.security.Role;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/** An administrator as the API shows it: never the password or its hash. */
public record AdminResponse(String username, Role role, boolean enabled, Instant createdAt,
                            @Schema(nullable = true) Instant lastLoginAt) {

    static AdminResponse of(AdminAccount account) {
        return new AdminResponse(account.getUsername(), account.getRole(), account.isEnabled(), account.getCreatedAt(),
                account.getLastLoginAt());
    }
}
