package io.ftpbridge.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.ftpbridge.testsupport.FtpBridgeTest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Results of a round's attempts as the delivery log shows them, on PostgreSQL (this class) and H2
 * ({@link DeliveryResultsOnH2Test}):
 * the delivered ones of a round are recorded by one statement, each with its own status code and duration; a
 * delivery whose claim another instance holds is left alone; a failed one is due again. And how the deliveries of an
 * event recorded with the rules taking it are written: once, by the instance that recorded it (as its first attempts
 * ended, or before them for any instance) or, if that one died, by any instance.
 */
@FtpBridgeTest
class DeliveryResultsTest {

    private static final String OWNER = "results-test-owner";

    @Autowired
    DeliveryRepository deliveries;
    @Autowired
    FirstDeliveries firstDeliveries;
    @Autowired
    DataSource dataSource;
    @Autowired
    JdbcClient jdbc;

    /** The database this class runs against, as JDBC names it. */
    String database() {
        return "PostgreSQL";
    }

    @Test
    void eachDeliveredAttemptKeepsItsOwnStatusAndDurationAndOnlyHeldOnesAreRecorded() throws Exception {
        long rule = insertRule();
        try {
            recordAndCheck(rule);
        } finally {
            deleteRulesAndEvents(rule);
        }
    }

    @Test
    void theFirstDeliveryOfEveryRuleTakingAnEventIsWrittenOnceAndOnlyForRulesThatStillExist() throws Exception {
        long webhook = insertRule();
        long file = insertRule();
        long deleted = insertRule();
        try {
            // checked inside a transaction that is rolled back: this instance's worker would claim the deliveries
            inTransactionRolledBack(connection -> {
                jdbc.sql("DELETE FROM event_rule WHERE id = :id").param("id", deleted).update();
                EventResponse unsaved = EventRepository.unsaved(EventType.FILE_UPLOADED, OWNER, "u", EventProtocol.FTP, "f", "/two",
                        null, 42L, null, null, null);
                String rules = webhook + "," + file + "," + deleted;
                EventResponse event = EventRepository.insert(connection, unsaved, rules);
                assertThat(event.id()).isPositive();
                assertThat(event).usingRecursiveComparison().ignoringFields("id").isEqualTo(unsaved);
                // as a read of it returns it: the delivery worker takes it from here instead of a read
                assertThat(new EventRepository(jdbc).find(event.id())).contains(event);
                assertThat(pendingRules(event.id())).isEqualTo(rules);

                // the deleted rule is still in a rule cache that has not seen the deletion
                Map<Long, RuleAction.Type> firstActions = Map.of(webhook, RuleAction.Type.WEBHOOK, file, RuleAction.Type.FILE, deleted,
                        RuleAction.Type.WEBHOOK);
                OffsetDateTime before = EventRepository.now();
                FirstDeliveries.Expanded written = firstDeliveries.expand(List.of(new FirstDeliveries.Recorded(event.id(), rules)), 7,
                        firstActions::get);

                assertThat(written.events()).containsExactly(event.id());
                assertThat(written.deliveries()).as("the deleted rule's is not written").isEqualTo(2);
                assertThat(pendingRules(event.id())).isNull();
                List<List<Object>> rows = deliveryRows(event.id());
                assertThat(rows).hasSize(2);
                assertThat(rows.get(0).subList(0, 9)).isEqualTo(Arrays.asList(webhook, event.id(), 0, "WEBHOOK", 0, 7, "PENDING", null, null));
                assertThat(rows.get(1).subList(0, 9)).isEqualTo(Arrays.asList(file, event.id(), 0, "FILE", 0, 7, "PENDING", null, null));
                for (List<Object> row : rows) {
                    assertThat((OffsetDateTime) row.get(9)).as("due now").isBetween(before, EventRepository.now());
                }

                // written once: neither the instance that recorded it nor one looking for left-over events writes them again
                assertThat(firstDeliveries.expand(List.of(new FirstDeliveries.Recorded(event.id(), rules)), 7, firstActions::get)
                        .events()).isEmpty();
                assertThat(firstDeliveries.expandLeftOver(EventRepository.now(), 100, 7, firstActions::get, Set.of()).events())
                        .doesNotContain(event.id());
                assertThat(deliveryRows(event.id())).hasSize(2);
            });
        } finally {
            deleteRulesAndEvents(webhook, file, deleted);
        }
    }

