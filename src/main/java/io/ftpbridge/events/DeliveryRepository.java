package io.ftpbridge.events;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.springframework.jdbc.core.BatchPreparedStatementSetter;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcOperations;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The outbox of rule actions. Claimed like transfer jobs: {@code FOR UPDATE SKIP LOCKED} and a lease,
 * so two instances never run the same delivery at once and a dead instance's deliveries are taken over.
 */
@Repository
class DeliveryRepository {

    /**
     * A claimed delivery: what to run, and until when this instance holds it. Id 0: the first attempt of a rule's first
     * action, run before its delivery is written ({@link FirstDeliveries#writeAttempted}); held while the event's
     * rule ids are, until it is a lease old.
     */
    record Claimed(long id, long ruleId, long eventId, int actionIndex, int attempt, int maxAttempts, OffsetDateTime leaseUntil) {
    }

    /**
     * The result of one attempt: delivered ({@code error} null), or failed and due again after {@code retryIn}
     * (null: no attempts left). {@code next} is the type of the rule's next action, queued once this one is delivered.
     */
    record Attempt(Claimed claimed, boolean delivered, Integer statusCode, String error, long durationMs, Duration retryIn,
                   RuleAction.Type next) {
    }

    /** Rows recorded by one statement at most (its padded row count is a power of two up to this). */
    private static final int MAX_ROWS_PER_UPDATE = 64;
    private static final Map<Integer, String> DELIVERED_SQL = new ConcurrentHashMap<>();

    /**
     * A delivery row to write, unclaimed: a first delivery (due, or as its first attempt ended) or a next action.
     */
    record NewDelivery(long eventId, long ruleId, int actionIndex, String type, int attempt, int maxAttempts, String state,
                       Integer statusCode, String error, Long durationMs, OffsetDateTime nextAttemptAt) {

        /** The next action of a rule whose action {@code delivered} was, due {@code now}. */
        static NewDelivery nextOf(Attempt delivered, OffsetDateTime now) {
            Claimed c = delivered.claimed();
            return new NewDelivery(c.eventId(), c.ruleId(), c.actionIndex() + 1, delivered.next().name(), 0, c.maxAttempts(), "PENDING",
                    null, null, null, now);
        }
    }

    /** A rule id no rule has (identities start at 1): the padding rows of {@link #insert}. */
    private static final long NO_RULE = -1;
    /** Rows written by one insert at most (a power of two). */
    private static final int MAX_ROWS_PER_INSERT = 64;
    private static final Map<Integer, String> INSERT_SQL = new ConcurrentHashMap<>();

    private final JdbcClient jdbc;
    private final NamedParameterJdbcOperations batch;
    /**
     * The dispatcher's claim and result transactions: JDBC ones (plain SQL), not the application's JPA transaction
     * manager, whose entity manager per transaction cost each round more than its batches (issue 11 benchmark).
     */
    private final TransactionTemplate transaction;

    DeliveryRepository(JdbcClient jdbc, NamedParameterJdbcOperations batch, DataSource dataSource) {
        this.jdbc = jdbc;
        this.batch = batch;
        this.transaction = new TransactionTemplate(new JdbcTransactionManager(dataSource));
    }

    /**
     * Claims up to {@code max} due deliveries in one transaction: one locking select, one update. A plain select looks
     * first whether any is due: H2 parses a {@code FOR UPDATE} anew every time, and most polls find nothing.
     */
    List<Claimed> claim(String owner, int max, Duration lease) {
        boolean anyDue = !jdbc.sql("""
                SELECT id FROM event_delivery
                WHERE state = 'PENDING' AND next_attempt_at <= :now AND (lease_until IS NULL OR lease_until < :now) LIMIT 1""")
                .param("now", EventRepository.now()).query(Long.class).list().isEmpty();
        return anyDue ? transaction.execute(status -> claimInTransaction(owner, max, lease)) : List.of();
    }

