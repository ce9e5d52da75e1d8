package io.ftpbridge.apikeys;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.ftpbridge.security.Role;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/**
 * An API key as the API shows it.
 *
 * @param key the whole key: only in the response that created it, never again
 */
public record ApiKeyResponse(String id, String name, Role role, @Schema(nullable = true) Instant expiresAt,
                             Instant createdAt, @Schema(nullable = true) Instant lastUsedAt, String createdBy,
                             @JsonInclude(JsonInclude.Include.NON_NULL)
                             @Schema(description = "the whole key, only in the response of POST; send it as "
                                     + "`Authorization: Bearer <key>` or `X-API-Key: <key>`") String key) {

    static ApiKeyResponse of(ApiKey key, String whole) {
        return new ApiKeyResponse(key.getId(), key.getName(), key.getRole(), key.getExpiresAt(), key.getCreatedAt(),
                key.getLastUsedAt(), key.getCreatedBy(), whole);
    }

    @Override
    public String toString() {
        return "ApiKeyResponse[id=%s, name=%s, role=%s]".formatted(id, name, role);
    }
}
