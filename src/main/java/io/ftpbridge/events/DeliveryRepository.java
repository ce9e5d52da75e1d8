package io.ftpbridge.events;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * The outbox of rule actions. Claimed like transfer jobs: {@code FOR UPDATE SKIP LOCKED} and a lease,
 * so two instances never run the same delivery at once and a dead instance's deliveries are taken over.
 */
@Repository
class DeliveryRepository {

    /** A claimed delivery: what to run. */
    record Claimed(long id, long ruleId, long eventId, int actionIndex, int attempt, int maxAttempts) {
    }

    private final JdbcClient jdbc;

    DeliveryRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(long ruleId, long eventId, int actionIndex, RuleAction.Type type, int maxAttempts) {
        OffsetDateTime now = EventRepository.now();
        jdbc.sql("""
                INSERT INTO event_delivery (rule_id, event_id, action_index, action_type, attempt, max_attempts, state,
                                            next_attempt_at, created_at, updated_at)
                VALUES (:rule, :event, :index, :type, 0, :max, 'PENDING', :now, :now, :now)""")
                .param("rule", ruleId).param("event", eventId).param("index", actionIndex).param("type", type.name())
                .param("max", maxAttempts).param("now", now).update();
    }

    @Transactional
    List<Claimed> claim(String owner, int max, Duration lease) {
        OffsetDateTime now = EventRepository.now();
        List<Long> ids = jdbc.sql("""
                SELECT id FROM event_delivery
                WHERE state = 'PENDING' AND next_attempt_at <= :now AND (lease_until IS NULL OR lease_until < :now)
                ORDER BY id LIMIT :max FOR UPDATE SKIP LOCKED""")
                .param("now", now).param("max", max).query(Long.class).list();
        List<Claimed> claimed = new ArrayList<>();
        for (Long id : ids) {
            int updated = jdbc.sql("""
                    UPDATE event_delivery SET owner = :owner, lease_until = :lease
                    WHERE id = :id AND state = 'PENDING' AND (lease_until IS NULL OR lease_until < :now)""")
                    .param("owner", owner).param("lease", now.plus(lease)).param("now", now).param("id", id).update();
            if (updated == 1) {
                jdbc.sql("SELECT id, rule_id, event_id, action_index, attempt, max_attempts FROM event_delivery WHERE id = :id")
                        .param("id", id)
                        .query((rs, n) -> new Claimed(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getInt(4), rs.getInt(5),
                                rs.getInt(6)))
                        .optional().ifPresent(claimed::add);
            }
        }
        return claimed;
    }

    boolean delivered(long id, String owner, Integer statusCode, long durationMs) {
        return jdbc.sql("""
                UPDATE event_delivery SET state = 'DELIVERED', attempt = attempt + 1, status_code = :status, error = NULL,
                       duration_ms = :duration, owner = NULL, lease_until = NULL, updated_at = :now
                WHERE id = :id AND owner = :owner AND state = 'PENDING'""")
                .param("status", statusCode).param("duration", durationMs).param("now", EventRepository.now())
                .param("id", id).param("owner", owner).update() == 1;
    }

    /** Records a failed attempt: again after {@code retryIn}, or FAILED when {@code retryIn} is null. */
    boolean failed(long id, String owner, Integer statusCode, String error, long durationMs, Duration retryIn) {
        OffsetDateTime now = EventRepository.now();
        return jdbc.sql("""
                UPDATE event_delivery SET state = :state, attempt = attempt + 1, status_code = :status, error = :error,
                       duration_ms = :duration, owner = NULL, lease_until = NULL, updated_at = :now, next_attempt_at = :next
                WHERE id = :id AND owner = :owner AND state = 'PENDING'""")
                .param("state", retryIn == null ? "FAILED" : "PENDING").param("status", statusCode)
                .param("error", error == null || error.length() <= 4000 ? error : error.substring(0, 4000))
                .param("duration", durationMs).param("now", now).param("next", retryIn == null ? now : now.plus(retryIn))
                .param("id", id).param("owner", owner).update() == 1;
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
