package io.ftpbridge.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ftpbridge.testsupport.FtpBridgeTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;

/**
 * Events past {@code ftpbridge.events.retention} are deleted with their delivery log, in batches, on PostgreSQL
 * (this class) and H2 ({@link EventRetentionOnH2Test}); an event whose delivery is still pending stays.
 */
@FtpBridgeTest
class EventRetentionTest {

    /** Before the cut-off below: deleted. Other tests' events are of today, after it, and stay. */
    private static final OffsetDateTime OLD = OffsetDateTime.of(2000, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
    private static final OffsetDateTime CUT_OFF = OLD.plusYears(1);

    @Autowired
    EventRetention retention;
    @Autowired
    DataSource dataSource;
    @Autowired
    JdbcClient jdbc;

    String database() {
        return "PostgreSQL";
    }

    @Test
    void oldEventsGoWithTheirDeliveriesInBatchesAndPendingOnesStay() throws Exception {
        String instance = "retention-test-" + System.nanoTime();
        GeneratedKeyHolder key = new GeneratedKeyHolder();
        jdbc.sql("INSERT INTO event_rule (name, enabled, events, actions, created_at) VALUES (:name, FALSE, '', '[]', :now)")
                .param("name", instance).param("now", EventRepository.now()).update(key, "id");
        long rule = key.getKey().longValue();
        try {
            long delivered;
            long pending;
            long recent;
            try (Connection connection = dataSource.getConnection()) {
                assertThat(connection.getMetaData().getDatabaseProductName()).isEqualTo(database());
                connection.setAutoCommit(false); // the old events and their deliveries appear at once, as one change
                // more than one batch of old events without deliveries
                try (PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO automation_event (type, occurred_at, instance, path) VALUES ('FILE_UPLOADED', ?, ?, ?)")) {
                    for (int i = 0; i < 1_005; i++) {
                        insert.setObject(1, OLD.plusSeconds(i));
                        insert.setString(2, instance);
                        insert.setString(3, "/old-" + i);
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
                delivered = event(connection, instance, OLD, "/delivered");
                delivery(connection, rule, delivered, "DELIVERED");
                delivery(connection, rule, delivered, "FAILED");
                delivery(connection, rule, delivered, "DELIVERED");
                pending = event(connection, instance, OLD, "/pending");
                delivery(connection, rule, pending, "PENDING");
                recent = event(connection, instance, CUT_OFF.plusDays(1), "/recent");
                delivery(connection, rule, recent, "DELIVERED");
                connection.commit();
            }

            int deleted = retention.purgeOlderThan(CUT_OFF);

            // another context's hourly purge (a cut-off of today minus the retention) may have taken some of them first
            assertThat(deleted).isBetween(0, 1_006 + 1_000);
            List<String> left = jdbc.sql("SELECT path FROM automation_event WHERE instance = :instance ORDER BY id")
                    .param("instance", instance).query(String.class).list();
            assertThat(left).containsExactly("/pending", "/recent");
            List<Long> deliveriesLeft = jdbc.sql("SELECT event_id FROM event_delivery WHERE rule_id = :rule ORDER BY id")
                    .param("rule", rule).query(Long.class).list();
            assertThat(deliveriesLeft).containsExactly(pending, recent);
            assertThat(deliveriesLeft).doesNotContain(delivered);

            // once its delivery is done, the pending one goes too
            jdbc.sql("UPDATE event_delivery SET state = 'DELIVERED' WHERE event_id = :event").param("event", pending).update();
            retention.purgeOlderThan(CUT_OFF);
            assertThat(jdbc.sql("SELECT path FROM automation_event WHERE instance = :instance").param("instance", instance)
                    .query(String.class).list()).containsExactly("/recent");
        } finally {
            jdbc.sql("DELETE FROM event_rule WHERE id = :id").param("id", rule).update(); // its deliveries go with it
            jdbc.sql("DELETE FROM automation_event WHERE instance = :instance").param("instance", instance).update();
        }
    }

    @Test
    void aRetentionUnderAnHourIsRefusedWithTheProperty() {
        assertThatThrownBy(() -> new EventsProperties(64, Duration.ofMillis(200), Duration.ofMinutes(2), 10, Duration.ofSeconds(1),
                Duration.ofMinutes(5), Duration.ofSeconds(1), Duration.ofMinutes(59), 5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ftpbridge.events.retention").hasMessageContaining("at least 1h");
    }

    private static long event(Connection connection, String instance, OffsetDateTime at, String path) throws Exception {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO automation_event (type, occurred_at, instance, path) VALUES ('FILE_UPLOADED', ?, ?, ?)", EventRepository.ID)) {
            insert.setObject(1, at);
            insert.setString(2, instance);
            insert.setString(3, path);
            insert.executeUpdate();
            return EventRepository.generatedId(insert);
        }
    }

    /** A delivery in a final state, or a pending one that another instance holds (this instance's worker leaves it). */
    private static void delivery(Connection connection, long rule, long event, String state) throws Exception {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO event_delivery (rule_id, event_id, action_index, action_type, attempt, max_attempts, state,
                                            next_attempt_at, owner, lease_until, created_at, updated_at)
                VALUES (?, ?, 0, 'WEBHOOK', 1, 5, ?, ?, ?, ?, ?, ?)""")) {
            OffsetDateTime now = EventRepository.now();
            insert.setLong(1, rule);
            insert.setLong(2, event);
            insert.setString(3, state);
            insert.setObject(4, now.plusHours(1));
            insert.setString(5, "PENDING".equals(state) ? "another-instance" : null);
            insert.setObject(6, "PENDING".equals(state) ? now.plusHours(1) : null);
            insert.setObject(7, now);
            insert.setObject(8, now);
            insert.executeUpdate();
        }
    }
}
