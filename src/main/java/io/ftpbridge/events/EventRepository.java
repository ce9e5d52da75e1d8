package io.ftpbridge.events;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Events in the database (plain SQL, like the transfer jobs they sit beside). */
@Repository
class EventRepository {

    private static final String COLUMNS = "id, type, occurred_at, instance, actor, protocol, folder, path, from_path, size,"
            + " job_id, state, address";
    /** The key column, for {@link Connection#prepareStatement(String, String[])} (PostgreSQL returns every column otherwise). */
    static final String[] ID = {"id"};

    private final JdbcClient jdbc;

    EventRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }

    /** The event's insert, with the rules whose deliveries are still to be written; {@link #insert} sets its parameters. */
    private static final String INSERT_SQL = """
            INSERT INTO automation_event (type, occurred_at, instance, actor, protocol, folder, path, from_path, size,
                                          job_id, state, address, pending_rules)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    /**
     * An event about to be written, as a read of it would return it but without its id: the time now (to the
     * microsecond the database keeps), texts cut to their columns.
     */
    static EventResponse unsaved(EventType type, String instance, String actor, EventProtocol protocol, String folder, String path,
                                 String fromPath, Long size, Long jobId, String state, String address) {
        return new EventResponse(0, type, now().truncatedTo(ChronoUnit.MICROS), instance, cut(actor, 128), protocol, folder,
                cut(path, 4096), cut(fromPath, 4096), size, jobId, state, cut(address, 64));
    }

    static EventResponse withId(EventResponse e, long id) {
        return new EventResponse(id, e.type(), e.time(), e.instance(), e.actor(), e.protocol(), e.folder(), e.path(), e.fromPath(),
                e.size(), e.jobId(), e.state(), e.address());
    }

    /**
     * Records an event made by {@link #unsaved} on {@code connection} (its caller's transaction, or auto-commit), with
     * the ids of the rules that took it ({@code pendingRules}, comma-separated, or null: the delivery worker writes
     * their deliveries); returns it with its id (the delivery worker uses it instead of a read). Plain JDBC, static (no
     * proxy), one plain insert whether rules took the event or not: the upload threads run this once per file.
     */
    static EventResponse insert(Connection connection, EventResponse e, String pendingRules) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT_SQL, ID)) {
            insert.setString(1, e.type().name());
            insert.setObject(2, e.time());
            text(insert, 3, e.instance());
            text(insert, 4, e.actor());
            text(insert, 5, e.protocol() == null ? null : e.protocol().name());
            text(insert, 6, e.folder());
            text(insert, 7, e.path());
            text(insert, 8, e.fromPath());
            number(insert, 9, e.size());
            number(insert, 10, e.jobId());
            text(insert, 11, e.state());
            text(insert, 12, e.address());
            text(insert, 13, pendingRules);
            insert.executeUpdate();
            return withId(e, generatedId(insert));
        }
    }

    static long generatedId(PreparedStatement insert) throws SQLException {
        try (ResultSet keys = insert.getGeneratedKeys()) {
            keys.next();
            return keys.getLong(1);
        }
    }

    static void text(PreparedStatement statement, int index, String value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.VARCHAR);
        } else {
            statement.setString(index, value);
        }
    }

    static void number(PreparedStatement statement, int index, Long value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.BIGINT);
        } else {
            statement.setLong(index, value);
        }
    }

    Optional<EventResponse> find(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM automation_event WHERE id = :id").param("id", id)
                .query(EventRepository::event).optional();
    }

    /** The events of a batch of deliveries, by id. */
    Map<Long, EventResponse> findAll(Collection<Long> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        return jdbc.sql("SELECT " + COLUMNS + " FROM automation_event WHERE id IN (:ids)").param("ids", ids)
                .query(EventRepository::event).list().stream().collect(Collectors.toMap(EventResponse::id, e -> e));
    }

    /**
     * Deletes up to {@code batch} of the oldest events that happened before {@code before} and have no delivery still
     * pending or still to be written; their delivery log goes with them (the foreign key cascades). Returns how many were deleted.
     */
    int deleteOlderThan(OffsetDateTime before, int batch) {
        return jdbc.sql("""
                DELETE FROM automation_event WHERE id IN (
                    SELECT e.id FROM automation_event e
                    WHERE e.occurred_at < :before AND e.pending_rules IS NULL
                      AND NOT EXISTS (SELECT 1 FROM event_delivery d WHERE d.event_id = e.id AND d.state = 'PENDING')
                    ORDER BY e.id LIMIT :batch)""")
                .param("before", before).param("batch", batch).update();
    }

    List<EventResponse> list(EventType type, String folder, OffsetDateTime from, int page, int size) {
        Filter f = filter(type, folder, from);
        var spec = jdbc.sql("SELECT " + COLUMNS + " FROM automation_event" + f.where
                + " ORDER BY id DESC LIMIT :limit OFFSET :offset").param("limit", size).param("offset", (long) page * size);
        for (int i = 0; i < f.values.size(); i++) {
            spec = spec.param(f.names.get(i), f.values.get(i));
        }
        return spec.query(EventRepository::event).list();
    }

    long count(EventType type, String folder, OffsetDateTime from) {
        Filter f = filter(type, folder, from);
        var spec = jdbc.sql("SELECT COUNT(*) FROM automation_event" + f.where);
        for (int i = 0; i < f.values.size(); i++) {
            spec = spec.param(f.names.get(i), f.values.get(i));
        }
        return spec.query(Long.class).single();
    }

    private record Filter(String where, List<String> names, List<Object> values) {
    }

    private static Filter filter(EventType type, String folder, OffsetDateTime from) {
        List<String> conditions = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        if (type != null) {
            conditions.add("type = :type");
            names.add("type");
            values.add(type.name());
        }
        if (folder != null) {
            conditions.add("folder = :folder");
            names.add("folder");
            values.add(folder);
        }
        if (from != null) {
            conditions.add("occurred_at >= :from");
            names.add("from");
            values.add(from);
        }
        return new Filter(conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions), names, values);
    }

    private static EventResponse event(ResultSet rs, int row) throws SQLException {
        long size = rs.getLong("size");
        Long sizeOrNull = rs.wasNull() ? null : size;
        long job = rs.getLong("job_id");
        Long jobOrNull = rs.wasNull() ? null : job;
        return new EventResponse(rs.getLong("id"), EventType.valueOf(rs.getString("type")),
                rs.getObject("occurred_at", OffsetDateTime.class), rs.getString("instance"), rs.getString("actor"),
                EventProtocol.of(rs.getString("protocol")), rs.getString("folder"), rs.getString("path"),
                rs.getString("from_path"), sizeOrNull, jobOrNull, rs.getString("state"), rs.getString("address"));
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
