package io.ftpbridge.security;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

/**
 * One allow or deny entry, as the API shows it.
 *
 * @param protocols where it applies: FTP, REST or both
 * @param expiresAt after this instant the entry no longer applies; null = never
 */
public record IpListEntry(long id, String cidr, Type type, List<Protocol> protocols, @Schema(nullable = true) String note, @Schema(nullable = true) Instant expiresAt) {

    public enum Type { ALLOW, DENY }
}