    private List<Claimed> claimInTransaction(String owner, int max, Duration lease) {
        OffsetDateTime now = EventRepository.now();
        OffsetDateTime until = now.plus(lease);
        List<Claimed> due = jdbc.sql("""
                SELECT id, rule_id, event_id, action_index, attempt, max_attempts FROM event_delivery
                WHERE state = 'PENDING' AND next_attempt_at <= :now AND (lease_until IS NULL OR lease_until < :now)
                ORDER BY id LIMIT :max FOR UPDATE SKIP LOCKED""")
                .param("now", now).param("max", max)
                .query((rs, n) -> new Claimed(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getInt(4), rs.getInt(5), rs.getInt(6),
                        until))
                .list();
        if (!due.isEmpty()) {
            // the rows are locked by this transaction: no other instance can claim them between the select and here
            jdbc.sql("UPDATE event_delivery SET owner = :owner, lease_until = :lease WHERE id IN (:ids)")
                    .param("owner", owner).param("lease", until).param("ids", due.stream().map(Claimed::id).toList()).update();
        }
        return due;
    }

    /**
     * Records attempts of deliveries this instance holds, in one transaction, and queues the next action of
     * each delivered one (if its rule still exists). An attempt whose claim was lost is not recorded.
     *
     * @return how many next actions were queued
     */
    int record(String owner, List<Attempt> attempts) {
        return transaction.execute(status -> recordInTransaction(owner, attempts));
    }

    private int recordInTransaction(String owner, List<Attempt> attempts) {
        OffsetDateTime now = EventRepository.now();
        List<Attempt> withNext = attempts.stream().filter(a -> a.delivered() && a.next() != null).toList();
        List<Attempt> last = attempts.stream().filter(a -> a.delivered() && a.next() == null).toList();
        List<Attempt> failed = attempts.stream().filter(a -> !a.delivered()).toList();
        for (int from = 0; from < last.size(); from += MAX_ROWS_PER_UPDATE) {
            recordDelivered(owner, now, last.subList(from, Math.min(last.size(), from + MAX_ROWS_PER_UPDATE)));
        }
        // an action with a next one: the next is queued only where its row was still held (its update count); positional
        // parameters and a setter: the named form built a parameter map per row, on the dispatcher thread
        int[] done = withNext.isEmpty() ? new int[0] : batch.getJdbcOperations().batchUpdate("""
                UPDATE event_delivery SET state = 'DELIVERED', attempt = attempt + 1, status_code = ?, error = NULL,
                       duration_ms = ?, owner = NULL, lease_until = NULL, updated_at = ?
                WHERE id = ? AND owner = ? AND state = 'PENDING'""", new BatchPreparedStatementSetter() {
                    @Override
                    public void setValues(PreparedStatement row, int i) throws SQLException {
                        Attempt a = withNext.get(i);
                        status(row, 1, a.statusCode());
                        row.setLong(2, a.durationMs());
                        row.setObject(3, now);
                        row.setLong(4, a.claimed().id());
                        row.setString(5, owner);
                    }

                    @Override
                    public int getBatchSize() {
                        return withNext.size();
                    }
                });
        List<NewDelivery> next = new ArrayList<>();
        for (int i = 0; i < withNext.size(); i++) {
            if (done[i] != 0) {
                next.add(NewDelivery.nextOf(withNext.get(i), now));
            }
        }
        insert(next);
        batch.batchUpdate("""
                UPDATE event_delivery SET state = :state, attempt = attempt + 1, status_code = :status, error = :error,
                       duration_ms = :duration, owner = NULL, lease_until = NULL, updated_at = :now, next_attempt_at = :next
                WHERE id = :id AND owner = :owner AND state = 'PENDING'""",
                failed.stream().map(a -> params(a, owner, now)
                        .addValue("state", a.retryIn() == null ? "FAILED" : "PENDING")
                        .addValue("error", error(a))
                        .addValue("next", a.retryIn() == null ? now : now.plus(a.retryIn())))
                        .toArray(MapSqlParameterSource[]::new));
        return next.size();
    }

    /**
     * Records delivered attempts that queue nothing after them (the usual webhook) with one statement: an
     * {@code UPDATE} per row, even in a JDBC batch, was a quarter of the dispatcher's CPU on H2 (issue 11 benchmark).
     * The row count is padded to a power of two (the last row repeated) so that a few statement texts cover every
     * round and keep their prepared plans.
     */
    private void recordDelivered(String owner, OffsetDateTime now, List<Attempt> rows) {
        int n = paddedRows(rows.size());
        String sql = DELIVERED_SQL.computeIfAbsent(n, DeliveryRepository::deliveredSql);
        batch.getJdbcOperations().update(sql, statement -> {
            int p = 1;
            for (int i = 0; i < n; i++) {
                Attempt a = rows.get(Math.min(i, rows.size() - 1));
                statement.setLong(p++, a.claimed().id());
                status(statement, p++, a.statusCode());
            }
            for (int i = 0; i < n; i++) {
                Attempt a = rows.get(Math.min(i, rows.size() - 1));
                statement.setLong(p++, a.claimed().id());
                statement.setLong(p++, a.durationMs());
            }
            statement.setObject(p++, now);
            for (int i = 0; i < n; i++) {
                statement.setLong(p++, rows.get(Math.min(i, rows.size() - 1)).claimed().id());
            }
            statement.setString(p, owner);
        });
    }