    @Test
    void firstAttemptsRunFromMemoryAreWrittenOnceAsTheyEnded() throws Exception {
        long delivered = insertRule();
        long retried = insertRule();
        long failed = insertRule();
        long deleted = insertRule();
        try {
            inTransactionRolledBack(connection -> {
                jdbc.sql("DELETE FROM event_rule WHERE id = :id").param("id", deleted).update();
                String rules = delivered + "," + retried + "," + failed + "," + deleted;
                EventResponse event = EventRepository.insert(connection, EventRepository.unsaved(EventType.FILE_UPLOADED, OWNER, "u",
                        EventProtocol.FTP, "f", "/ran", null, 42L, null, null, null), rules);
                OffsetDateTime held = EventRepository.now().plusMinutes(2);
                List<FirstDeliveries.Ran> ran = List.of(
                        ran(RuleAction.Type.WEBHOOK, new DeliveryRepository.Attempt(first(delivered, event, held), true, 204, null, 12L, null,
                                RuleAction.Type.FILE)),
                        ran(RuleAction.Type.WEBHOOK, new DeliveryRepository.Attempt(first(retried, event, held), false, 503, "HTTP 503", 34L,
                                Duration.ofMinutes(1), null)),
                        ran(RuleAction.Type.TRANSFER, new DeliveryRepository.Attempt(first(failed, event, held), false, null,
                                "x".repeat(5000), 56L, null, null)),
                        ran(RuleAction.Type.WEBHOOK, new DeliveryRepository.Attempt(first(deleted, event, held), true, 200, null, 1L, null,
                                null)));
                OffsetDateTime before = EventRepository.now();

                // the round after they ended writes three of them; the fourth's receiver is slow
                String slow = String.valueOf(failed);
                FirstDeliveries.Written written = firstDeliveries.writeAttempted(List.of(new FirstDeliveries.Attempted(event.id(), rules, slow,
                        List.of(ran.get(0), ran.get(1), ran.get(3)))));
                assertThat(written.events()).containsExactly(event.id());
                assertThat(written.lost()).isEmpty();
                assertThat(written.queued()).as("the delivered one's next action").isEqualTo(1);
                assertThat(pendingRules(event.id())).as("the slow one's is still to be written").isEqualTo(slow);

                written = firstDeliveries.writeAttempted(List.of(new FirstDeliveries.Attempted(event.id(), slow, null, List.of(ran.get(2)))));
                assertThat(written.events()).containsExactly(event.id());
                assertThat(written.queued()).isZero();
                assertThat(pendingRules(event.id())).isNull();
                List<List<Object>> rows = jdbc.sql("""
                        SELECT rule_id, action_index, action_type, attempt, max_attempts, state, status_code, error, duration_ms,
                               owner, lease_until, next_attempt_at FROM event_delivery WHERE event_id = :event ORDER BY rule_id, action_index""")
                        .param("event", event.id()).query((rs, n) -> Arrays.asList(rs.getLong(1), rs.getInt(2), rs.getString(3),
                                rs.getInt(4), rs.getInt(5), rs.getString(6), (Integer) rs.getObject(7), rs.getString(8),
                                (Long) rs.getObject(9), rs.getString(10), rs.getObject(11), rs.getObject(12, OffsetDateTime.class))).list();
                assertThat(rows).as("none for the deleted rule").hasSize(4);
                assertThat(rows.get(0).subList(0, 11)).isEqualTo(Arrays.asList(delivered, 0, "WEBHOOK", 1, 6, "DELIVERED", 204, null, 12L,
                        null, null));
                assertThat(rows.get(1).subList(0, 11)).as("its next action, due now")
                        .isEqualTo(Arrays.asList(delivered, 1, "FILE", 0, 6, "PENDING", null, null, null, null, null));
                assertThat(rows.get(2).subList(0, 11)).isEqualTo(Arrays.asList(retried, 0, "WEBHOOK", 1, 6, "PENDING", 503, "HTTP 503", 34L,
                        null, null));
                assertThat(rows.get(3).subList(0, 11)).isEqualTo(Arrays.asList(failed, 0, "TRANSFER", 1, 6, "FAILED", null, "x".repeat(4000),
                        56L, null, null));
                assertThat((OffsetDateTime) rows.get(1).get(11)).isBetween(before, EventRepository.now());
                assertThat((OffsetDateTime) rows.get(2).get(11)).as("due again after its backoff")
                        .isBetween(before.plusMinutes(1), EventRepository.now().plusMinutes(1));

                // written once: the same attempts again (or those of an event another instance took) write nothing, and
                // do not keep another event's in the same round from being written
                EventResponse other = EventRepository.insert(connection, EventRepository.unsaved(EventType.FILE_UPLOADED, OWNER, "u",
                        EventProtocol.FTP, "f", "/other", null, 1L, null, null, null), String.valueOf(delivered));
                FirstDeliveries.Written again = firstDeliveries.writeAttempted(List.of(
                        new FirstDeliveries.Attempted(event.id(), slow, null, List.of(ran.get(2))),
                        new FirstDeliveries.Attempted(other.id(), String.valueOf(delivered), null, List.of(ran(RuleAction.Type.WEBHOOK,
                                new DeliveryRepository.Attempt(first(delivered, other, held), true, 200, null, 3L, null, null))))));
                assertThat(again.events()).containsExactly(other.id());
                assertThat(again.lost()).containsExactly(event.id());
                assertThat(pendingRules(other.id())).isNull();
                assertThat(deliveryRows(other.id())).hasSize(1);
                assertThat(jdbc.sql("SELECT COUNT(*) FROM event_delivery WHERE event_id = :event").param("event", event.id())
                        .query(Long.class).single()).isEqualTo(4);
            });
        } finally {
            deleteRulesAndEvents(delivered, retried, failed, deleted);
        }
    }

