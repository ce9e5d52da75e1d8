package io.ftpbridge.events;

import io.ftpbridge.support.Databases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import javax.sql.DataSource;
import org.springframework.jdbc.core.BatchPreparedStatementSetter;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcOperations;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The first deliveries of events that rules took: an event is recorded with the ids of those rules
 * ({@code automation_event.pending_rules}), and its deliveries are written from them, and the ids cleared, in one
 * transaction of the delivery worker, for a batch of events at a time.
 */
@Repository
class FirstDeliveries {

    private final JdbcClient jdbc;
    private final NamedParameterJdbcOperations batch;
    /** JDBC transactions, as {@link DeliveryRepository}'s. */
    private final TransactionTemplate transaction;

    FirstDeliveries(JdbcClient jdbc, NamedParameterJdbcOperations batch, DataSource dataSource) {
        this.jdbc = jdbc;
        this.batch = batch;
        this.transaction = new TransactionTemplate(new JdbcTransactionManager(dataSource));
    }

    /** Whether other instances may share this database: PostgreSQL (H2's file is locked by the one instance using it). */
    boolean sharedDatabase() {
        return Boolean.TRUE.equals(batch.getJdbcOperations().execute((Connection connection) -> Databases.isPostgreSql(connection)));
    }

    /**
     * Deliveries written for events that rules took: those claimed by the writing instance (to run now), the event of
     * each of the others (for any instance to claim), and the events whose deliveries were written.
     */
    record Expanded(List<DeliveryRepository.Claimed> claimed, List<Long> unclaimedOf, List<Long> events) {
    }

    /** A rule id no rule has (identities start at 1): the padding rows of {@link #insertDeliveries}. */
    private static final long NO_RULE = -1;
    /** Rows written by one statement at most (a power of two). */
    private static final int MAX_ROWS_PER_INSERT = 64;
    /** Statement texts by row count, made once each. */
    private static final Map<Integer, String> EXPAND_SQL = new ConcurrentHashMap<>();

    /** An event and the ids of the rules that took it (comma-separated), as it was recorded ({@code pending_rules}). */
    record Recorded(long eventId, String rules) {
    }

    /**
     * Writes the first delivery of every rule that took each of the {@code recorded} events and clears their rule ids,
     * in one transaction: only for those whose ids were still there (an event whose ids another instance cleared had
     * its deliveries written by that one, see {@link #expandLeftOver}), so a rule's delivery of an event is written
     * once. The ids are cleared row by row in one batch whose update counts say which: a locking select per round
     * ({@code FOR UPDATE}, which H2 parses anew every time) cost the worker more. The first {@code leases} deliveries are
     * claimed by {@code owner} until {@code leaseUntil}, the others are for any instance; a rule deleted since, or
     * without actions ({@code firstAction} null), gets none. Due now.
     */
    Expanded expand(List<Recorded> recorded, String owner, int leases, OffsetDateTime leaseUntil, int maxAttempts,
                    Function<Long, RuleAction.Type> firstAction) {
        if (recorded.isEmpty()) {
            return new Expanded(List.of(), List.of(), List.of());
        }
        return transaction.execute(status -> {
            int[] cleared = batch.getJdbcOperations().batchUpdate(
                    "UPDATE automation_event SET pending_rules = NULL WHERE id = ? AND pending_rules IS NOT NULL",
                    new BatchPreparedStatementSetter() {
                        @Override
                        public void setValues(PreparedStatement row, int i) throws SQLException {
                            row.setLong(1, recorded.get(i).eventId());
                        }

                        @Override
                        public int getBatchSize() {
                            return recorded.size();
                        }
                    });
            List<Recorded> stillPending = new ArrayList<>(recorded.size());
            for (int i = 0; i < recorded.size(); i++) {
                if (cleared[i] > 0) {
                    stillPending.add(recorded.get(i));
                }
            }
            return write(stillPending, owner, leases, leaseUntil, maxAttempts, firstAction);
        });
    }

    /**
     * The same for up to {@code max} of the oldest events written before {@code before} whose deliveries are still to
     * be written: the instance that wrote them died before it wrote their deliveries (they are all for any instance).
     */
    Expanded expandLeftOver(OffsetDateTime before, int max, int maxAttempts, Function<Long, RuleAction.Type> firstAction) {
        return transaction.execute(status -> expandLocked(jdbc.sql("""
                SELECT id, pending_rules FROM automation_event WHERE pending_rules IS NOT NULL AND occurred_at < :before
                ORDER BY id LIMIT :max FOR UPDATE SKIP LOCKED""").param("before", before).param("max", max),
                null, 0, null, maxAttempts, firstAction));
    }

    private record NewDelivery(long eventId, long ruleId, RuleAction.Type type, boolean claimed) {
    }

    /** The ids of a round's events for an {@code IN} list, padded (the last one repeated, see {@link DeliveryRepository#paddedRows}). */
    private static List<Long> padded(List<Long> ids) {
        int n = DeliveryRepository.paddedRows(ids.size());
        if (n == ids.size()) {
            return ids;
        }
        List<Long> padded = new ArrayList<>(n);
        padded.addAll(ids);
        while (padded.size() < n) {
            padded.add(ids.get(ids.size() - 1));
        }
        return padded;
    }

