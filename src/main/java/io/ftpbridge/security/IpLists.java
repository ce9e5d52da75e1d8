package io.ftpbridge.security;

import io.ftpbridge.web.FieldError;
import io.ftpbridge.web.InvalidRequestException;
import io.ftpbridge.web.NotFoundException;
import java.net.InetAddress;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Service;

/**
 * Allow and deny entries by CIDR, shared by every instance through the database. A denied address
 * is refused at FTP connect (421) and by REST (403) unless an allow entry covers it too; an
 * allowed address is never banned by the {@link LoginGuard}. Read from a copy at most one second
 * old, so a change made on one instance applies everywhere within a second.
 */
@Service
public class IpLists {

    private static final Logger log = LoggerFactory.getLogger(IpLists.class);
    private static final long REFRESH_MILLIS = 1000;
    private static final String COLUMNS = "id, cidr, type, protocols, note, expires_at";

    private final JdbcTemplate jdbc;
    private volatile Compiled compiled = new Compiled(List.of(), 0);

    public IpLists(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** True when a deny entry for the protocol covers the address and no allow entry does. */
    public boolean denies(Protocol protocol, InetAddress address) {
        return matches(IpListEntry.Type.DENY, protocol, address) && !matches(IpListEntry.Type.ALLOW, protocol, address);
    }

    /** True when an allow entry for the protocol covers the address: it is never banned. */
    public boolean allows(Protocol protocol, InetAddress address) {
        return matches(IpListEntry.Type.ALLOW, protocol, address);
    }

    private boolean matches(IpListEntry.Type type, Protocol protocol, InetAddress address) {
        if (address == null) {
            return false;
        }
        Instant now = Instant.now();
        for (Rule rule : current().rules()) {
            if (rule.type() == type && rule.protocols().contains(protocol) && rule.cidr().contains(address)
                    && (rule.expiresAt() == null || rule.expiresAt().isAfter(now))) {
                return true;
            }
        }
        return false;
    }

    private Compiled current() {
        Compiled now = compiled;
        if (System.currentTimeMillis() - now.loadedAt() < REFRESH_MILLIS) {
            return now;
        }
        synchronized (this) {
            if (System.currentTimeMillis() - compiled.loadedAt() >= REFRESH_MILLIS) {
                try {
                    List<Rule> rules = jdbc.query("SELECT " + COLUMNS + " FROM ip_list_entry", IpLists::entry).stream()
                            .map(e -> new Rule(Cidr.parse(e.cidr()), e.type(), EnumSet.copyOf(e.protocols()), e.expiresAt()))
                            .toList();
                    compiled = new Compiled(rules, System.currentTimeMillis());
                } catch (RuntimeException e) {
                    // keep the last known lists rather than let every connection fail with the database
                    log.warn("IP lists could not be read; the previous ones stay in force: error={}", e.toString());
                    compiled = new Compiled(compiled.rules(), System.currentTimeMillis());
                }
            }
            return compiled;
        }
    }

    public List<IpListEntry> list(IpListEntry.Type type) {
        return type == null ? jdbc.query("SELECT " + COLUMNS + " FROM ip_list_entry ORDER BY id", IpLists::entry)
                : jdbc.query("SELECT " + COLUMNS + " FROM ip_list_entry WHERE type = ? ORDER BY id", IpLists::entry,
                type.name());
    }

    public IpListEntry get(long id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM ip_list_entry WHERE id = ?", IpLists::entry, id).stream().findFirst()
                .orElseThrow(() -> new NotFoundException("IP list entry " + id + " does not exist"));
    }

    public IpListEntry create(IpListRequest request) {
        Valid v = validate(request);
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        jdbc.update(c -> {
            var insert = c.prepareStatement("INSERT INTO ip_list_entry (cidr, type, protocols, note, expires_at, created_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?)", new String[] {"id"});
            insert.setString(1, v.cidr());
            insert.setString(2, request.type().name());
            insert.setString(3, v.protocols());
            insert.setString(4, request.note());
            insert.setObject(5, v.expiresAt());
            insert.setObject(6, OffsetDateTime.now(ZoneOffset.UTC));
            return insert;
        }, keys);
        long id = keys.getKey().longValue();
        changed();
        log.info("IP list entry created: id={} cidr={} type={} protocols={}", id, v.cidr(), request.type(), v.protocols());
        return get(id);
    }

    public IpListEntry replace(long id, IpListRequest request) {
        Valid v = validate(request);
        int updated = jdbc.update("UPDATE ip_list_entry SET cidr = ?, type = ?, protocols = ?, note = ?, expires_at = ?"
                + " WHERE id = ?", v.cidr(), request.type().name(), v.protocols(), request.note(), v.expiresAt(), id);
        if (updated == 0) {
            throw new NotFoundException("IP list entry " + id + " does not exist");
        }
        changed();
        log.info("IP list entry replaced: id={} cidr={} type={} protocols={}", id, v.cidr(), request.type(), v.protocols());
        return get(id);
    }

    public void delete(long id) {
        if (jdbc.update("DELETE FROM ip_list_entry WHERE id = ?", id) == 0) {
            throw new NotFoundException("IP list entry " + id + " does not exist");
        }
        changed();
        log.info("IP list entry deleted: id={}", id);
    }

    private void changed() {
        compiled = new Compiled(compiled.rules(), 0);
    }

    private record Valid(String cidr, String protocols, OffsetDateTime expiresAt) {
    }

    private static Valid validate(IpListRequest request) {
        List<FieldError> errors = new ArrayList<>();
        String cidr = null;
        try {
            cidr = Cidr.parse(request.cidr()).toString();
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError("cidr", e.getMessage()));
        }
        if (request.type() == null) {
            errors.add(new FieldError("type", "must be ALLOW or DENY"));
        }
        if (request.note() != null && request.note().length() > 1024) {
            errors.add(new FieldError("note", "must be at most 1024 characters"));
        }
        if (request.protocols() != null && request.protocols().contains(null)) {
            errors.add(new FieldError("protocols", "must be FTP, REST or both"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        Set<Protocol> protocols = request.protocols() == null || request.protocols().isEmpty()
                ? EnumSet.allOf(Protocol.class) : EnumSet.copyOf(request.protocols());
        return new Valid(cidr, String.join(",", protocols.stream().map(Enum::name).toList()),
                request.expiresAt() == null ? null : OffsetDateTime.ofInstant(request.expiresAt(), ZoneOffset.UTC));
    }

    private static IpListEntry entry(ResultSet rs, int n) throws SQLException {
        OffsetDateTime expires = rs.getObject("expires_at", OffsetDateTime.class);
        return new IpListEntry(rs.getLong("id"), rs.getString("cidr"), IpListEntry.Type.valueOf(rs.getString("type")),
                Arrays.stream(rs.getString("protocols").split(",")).map(Protocol::valueOf).toList(), rs.getString("note"),
                expires == null ? null : expires.toInstant());
    }

    private record Rule(Cidr cidr, IpListEntry.Type type, Set<Protocol> protocols, Instant expiresAt) {
    }

    private record Compiled(List<Rule> rules, long loadedAt) {
    }
}
