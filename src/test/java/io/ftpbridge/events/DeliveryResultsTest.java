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
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.jdbc.support.GeneratedKeyHolder;

/**
 * Results of a round's attempts as the delivery log shows them, on PostgreSQL (this class) and H2
 * ({@link DeliveryResultsOnH2Test}):
 * the delivered ones of a round are recorded by one statement, each with its own status code and duration; a
 * delivery whose claim another instance holds is left alone; a failed one is due again. And the statement that
 * writes an event with the first delivery of every rule taking it.
 */
@FtpBridgeTest
class DeliveryResultsTest {

    private static final String OWNER = "results-test-owner";

    @Autowired
    DeliveryRepository deliveries;
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
    void anEventAndTheDeliveriesOfEveryRuleTakingItAreWrittenByOneStatement() throws Exception {
        long claimedHere = insertRule();
        long forAnyInstance = insertRule();
        // checked inside the transaction and rolled back: this instance's worker would claim the unclaimed delivery
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                JdbcClient local = JdbcClient.create(new SingleConnectionDataSource(connection, true));
                DeliveryRepository.Lease lease = new DeliveryRepository.Lease(OWNER,
                        EventRepository.now().plusHours(1).truncatedTo(ChronoUnit.MICROS));
                EventResponse unsaved = EventRepository.unsaved(EventType.FILE_UPLOADED, OWNER, "u", EventProtocol.FTP, "f", "/two",
                        null, 42L, null, null, null);
                DeliveryRepository.Written written = DeliveryRepository.insertEventWithDeliveries(connection,
                        database().equals("PostgreSQL"), unsaved, 7,
                        List.of(new DeliveryRepository.NewDelivery(claimedHere, RuleAction.Type.WEBHOOK, lease),
                                new DeliveryRepository.NewDelivery(forAnyInstance, RuleAction.Type.FILE, null)));

                assertThat(written.event().id()).isPositive();
                assertThat(written.event()).usingRecursiveComparison().ignoringFields("id").isEqualTo(unsaved);
                // as a read of it returns it: the delivery worker takes it from here instead of a read
                assertThat(new EventRepository(local).find(written.event().id())).contains(written.event());
                assertThat(written.deliveryByRule()).containsOnlyKeys(claimedHere, forAnyInstance);
                String row = """
                        SELECT rule_id, event_id, action_index, action_type, attempt, max_attempts, state, owner, lease_until,
                               next_attempt_at FROM event_delivery WHERE id = :id""";
                assertThat(local.sql(row).param("id", written.deliveryByRule().get(claimedHere)).query(DeliveryResultsTest::row).single())
                        .isEqualTo(List.of(claimedHere, written.event().id(), 0, "WEBHOOK", 0, 7, "PENDING", OWNER, lease.until(),
                                written.event().time()));
                assertThat(local.sql(row).param("id", written.deliveryByRule().get(forAnyInstance)).query(DeliveryResultsTest::row).single())
                        .isEqualTo(Arrays.asList(forAnyInstance, written.event().id(), 0, "FILE", 0, 7, "PENDING", null, null,
                                written.event().time()));
            } finally {
                connection.rollback();
                connection.setAutoCommit(true);
            }
        } finally {
            deleteRulesAndEvents(claimedHere, forAnyInstance);
        }
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
        DeliveryRepository.Lease lease = new DeliveryRepository.Lease(OWNER, EventRepository.now().plusHours(1));
        DeliveryRepository.Lease other = new DeliveryRepository.Lease("another-instance", lease.until());
        List<DeliveryRepository.Claimed> claimed = new ArrayList<>();
        try (Connection connection = dataSource.getConnection()) {
            assertThat(connection.getMetaData().getDatabaseProductName()).isEqualTo(database());
            for (int i = 0; i < 7; i++) {
                DeliveryRepository.Written written = DeliveryRepository.insertEventWithDeliveries(connection,
                        database().equals("PostgreSQL"), EventRepository.unsaved(EventType.FILE_UPLOADED, OWNER, "u", EventProtocol.FTP,
                                "f", "/a" + i, null, 1L, null, null, null),
                        5, List.of(new DeliveryRepository.NewDelivery(rule, RuleAction.Type.WEBHOOK, i == 5 ? other : lease)));
                assertThat(written.deliveryByRule()).containsOnlyKeys(rule);
                claimed.add(new DeliveryRepository.Claimed(written.deliveryByRule().get(rule), rule, written.event().id(), 0, 0, 5,
                        lease.until()));
            }
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