    /**
     * Inserts deliveries, unclaimed, with one statement per {@value #MAX_ROWS_PER_INSERT} rows, skipping those whose rule
     * no longer exists (the rule cache may not know yet); returns how many it wrote. The rows are padded to a power of
     * two with rows of no rule, which that skips too (see {@link #paddedRows}).
     */
    int insert(List<NewDelivery> rows) {
        int written = 0;
        OffsetDateTime now = EventRepository.now();
        for (int from = 0; from < rows.size(); from += MAX_ROWS_PER_INSERT) {
            List<NewDelivery> chunk = rows.subList(from, Math.min(rows.size(), from + MAX_ROWS_PER_INSERT));
            int count = paddedRows(chunk.size());
            String sql = INSERT_SQL.computeIfAbsent(count, DeliveryRepository::insertSql);
            NewDelivery none = new NewDelivery(chunk.get(0).eventId(), NO_RULE, 0, "NONE", 0, 1, "PENDING", null, null, null, now);
            written += batch.getJdbcOperations().execute((Connection connection) -> {
                try (PreparedStatement insert = connection.prepareStatement(sql)) {
                    int p = 1;
                    for (int i = 0; i < count; i++) {
                        NewDelivery r = i < chunk.size() ? chunk.get(i) : none;
                        insert.setLong(p++, r.eventId());
                        insert.setLong(p++, r.ruleId());
                        insert.setInt(p++, r.actionIndex());
                        insert.setString(p++, r.type());
                        insert.setInt(p++, r.attempt());
                        insert.setInt(p++, r.maxAttempts());
                        insert.setString(p++, r.state());
                        status(insert, p++, r.statusCode());
                        EventRepository.text(insert, p++, r.error());
                        if (r.durationMs() == null) {
                            insert.setNull(p++, Types.BIGINT);
                        } else {
                            insert.setLong(p++, r.durationMs());
                        }
                        insert.setObject(p++, r.nextAttemptAt());
                        insert.setObject(p++, now);
                    }
                    return insert.executeUpdate();
                }
            });
        }
        return written;
    }

    private static String insertSql(int count) {
        String row = "(CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS INTEGER), CAST(? AS VARCHAR(16)), CAST(? AS INTEGER),"
                + " CAST(? AS INTEGER), CAST(? AS VARCHAR(16)), CAST(? AS INTEGER), CAST(? AS VARCHAR(4096)), CAST(? AS BIGINT),"
                + " CAST(? AS TIMESTAMP WITH TIME ZONE), CAST(? AS TIMESTAMP WITH TIME ZONE))";
        return """
                INSERT INTO event_delivery (event_id, rule_id, action_index, action_type, attempt, max_attempts, state, status_code,
                                            error, duration_ms, next_attempt_at, created_at, updated_at)
                SELECT v.event_id, v.rule_id, v.action_index, v.action_type, v.attempt, v.max_attempts, v.state, v.status_code,
                       v.error, v.duration_ms, v.next_attempt_at, v.now, v.now
                FROM (VALUES\s""" + String.join(", ", Collections.nCopies(count, row)) + """
                ) v (event_id, rule_id, action_index, action_type, attempt, max_attempts, state, status_code, error, duration_ms,
                     next_attempt_at, now)
                WHERE EXISTS (SELECT 1 FROM event_rule r WHERE r.id = v.rule_id)""";
    }

    /**
     * The power of two at or above {@code rows}: the rounds' statements padded to it come in a few texts, which the
     * database keeps parsed, where a text per row count was parsed again in most rounds (issue 11 benchmark).
     */
    static int paddedRows(int rows) {
        return Integer.highestOneBit(rows * 2 - 1);
    }

