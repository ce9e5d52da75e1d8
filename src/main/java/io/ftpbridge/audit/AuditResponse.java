package io.ftpbridge.audit;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/**
 * One audit row.
 *
 * @param action     {@code login.succeeded}, {@code login.failed}, or {@code <resource>.<verb>} of a REST change
 *                   (e.g. {@code users.create}, {@code folders.files.upload}, {@code api-keys.delete})
 * @param authMethod BASIC, TOKEN, API_KEY, or FTP for an FTP login
 * @param method     the HTTP method (null for a login)
 * @param status     the HTTP status answered (null for an FTP login)
 */
public record AuditResponse(long id, Instant time, @Schema(nullable = true) String actor, @Schema(nullable = true) String authMethod,
                            @Schema(nullable = true) String keyId, String action,
                            @Schema(nullable = true) String method, @Schema(nullable = true) String path,
                            @Schema(nullable = true) String target, @Schema(nullable = true) Integer status,
                            @Schema(nullable = true) String clientAddress) {

    static AuditResponse of(AuditEvent e) {
        return new AuditResponse(e.getId(), e.getTime(), e.getActor(), e.getAuthMethod(), e.getKeyId(), e.getAction(),
                e.getMethod(), e.getPath(), e.getTarget(), e.getStatus(), e.getClientAddress());
    }
}