    @Test
    void aClaimedDeliveryThatSucceededQueuesItsRulesNextActionOnce() throws Exception {
        long rule = insertRule();
        try {
            inTransactionRolledBack(connection -> {
                EventResponse event = EventRepository.insert(connection, EventRepository.unsaved(EventType.FILE_UPLOADED, OWNER, "u",
                        EventProtocol.FTP, "f", "/next", null, 1L, null, null, null), null);
                OffsetDateTime leaseUntil = EventRepository.now().plusHours(1);
                DeliveryRepository.Claimed claimed = new DeliveryRepository.Claimed(insertClaimed(rule, event.id(), 2, OWNER, leaseUntil), rule,
                        event.id(), 0, 2, 5, leaseUntil);

                assertThat(deliveries.record(OWNER, List.of(new DeliveryRepository.Attempt(claimed, true, 200, null, 5L, null,
                        RuleAction.Type.FILE)))).isEqualTo(1);

                List<List<Object>> rows = deliveryRows(event.id());
                assertThat(rows).hasSize(2);
                assertThat(rows.get(0).subList(2, 9)).isEqualTo(Arrays.asList(0, "WEBHOOK", 3, 5, "DELIVERED", null, null));
                assertThat(rows.get(1).subList(2, 9)).as("the next action, due now, for any instance")
                        .isEqualTo(Arrays.asList(1, "FILE", 0, 5, "PENDING", null, null));
                // recorded again (its claim is gone): nothing more is queued
                assertThat(deliveries.record(OWNER, List.of(new DeliveryRepository.Attempt(claimed, true, 200, null, 5L, null,
                        RuleAction.Type.FILE)))).isZero();
                assertThat(deliveryRows(event.id())).hasSize(2);
            });
        } finally {
            deleteRulesAndEvents(rule);
        }
    }

    /** A delivery of the first action claimed by {@code owner} until {@code leaseUntil}, as a claim leaves it; its id. */
    private long insertClaimed(long rule, long event, int attempt, String owner, OffsetDateTime leaseUntil) {
        GeneratedKeyHolder key = new GeneratedKeyHolder();
        jdbc.sql("""
                INSERT INTO event_delivery (rule_id, event_id, action_index, action_type, attempt, max_attempts, state,
                                            next_attempt_at, owner, lease_until, created_at, updated_at)
                VALUES (:rule, :event, 0, 'WEBHOOK', :attempt, 5, 'PENDING', :now, :owner, :lease, :now, :now)""")
                .param("rule", rule).param("event", event).param("attempt", attempt).param("now", EventRepository.now()).param("owner", owner)
                .param("lease", leaseUntil).update(key, "id");
        return key.getKey().longValue();
    }

    private static FirstDeliveries.Ran ran(RuleAction.Type type, DeliveryRepository.Attempt attempt) {
        return new FirstDeliveries.Ran(type, attempt);
    }

