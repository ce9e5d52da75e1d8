package io.ftpbridge.events;

import io.ftpbridge.support.Databases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * The first deliveries of events that rules took. An event is recorded with the ids of those rules
 * ({@code automation_event.pending_rules}); the delivery worker clears them, and writes the deliveries, in one
 * transaction for a batch of events at a time: either after it ran their first attempts from memory
 * ({@link #writeAttempted}: the usual webhook is written once, delivered) or, when it has no runner free for them, before
 * ({@link #expand}: due now, for any instance). An event whose ids another instance cleared had its deliveries written by
 * that one ({@link #expandLeftOver}), so a rule's delivery of an event is written once.
 */
@Repository
class FirstDeliveries {

    private final JdbcClient jdbc;
    private final NamedParameterJdbcOperations batch;
    /** Writes the delivery rows (they join this class's transactions). */
    private final DeliveryRepository deliveries;
    /** JDBC transactions, as {@link DeliveryRepository}'s. */
    private final TransactionTemplate transaction;

    FirstDeliveries(JdbcClient jdbc, NamedParameterJdbcOperations batch, DeliveryRepository deliveries, DataSource dataSource) {
        this.jdbc = jdbc;
        this.batch = batch;
        this.deliveries = deliveries;
        this.transaction = new TransactionTemplate(new JdbcTransactionManager(dataSource));
    }

    /** Whether other instances may share this database: PostgreSQL (H2's file is locked by the one instance using it). */
    boolean sharedDatabase() {
        return Boolean.TRUE.equals(batch.getJdbcOperations().execute((Connection connection) -> Databases.isPostgreSql(connection)));
    }

    /**
     * What a write did: the events whose rule ids it cleared (their deliveries are written), the deliveries it wrote
     * (none for a rule deleted since), and how many events it left alone because this instance holds them
     * ({@link #expandLeftOver}).
     */
    record Expanded(List<Long> events, int deliveries, int skipped) {
    }

    /**
     * First attempts of an event's rules that ended, run before their deliveries were written ({@link #writeAttempted}):
     * the event's rule ids are {@code expected} in the database and become {@code remaining}, the rules whose attempts
     * still run (null: none).
     */
    record Attempted(long eventId, String expected, String remaining, List<Ran> attempts) {
    }

    /** The attempt of a rule's first action, of this type. */
    record Ran(RuleAction.Type type, DeliveryRepository.Attempt attempt) {
    }

    /** What {@link #writeAttempted} did: the events it wrote, and those whose ids were gone (another instance took them). */
    record Written(List<Long> events, List<Long> lost, int queued) {
    }

    /** Statement texts by row count, made once each. */
    private static final Map<Integer, String> TAKE_OUT_SQL = new ConcurrentHashMap<>();

    /** An event and the ids of the rules that took it (comma-separated), as it was recorded ({@code pending_rules}). */
    record Recorded(long eventId, String rules) {
    }

    /**
     * Writes the first delivery of every rule that took each of the {@code recorded} events, due now for any instance,
     * and clears their rule ids, in one transaction: only for those whose ids were still there. A rule deleted since, or
     * without actions ({@code firstAction} null), gets none.
     */
    Expanded expand(List<Recorded> recorded, int maxAttempts, Function<Long, RuleAction.Type> firstAction) {
        if (recorded.isEmpty()) {
            return new Expanded(List.of(), 0, 0);
        }
        return transaction.execute(status -> {
            List<Recorded> stillPending = clear(recorded);
            return new Expanded(stillPending.stream().map(Recorded::eventId).toList(),
                    deliveries.insert(pendingRows(stillPending, maxAttempts, firstAction)), 0);
        });
    }

    /**
     * Records first attempts that ran before their deliveries were written: takes their rules out of their events' rule
     * ids and writes each attempt's delivery as it ended (delivered; due again after its backoff; failed), and the next
     * action of a delivered one due now, in one transaction. An event whose ids are not as expected is not written:
     * another instance took it as left over (its attempt outlived the lease) and writes its own.
     */
    Written writeAttempted(List<Attempted> attempted) {
        if (attempted.isEmpty()) {
            return new Written(List.of(), List.of(), 0);
        }
        return transaction.execute(status -> {
            // the usual round: every event's ids are as expected, which one statement tells by its count (H2 ran a
            // batch of single-row updates as many statements); else it is undone and a batch says which
            Object before = status.createSavepoint();
            if (takeOutAll(attempted)) {
                status.releaseSavepoint(before);
                return write(attempted, attempted);
            }
            status.rollbackToSavepoint(before);
            return write(attempted, takeOutEach(attempted));
        });
    }

    /** Takes the rules of the attempts out of their events' ids with one statement; true when all were as expected. */
    private boolean takeOutAll(List<Attempted> attempted) {
        int n = DeliveryRepository.paddedRows(attempted.size());
        String sql = TAKE_OUT_SQL.computeIfAbsent(n, FirstDeliveries::takeOutSql);
        int updated = batch.getJdbcOperations().update(sql, statement -> {
            int p = 1;
            for (int i = 0; i < n; i++) {
                Attempted a = attempted.get(Math.min(i, attempted.size() - 1));
                statement.setLong(p++, a.eventId());
                EventRepository.text(statement, p++, a.remaining());
            }
            for (int i = 0; i < n; i++) {
                Attempted a = attempted.get(Math.min(i, attempted.size() - 1));
                statement.setLong(p++, a.eventId());
                statement.setString(p++, a.expected());
            }
            for (int i = 0; i < n; i++) {
                statement.setLong(p++, attempted.get(Math.min(i, attempted.size() - 1)).eventId());
            }
        });
        return updated == attempted.stream().map(Attempted::eventId).distinct().count();
    }

    private static String takeOutSql(int rows) {
        return "UPDATE automation_event SET pending_rules = CASE id" + " WHEN ? THEN CAST(? AS VARCHAR(1000000))".repeat(rows)
                + " END WHERE pending_rules = CASE id" + " WHEN ? THEN CAST(? AS VARCHAR(1000000))".repeat(rows) + " END AND id IN ("
                + "?, ".repeat(rows - 1) + "?)";
    }

    /** The same row by row in one batch; returns the attempts whose events' ids were as expected (the update counts). */
    private List<Attempted> takeOutEach(List<Attempted> attempted) {
        return updatedFor("UPDATE automation_event SET pending_rules = ? WHERE id = ? AND pending_rules = ?", attempted, (row, a) -> {
            EventRepository.text(row, 1, a.remaining());
            row.setLong(2, a.eventId());
            row.setString(3, a.expected());
        });
    }

    /** Writes the deliveries of the {@code held} attempts (those whose rules this transaction took out of their events). */
    private Written write(List<Attempted> attempted, List<Attempted> held) {
        OffsetDateTime now = EventRepository.now();
        List<DeliveryRepository.NewDelivery> rows = new ArrayList<>();
        int queued = 0;
        for (Attempted event : held) {
            for (Ran ran : event.attempts()) {
                DeliveryRepository.Attempt a = ran.attempt();
                DeliveryRepository.Claimed c = a.claimed();
                String state = a.delivered() ? "DELIVERED" : a.retryIn() == null ? "FAILED" : "PENDING";
                OffsetDateTime due = a.delivered() || a.retryIn() == null ? now : now.plus(a.retryIn());
                rows.add(new DeliveryRepository.NewDelivery(c.eventId(), c.ruleId(), 0, ran.type().name(), 1, c.maxAttempts(), state,
                        a.statusCode(), DeliveryRepository.error(a), a.durationMs(), due));
                if (a.delivered() && a.next() != null) {
                    rows.add(DeliveryRepository.NewDelivery.nextOf(a, now));
                    queued++;
                }
            }
        }
        deliveries.insert(rows);
        List<Long> written = held.stream().map(Attempted::eventId).toList();
        Set<Long> writtenSet = Set.copyOf(written);
        List<Long> lost = attempted.stream().map(Attempted::eventId).filter(id -> !writtenSet.contains(id)).toList();
        return new Written(written, lost, queued);
    }

    /**
     * The same as {@link #expand} for up to {@code max} of the oldest events written before {@code before} whose
     * deliveries are still to be written: the instance that wrote them died before it wrote their deliveries (they are
     * all for any instance). Events in {@code inMemory} are left alone: this instance runs their first attempts.
     */
    Expanded expandLeftOver(OffsetDateTime before, int max, int maxAttempts, Function<Long, RuleAction.Type> firstAction,
                            Set<Long> inMemory) {
        return transaction.execute(status -> {
            List<Recorded> locked = jdbc.sql("""
                    SELECT id, pending_rules FROM automation_event WHERE pending_rules IS NOT NULL AND occurred_at < :before
                    ORDER BY id LIMIT :max FOR UPDATE SKIP LOCKED""").param("before", before).param("max", max)
                    .query((rs, n) -> new Recorded(rs.getLong(1), rs.getString(2))).list();
            List<Recorded> taken = locked.stream().filter(r -> !inMemory.contains(r.eventId())).toList();
            if (!taken.isEmpty()) {
                jdbc.sql("UPDATE automation_event SET pending_rules = NULL WHERE id IN (:ids)")
                        .param("ids", padded(taken.stream().map(Recorded::eventId).toList())).update();
            }
            int written = deliveries.insert(pendingRows(taken, maxAttempts, firstAction));
            return new Expanded(taken.stream().map(Recorded::eventId).toList(), written,
                    locked.size() - taken.size());
        });
    }

    /**
     * Clears the rule ids of events row by row in one batch and returns those whose ids were still there (the update
     * counts say which): a locking select per round ({@code FOR UPDATE}, which H2 parses anew every time) cost the worker
     * more.
     */
    private List<Recorded> clear(List<Recorded> events) {
        return updatedFor("UPDATE automation_event SET pending_rules = NULL WHERE id = ? AND pending_rules IS NOT NULL", events,
                (row, event) -> row.setLong(1, event.eventId()));
    }

    /** Sets the parameters of one row of a batch. */
    private interface RowSetter<T> {
        void set(PreparedStatement row, T item) throws SQLException;
    }

    /** Runs {@code sql} once for each of {@code items} in one batch; returns those it updated a row for. */
    private <T> List<T> updatedFor(String sql, List<T> items, RowSetter<T> setter) {
        int[] updated = batch.getJdbcOperations().batchUpdate(sql, new BatchPreparedStatementSetter() {
            @Override
            public void setValues(PreparedStatement row, int i) throws SQLException {
                setter.set(row, items.get(i));
            }

            @Override
            public int getBatchSize() {
                return items.size();
            }
        });
        List<T> held = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            if (updated[i] > 0) {
                held.add(items.get(i));
            }
        }
        return held;
    }

    /** The first delivery of each rule that took the events, due now, for any instance. */
    private static List<DeliveryRepository.NewDelivery> pendingRows(Collection<Recorded> recorded, int maxAttempts,
                                                                     Function<Long, RuleAction.Type> firstAction) {
        OffsetDateTime now = EventRepository.now();
        List<DeliveryRepository.NewDelivery> rows = new ArrayList<>();
        for (Recorded event : recorded) {
            for (String rule : event.rules().split(",")) {
                long ruleId = Long.parseLong(rule);
                RuleAction.Type type = firstAction.apply(ruleId);
                if (type != null) {
                    rows.add(new DeliveryRepository.NewDelivery(event.eventId(), ruleId, 0, type.name(), 0, maxAttempts, "PENDING", null,
                            null, null, now));
                }
            }
        }
        return rows;
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
}
