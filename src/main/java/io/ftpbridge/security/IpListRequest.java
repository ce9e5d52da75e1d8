package io.ftpbridge.security;

import java.time.Instant;
import java.util.List;

/** An allow or deny entry to create or replace; {@code protocols} unset or empty = FTP and REST. */
public record IpListRequest(String cidr, IpListEntry.Type type, List<Protocol> protocols, String note, Instant expiresAt) {
}