    private static String deliveredSql(int rows) {
        return "UPDATE event_delivery SET state = 'DELIVERED', attempt = attempt + 1, status_code = CASE id"
                + " WHEN ? THEN ?".repeat(rows) + " END, error = NULL, duration_ms = CASE id" + " WHEN ? THEN ?".repeat(rows)
                + " END, owner = NULL, lease_until = NULL, updated_at = ? WHERE id IN (" + "?, ".repeat(rows - 1)
                + "?) AND owner = ? AND state = 'PENDING'";
    }

    /** An attempt's error as the delivery log keeps it (at most 4,000 characters). */
    static String error(Attempt a) {
        return a.error() == null || a.error().length() <= 4000 ? a.error() : a.error().substring(0, 4000);
    }

    static void status(PreparedStatement statement, int index, Integer statusCode) throws SQLException {
        if (statusCode == null) {
            statement.setNull(index, Types.INTEGER);
        } else {
            statement.setInt(index, statusCode);
        }
    }

    private static MapSqlParameterSource params(Attempt a, String owner, OffsetDateTime now) {
        return new MapSqlParameterSource().addValue("id", a.claimed().id()).addValue("owner", owner)
                .addValue("status", a.statusCode(), Types.INTEGER).addValue("duration", a.durationMs()).addValue("now", now);
    }

    /** Gives deliveries this instance holds but has not started back to every instance (a clean shutdown). */
    void release(String owner, List<Long> ids) {
        if (!ids.isEmpty()) {
            jdbc.sql("UPDATE event_delivery SET owner = NULL, lease_until = NULL WHERE owner = :owner AND state = 'PENDING' AND id IN (:ids)")
                    .param("owner", owner).param("ids", ids).update();
        }
    }

    /** A FAILED delivery gets as many attempts again, the first one now. */
    boolean retry(long ruleId, long id, int maxAttempts) {
        OffsetDateTime now = EventRepository.now();
        return jdbc.sql("""
                UPDATE event_delivery SET state = 'PENDING', max_attempts = attempt + :max, next_attempt_at = :now, updated_at = :now
                WHERE id = :id AND rule_id = :rule AND state = 'FAILED'""")
                .param("max", maxAttempts).param("now", now).param("id", id).param("rule", ruleId).update() == 1;
    }

    Optional<DeliveryResponse> find(long ruleId, long id) {
        return jdbc.sql("SELECT * FROM event_delivery WHERE id = :id AND rule_id = :rule").param("id", id).param("rule", ruleId)
                .query(DeliveryRepository::delivery).optional();
    }

    List<DeliveryResponse> list(long ruleId, DeliveryResponse.DeliveryState state, int page, int size) {
        var spec = jdbc.sql("SELECT * FROM event_delivery WHERE rule_id = :rule" + (state == null ? "" : " AND state = :state")
                + " ORDER BY id DESC LIMIT :limit OFFSET :offset")
                .param("rule", ruleId).param("limit", size).param("offset", (long) page * size);
        if (state != null) {
            spec = spec.param("state", state.name());
        }
        return spec.query(DeliveryRepository::delivery).list();
    }

    long count(long ruleId, DeliveryResponse.DeliveryState state) {
        var spec = jdbc.sql("SELECT COUNT(*) FROM event_delivery WHERE rule_id = :rule" + (state == null ? "" : " AND state = :state"))
                .param("rule", ruleId);
        if (state != null) {
            spec = spec.param("state", state.name());
        }
        return spec.query(Long.class).single();
    }

    private static DeliveryResponse delivery(ResultSet rs, int row) throws SQLException {
        int status = rs.getInt("status_code");
        Integer statusCode = rs.wasNull() ? null : status;
        long duration = rs.getLong("duration_ms");
        Long durationMs = rs.wasNull() ? null : duration;
        DeliveryResponse.DeliveryState state = DeliveryResponse.DeliveryState.valueOf(rs.getString("state"));
        return new DeliveryResponse(rs.getLong("id"), rs.getLong("event_id"),
                rs.getInt("action_index") + ":" + rs.getString("action_type"), rs.getInt("attempt"), state, statusCode,
                rs.getString("error"), durationMs,
                state == DeliveryResponse.DeliveryState.PENDING ? rs.getObject("next_attempt_at", OffsetDateTime.class) : null,
                rs.getObject("updated_at", OffsetDateTime.class));
    }
}
