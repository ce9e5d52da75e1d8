package io.ftpbridge.sessions;

import io.ftpbridge.ftpserver.FtpSessionSnapshot;
import io.ftpbridge.ftpserver.FtpSessions;
import io.ftpbridge.ftpserver.FtpTransferSnapshot;
import java.net.InetAddress;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The FTP sessions of every instance sharing the database. Each instance writes what changed in
 * its own sessions in one transaction per heartbeat (never per command), renews its lease in the
 * same transaction and closes the sessions other instances asked it to kick. Listing merges this
 * instance's live sessions with the other instances' rows whose lease still runs.
 */
@Component
public class SessionRegistry implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SessionRegistry.class);
    private static final String COLUMNS = "s.id, s.instance, s.username, s.remote_address, s.connected_at, s.last_command,"
            + " s.bytes_in, s.bytes_out, s.transfer_path, s.transfer_direction, s.transfer_bytes, s.transfer_rate";
    private static final int[] ROW_TYPES = {Types.VARCHAR, Types.VARCHAR, Types.VARCHAR, Types.VARCHAR,
            Types.TIMESTAMP_WITH_TIMEZONE, Types.VARCHAR, Types.BIGINT, Types.BIGINT, Types.VARCHAR, Types.VARCHAR, Types.BIGINT,
            Types.BIGINT};
    private static final int[] CHANGE_TYPES = {Types.VARCHAR, Types.VARCHAR, Types.VARCHAR, Types.BIGINT, Types.BIGINT,
            Types.VARCHAR, Types.VARCHAR, Types.BIGINT, Types.BIGINT, Types.VARCHAR};
    /** Every this many heartbeats, the rows of instances whose lease ran out are deleted. */
    private static final int SWEEP_EVERY = 30;

    private final FtpSessions local;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final SessionProperties properties;
    private final String instance;
    /** What the database holds for this instance's sessions, as last written. */
    private final Map<UUID, FtpSessionSnapshot> written = new HashMap<>();
    private ScheduledExecutorService timer;
    private long beats;
    private volatile long writes;

    public SessionRegistry(FtpSessions local, JdbcTemplate jdbc, TransactionTemplate tx, SessionProperties properties) {
        this.local = local;
        this.jdbc = jdbc;
        this.tx = tx;
        this.properties = properties;
        this.instance = hostName() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** This instance's name in the sessions list. */
    public String instance() {
        return instance;
    }

    /** Database transactions written by the heartbeat so far (one per heartbeat at most). */
    public long writes() {
        return writes;
    }

    /** A page of every instance's sessions, oldest first. */
    public Page page(int offset, int size) {
        OffsetDateTime now = now();
        List<FtpSessionSnapshot> mine = local.list().stream().map(s -> s.withInstance(instance)).toList();
        Long others = jdbc.queryForObject("SELECT COUNT(*) FROM ftp_session s JOIN ftp_instance i ON i.id = s.instance"
                + " WHERE s.instance <> ? AND i.lease_until > ?", Long.class, instance, now);
        List<FtpSessionSnapshot> theirs = jdbc.query("SELECT " + COLUMNS
                        + " FROM ftp_session s JOIN ftp_instance i ON i.id = s.instance"
                        + " WHERE s.instance <> ? AND i.lease_until > ? ORDER BY s.connected_at, s.id"
                        + " OFFSET 0 ROWS FETCH FIRST ? ROWS ONLY",
                SessionRegistry::row, instance, now, offset + size);
        List<FtpSessionSnapshot> merged = new ArrayList<>(mine.size() + theirs.size());
        merged.addAll(mine);
        merged.addAll(theirs);
        merged.sort(FtpSessionSnapshot.OLDEST_FIRST);
        int from = Math.min(offset, merged.size());
        int to = Math.min(from + size, merged.size());
        return new Page(List.copyOf(merged.subList(from, to)), mine.size() + (others == null ? 0 : others));
    }

    /** One page of sessions and the number of sessions in all. */
    public record Page(List<FtpSessionSnapshot> items, long total) {
    }

    /**
     * Closes a session wherever it is: here at once, on another live instance at its next heartbeat.
     * False when no instance holds such a session.
     */
    public boolean disconnect(UUID id) {
        if (local.disconnect(id)) {
            return true;
        }
        List<String> owner = jdbc.queryForList("SELECT s.instance FROM ftp_session s JOIN ftp_instance i ON i.id = s.instance"
                + " WHERE s.id = ? AND s.instance <> ? AND i.lease_until > ?", String.class, id.toString(), instance, now());
        if (owner.isEmpty()) {
            return false;
        }
        try {
            jdbc.update("INSERT INTO ftp_session_kick (session_id, instance, requested_at) VALUES (?, ?, ?)",
                    id.toString(), owner.get(0), now());
        } catch (DuplicateKeyException alreadyRequested) {
            // a kick is already on its way
        }
        log.info("FTP session disconnect requested: id={} instance={} by={}", id, owner.get(0), instance);
        return true;
    }

    synchronized void heartbeat() {
        List<String> kicks = jdbc.queryForList("SELECT session_id FROM ftp_session_kick WHERE instance = ?", String.class,
                instance);
        for (String kick : kicks) {
            local.disconnect(UUID.fromString(kick));
        }
        Map<UUID, FtpSessionSnapshot> live = new HashMap<>();
        for (FtpSessionSnapshot session : local.list()) {
            live.put(session.id(), session.withInstance(instance));
        }
        List<FtpSessionSnapshot> added = new ArrayList<>();
        List<FtpSessionSnapshot> changed = new ArrayList<>();
        Set<UUID> removed = new HashSet<>();
        for (FtpSessionSnapshot session : live.values()) {
            FtpSessionSnapshot before = written.get(session.id());
            if (before == null) {
                added.add(session);
            } else if (!session.equals(before)) {
                changed.add(session);
            }
        }
        for (UUID id : written.keySet()) {
            if (!live.containsKey(id)) {
                removed.add(id);
            }
        }
        boolean sweep = ++beats % SWEEP_EVERY == 0;
        OffsetDateTime now = now();
        tx.executeWithoutResult(status -> {
            if (jdbc.update("UPDATE ftp_instance SET lease_until = ? WHERE id = ?", now.plus(properties.lease()),
                    instance) == 0) {
                jdbc.update("INSERT INTO ftp_instance (id, started_at, lease_until) VALUES (?, ?, ?)", instance, now,
                        now.plus(properties.lease()));
            }
            if (!removed.isEmpty()) {
                jdbc.batchUpdate("DELETE FROM ftp_session WHERE id = ?",
                        removed.stream().map(id -> new Object[] {id.toString()}).toList());
            }
            if (!changed.isEmpty()) {
                int[] updated = jdbc.batchUpdate("""
                        UPDATE ftp_session SET username = ?, remote_address = ?, last_command = ?, bytes_in = ?, bytes_out = ?,
                                               transfer_path = ?, transfer_direction = ?, transfer_bytes = ?, transfer_rate = ?
                        WHERE id = ?""", changed.stream().map(SessionRegistry::changes).toList(), CHANGE_TYPES);
                for (int i = 0; i < updated.length; i++) {
                    if (updated[i] == 0) {
                        // swept while this instance's lease had run out (a long pause): written anew
                        added.add(changed.get(i));
                    }
                }
            }
            if (!added.isEmpty()) {
                jdbc.batchUpdate("""
                        INSERT INTO ftp_session (id, instance, username, remote_address, connected_at, last_command,
                                                 bytes_in, bytes_out, transfer_path, transfer_direction, transfer_bytes,
                                                 transfer_rate)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", added.stream().map(SessionRegistry::values).toList(),
                        ROW_TYPES);
            }
            if (!kicks.isEmpty()) {
                jdbc.batchUpdate("DELETE FROM ftp_session_kick WHERE session_id = ?",
                        kicks.stream().map(k -> new Object[] {k}).toList());
            }
            if (sweep) {
                jdbc.update("DELETE FROM ftp_session WHERE instance IN (SELECT id FROM ftp_instance WHERE lease_until < ?)", now);
                jdbc.update("DELETE FROM ftp_session_kick WHERE instance IN (SELECT id FROM ftp_instance WHERE lease_until < ?)",
                        now);
                jdbc.update("DELETE FROM ftp_instance WHERE lease_until < ?", now);
            }
        });
        writes++;
        for (UUID id : removed) {
            written.remove(id);
        }
        for (FtpSessionSnapshot session : added) {
            written.put(session.id(), session);
        }
        for (FtpSessionSnapshot session : changed) {
            written.put(session.id(), session);
        }
    }

    private static Object[] values(FtpSessionSnapshot s) {
        FtpTransferSnapshot t = s.transfer();
        return new Object[] {s.id().toString(), s.instance(), s.username(), s.remoteAddress(),
                OffsetDateTime.ofInstant(s.connectedAt(), ZoneOffset.UTC), truncate(s.lastCommand(), 1024), s.bytesIn(),
                s.bytesOut(), t == null ? null : truncate(t.path(), 4096), t == null ? null : t.direction(),
                t == null ? null : t.bytes(), t == null ? null : t.bytesPerSecond()};
    }

    private static Object[] changes(FtpSessionSnapshot s) {
        FtpTransferSnapshot t = s.transfer();
        return new Object[] {s.username(), s.remoteAddress(), truncate(s.lastCommand(), 1024), s.bytesIn(), s.bytesOut(),
                t == null ? null : truncate(t.path(), 4096), t == null ? null : t.direction(), t == null ? null : t.bytes(),
                t == null ? null : t.bytesPerSecond(), s.id().toString()};
    }

    private static FtpSessionSnapshot row(ResultSet rs, int n) throws SQLException {
        FtpTransferSnapshot transfer = rs.getString("transfer_path") == null ? null
                : new FtpTransferSnapshot(rs.getString("transfer_path"), rs.getString("transfer_direction"),
                rs.getLong("transfer_bytes"), rs.getLong("transfer_rate"));
        return new FtpSessionSnapshot(UUID.fromString(rs.getString("id")), rs.getString("instance"), rs.getString("username"),
                rs.getString("remote_address"), rs.getObject("connected_at", OffsetDateTime.class).toInstant(),
                rs.getString("last_command"), rs.getLong("bytes_in"), rs.getLong("bytes_out"), transfer);
    }

    private static String truncate(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }

    @Override
    public synchronized void start() {
        if (timer != null) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "ftp-session-registry");
            thread.setDaemon(true);
            return thread;
        });
        long every = properties.heartbeat().toMillis();
        timer.scheduleWithFixedDelay(() -> {
            try {
                heartbeat();
            } catch (RuntimeException e) {
                log.warn("FTP session registry heartbeat failed: instance={} error={}", instance, e.toString());
            }
        }, 0, every, TimeUnit.MILLISECONDS);
        log.info("FTP session registry started: instance={} heartbeat={} lease={}", instance, properties.heartbeat(),
                properties.lease());
    }

    @Override
    public synchronized void stop() {
        if (timer == null) {
            return;
        }
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timer = null;
        // rows left behind expire with the lease anyway: never hold up a shutdown for them
        Thread cleanup = new Thread(() -> {
            try {
                tx.executeWithoutResult(status -> {
                    jdbc.update("DELETE FROM ftp_session WHERE instance = ?", instance);
                    jdbc.update("DELETE FROM ftp_session_kick WHERE instance = ?", instance);
                    jdbc.update("DELETE FROM ftp_instance WHERE id = ?", instance);
                });
            } catch (RuntimeException e) {
                log.warn("FTP session registry could not remove its rows: instance={} error={}", instance, e.toString());
            }
        }, "ftp-session-registry-stop");
        cleanup.setDaemon(true);
        cleanup.start();
        try {
            cleanup.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        written.clear();
    }

    @Override
    public boolean isRunning() {
        return timer != null;
    }

    @Override
    public int getPhase() {
        // after the FTP server starts, stopped before it (its sessions are gone with it)
        return Integer.MAX_VALUE - 50;
    }

    private static String hostName() {
        try {
            String name = InetAddress.getLocalHost().getHostName();
            return name.length() > 40 ? name.substring(0, 40) : name;
        } catch (Exception e) {
            return "ftpbridge";
        }
    }
}