    /** A first attempt run from memory, as the worker makes it: no delivery id yet. */
    private static DeliveryRepository.Claimed first(long rule, EventResponse event, OffsetDateTime held) {
        return new DeliveryRepository.Claimed(0, rule, event.id(), 0, 0, 6, held);
    }

    @Test
    void theDeliveriesOfEventsLeftOverByAnInstanceThatDiedAreWrittenForAnyInstance() throws Exception {
        long rule = insertRule();
        try {
            inTransactionRolledBack(connection -> {
                OffsetDateTime before = EventRepository.now();
                EventResponse leftOver = EventRepository.insert(connection, EventRepository.unsaved(EventType.FILE_UPLOADED, OWNER, "u",
                        EventProtocol.FTP, "f", "/left-over", null, 1L, null, null, null), String.valueOf(rule));
                EventResponse inMemory = EventRepository.insert(connection, EventRepository.unsaved(EventType.FILE_UPLOADED, OWNER, "u",
                        EventProtocol.FTP, "f", "/in-memory", null, 1L, null, null, null), String.valueOf(rule));
                for (EventResponse old : List.of(leftOver, inMemory)) {
                    jdbc.sql("UPDATE automation_event SET occurred_at = :then WHERE id = :id").param("then", before.minusMinutes(5))
                            .param("id", old.id()).update();
                }
                EventResponse recent = EventRepository.insert(connection, EventRepository.unsaved(EventType.FILE_UPLOADED, OWNER, "u",
                        EventProtocol.FTP, "f", "/recent", null, 1L, null, null, null), String.valueOf(rule));

                FirstDeliveries.Expanded written = firstDeliveries.expandLeftOver(before.minusMinutes(2), 100, 3,
                        id -> RuleAction.Type.WEBHOOK, Set.of(inMemory.id()));

                // only the one recorded before the time asked for and not in this instance's memory; another test's may be there too
                assertThat(written.events()).contains(leftOver.id()).doesNotContain(recent.id(), inMemory.id());
                assertThat(written.skipped()).isEqualTo(1);
                assertThat(pendingRules(leftOver.id())).isNull();
                assertThat(pendingRules(inMemory.id())).isEqualTo(String.valueOf(rule));
                assertThat(pendingRules(recent.id())).isEqualTo(String.valueOf(rule));
                assertThat(jdbc.sql("SELECT owner, state, max_attempts FROM event_delivery WHERE event_id = :event")
                        .param("event", leftOver.id()).query((rs, n) -> Arrays.asList(rs.getString(1), rs.getString(2), rs.getInt(3)))
                        .single()).isEqualTo(Arrays.asList(null, "PENDING", 3));
            });
        } finally {
            deleteRulesAndEvents(rule);
        }
    }

    private interface InTransaction {
        void run(Connection connection) throws Exception;
    }

    /** Runs {@code work} in a JDBC transaction (the repository's statements join it), then rolls it back. */
    private void inTransactionRolledBack(InTransaction work) {
        inTransaction(true, work);
    }

    /** Runs {@code work} in a JDBC transaction (the repository's statements join it), then rolls it back or commits it. */
    private void inTransaction(boolean rollBack, InTransaction work) {
        new TransactionTemplate(new JdbcTransactionManager(dataSource)).executeWithoutResult(status -> {
            if (rollBack) {
                status.setRollbackOnly();
            }
            Connection connection = DataSourceUtils.getConnection(dataSource);
            try {
                assertThat(connection.getMetaData().getDatabaseProductName()).isEqualTo(database());
                work.run(connection);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            } finally {
                DataSourceUtils.releaseConnection(connection, dataSource);
            }
        });
    }

    private String pendingRules(long event) {
        return jdbc.sql("SELECT pending_rules FROM automation_event WHERE id = :id").param("id", event)
                .query((rs, n) -> rs.getString(1)).list().get(0);
    }

    private List<List<Object>> deliveryRows(long event) {
        return jdbc.sql("""
                SELECT rule_id, event_id, action_index, action_type, attempt, max_attempts, state, owner, lease_until,
                       next_attempt_at FROM event_delivery WHERE event_id = :event ORDER BY rule_id""")
                .param("event", event).query(DeliveryResultsTest::row).list();
    }