    private Expanded expandLocked(JdbcClient.StatementSpec pending, String owner, int leases, OffsetDateTime leaseUntil,
                                  int maxAttempts, Function<Long, RuleAction.Type> firstAction) {
        List<Recorded> locked = pending.query((rs, n) -> new Recorded(rs.getLong(1), rs.getString(2))).list();
        if (!locked.isEmpty()) {
            jdbc.sql("UPDATE automation_event SET pending_rules = NULL WHERE id IN (:ids)")
                    .param("ids", padded(locked.stream().map(Recorded::eventId).toList())).update();
        }
        return write(locked, owner, leases, leaseUntil, maxAttempts, firstAction);
    }

    /** Writes the deliveries of events whose rule ids this transaction cleared. */
    private Expanded write(List<Recorded> recorded, String owner, int leases, OffsetDateTime leaseUntil, int maxAttempts,
                           Function<Long, RuleAction.Type> firstAction) {
        if (recorded.isEmpty()) {
            return new Expanded(List.of(), List.of(), List.of());
        }
        List<Long> events = new ArrayList<>(recorded.size());
        List<NewDelivery> rows = new ArrayList<>();
        for (Recorded event : recorded) {
            events.add(event.eventId());
            for (String rule : event.rules().split(",")) {
                long ruleId = Long.parseLong(rule);
                RuleAction.Type type = firstAction.apply(ruleId);
                if (type != null) {
                    rows.add(new NewDelivery(event.eventId(), ruleId, type, owner != null && rows.size() < leases));
                }
            }
        }
        OffsetDateTime now = EventRepository.now();
        List<DeliveryRepository.Claimed> claimed = new ArrayList<>();
        List<Long> unclaimedOf = new ArrayList<>();
        for (int from = 0; from < rows.size(); from += MAX_ROWS_PER_INSERT) {
            List<NewDelivery> chunk = rows.subList(from, Math.min(rows.size(), from + MAX_ROWS_PER_INSERT));
            Map<List<Long>, Long> ids = insertDeliveries(chunk, owner, leaseUntil, maxAttempts, now);
            for (NewDelivery d : chunk) {
                Long id = ids.get(List.of(d.eventId(), d.ruleId()));
                if (id == null) {
                    continue; // its rule was deleted
                }
                if (d.claimed()) {
                    claimed.add(new DeliveryRepository.Claimed(id, d.ruleId(), d.eventId(), 0, 0, maxAttempts, leaseUntil));
                } else {
                    unclaimedOf.add(d.eventId());
                }
            }
        }
        return new Expanded(claimed, unclaimedOf, events);
    }

    /**
     * Inserts deliveries with one statement, skipping those whose rule no longer exists (the rule cache may not know
     * yet); returns their ids by event and rule. The rows are padded to a power of two with rows of no rule, which
     * that skips too (see {@link #padded}).
     */
    private Map<List<Long>, Long> insertDeliveries(List<NewDelivery> rows, String owner, OffsetDateTime leaseUntil, int maxAttempts,
                                                   OffsetDateTime now) {
        int count = DeliveryRepository.paddedRows(rows.size());
        String sql = EXPAND_SQL.computeIfAbsent(count, FirstDeliveries::expandSql);
        NewDelivery none = new NewDelivery(rows.get(0).eventId(), NO_RULE, rows.get(0).type(), false);
        return batch.getJdbcOperations().execute((Connection connection) -> {
            try (PreparedStatement insert = connection.prepareStatement(sql, new String[] {"id", "event_id", "rule_id"})) {
                int p = 1;
                for (int i = 0; i < count; i++) {
                    NewDelivery d = i < rows.size() ? rows.get(i) : none;
                    insert.setLong(p++, d.eventId());
                    insert.setLong(p++, d.ruleId());
                    insert.setString(p++, d.type().name());
                    insert.setInt(p++, maxAttempts);
                    EventRepository.text(insert, p++, d.claimed() ? owner : null);
                    if (d.claimed()) {
                        insert.setObject(p++, leaseUntil);
                    } else {
                        insert.setNull(p++, Types.TIMESTAMP_WITH_TIMEZONE);
                    }
                    insert.setObject(p++, now);
                }
                insert.executeUpdate();
                Map<List<Long>, Long> ids = new HashMap<>();
                try (ResultSet keys = insert.getGeneratedKeys()) {
                    while (keys.next()) {
                        ids.put(List.of(keys.getLong(2), keys.getLong(3)), keys.getLong(1));
                    }
                }
                return ids;
            }
        });
    }

    private static String expandSql(int count) {
        String row = "(CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS VARCHAR(16)), CAST(? AS INTEGER), CAST(? AS VARCHAR(128)),"
                + " CAST(? AS TIMESTAMP WITH TIME ZONE), CAST(? AS TIMESTAMP WITH TIME ZONE))";
        return """
                INSERT INTO event_delivery (event_id, rule_id, action_index, action_type, attempt, max_attempts, state,
                                            next_attempt_at, owner, lease_until, created_at, updated_at)
                SELECT v.event_id, v.rule_id, 0, v.action_type, 0, v.max_attempts, 'PENDING', v.now, v.owner, v.lease_until, v.now, v.now
                FROM (VALUES\s""" + String.join(", ", Collections.nCopies(count, row)) + """
                ) v (event_id, rule_id, action_type, max_attempts, owner, lease_until, now)
                WHERE EXISTS (SELECT 1 FROM event_rule r WHERE r.id = v.rule_id)""";
    }
}
