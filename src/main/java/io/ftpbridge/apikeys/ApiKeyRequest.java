package io.ftpbridge.apikeys;

import io.ftpbridge.security.Role;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;

/**
 * A new API key.
 *
 * @param role      at most the creator's own role
 * @param expiresAt optional; the key is refused from then on
 */
public record ApiKeyRequest(@NotBlank @Size(max = 64) String name, @NotNull Role role, Instant expiresAt) {
}