    private static List<Object> row(ResultSet rs, int n) throws SQLException {
        return Arrays.asList(rs.getLong(1), rs.getLong(2), rs.getInt(3), rs.getString(4), rs.getInt(5), rs.getInt(6), rs.getString(7),
                rs.getString(8), rs.getObject(9, OffsetDateTime.class), rs.getObject(10, OffsetDateTime.class));
    }

    /**
     * A disabled rule without events or actions, stored as the rule repository reads them: other tests share the
     * database (rules and events are deleted at the end); this instance's worker never runs their deliveries.
     */
    private long insertRule() {
        GeneratedKeyHolder key = new GeneratedKeyHolder();
        jdbc.sql("INSERT INTO event_rule (name, enabled, events, actions, created_at) VALUES (:name, FALSE, '', '[]', :now)")
                .param("name", "results-" + System.nanoTime()).param("now", EventRepository.now()).update(key, "id");
        return key.getKey().longValue();
    }

    private void deleteRulesAndEvents(long... rules) {
        for (long rule : rules) {
            jdbc.sql("DELETE FROM event_rule WHERE id = :id").param("id", rule).update(); // its deliveries go with it
        }
        jdbc.sql("DELETE FROM automation_event WHERE instance = :instance").param("instance", OWNER).update();
    }

    private void recordAndCheck(long rule) throws Exception {
        OffsetDateTime leaseUntil = EventRepository.now().plusHours(1);
        List<DeliveryRepository.Claimed> claimed = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            String path = "/a" + i;
            String owner = i == 5 ? "another-instance" : OWNER;
            // recorded and claimed in one transaction (committed): the worker never sees the delivery unclaimed
            inTransaction(false, connection -> {
                EventResponse event = EventRepository.insert(connection, EventRepository.unsaved(EventType.FILE_UPLOADED, OWNER, "u",
                        EventProtocol.FTP, "f", path, null, 1L, null, null, null), String.valueOf(rule));
                claimed.add(new DeliveryRepository.Claimed(insertClaimed(rule, event.id(), 0, owner, leaseUntil), rule, event.id(), 0, 0, 5,
                        leaseUntil));
            });
        }
        List<DeliveryRepository.Attempt> attempts = new ArrayList<>();
        // five delivered (padded to eight rows in the statement), one of them with no status (not HTTP)
        int[] status = {200, 201, 204, 299, 0};
        for (int i = 0; i < 5; i++) {
            attempts.add(new DeliveryRepository.Attempt(claimed.get(i), true, status[i] == 0 ? null : status[i], null, 10L + i,
                    null, null));
        }
        attempts.add(new DeliveryRepository.Attempt(claimed.get(5), true, 204, null, 99L, null, null)); // held by another
        attempts.add(new DeliveryRepository.Attempt(claimed.get(6), false, 503, "HTTP 503", 77L, Duration.ofMinutes(1), null));

        assertThat(deliveries.record(OWNER, attempts)).isZero();

        for (int i = 0; i < 5; i++) {
            DeliveryResponse d = deliveries.find(rule, claimed.get(i).id()).orElseThrow();
            assertThat(d.state()).isEqualTo(DeliveryResponse.DeliveryState.DELIVERED);
            assertThat(d.attempt()).isEqualTo(1);
            assertThat(d.statusCode()).isEqualTo(status[i] == 0 ? null : status[i]);
            assertThat(d.durationMs()).isEqualTo(10L + i);
            assertThat(d.error()).isNull();
        }
        DeliveryResponse notHeld = deliveries.find(rule, claimed.get(5).id()).orElseThrow();
        assertThat(notHeld.state()).isEqualTo(DeliveryResponse.DeliveryState.PENDING);
        assertThat(notHeld.attempt()).isZero();
        assertThat(notHeld.durationMs()).isNull();
        DeliveryResponse failed = deliveries.find(rule, claimed.get(6).id()).orElseThrow();
        assertThat(failed.state()).isEqualTo(DeliveryResponse.DeliveryState.PENDING);
        assertThat(failed.attempt()).isEqualTo(1);
        assertThat(failed.statusCode()).isEqualTo(503);
        assertThat(failed.nextAttemptAt()).isAfter(OffsetDateTime.now().plusSeconds(30));

        // a second round of the same attempts changes nothing: the claims are gone
        deliveries.record(OWNER, attempts.subList(0, 5));
        assertThat(deliveries.find(rule, claimed.get(0).id()).orElseThrow().attempt()).isEqualTo(1);
    }
}
