package io.ftpbridge.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.ftpbridge.testsupport.FtpBridgeTest;
import java.sql.Connection;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;

/**
 * Results of a round's attempts as the delivery log shows them, on PostgreSQL (this class) and H2
 * ({@link DeliveryResultsOnH2Test}):
 * the delivered ones of a round are recorded by one statement, each with its own status code and duration; a
 * delivery whose claim another instance holds is left alone; a failed one is due again.
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
        // a disabled rule without events or actions, stored as the rule repository reads them: other tests share the
        // database (both are deleted at the end); this instance's worker never runs the deliveries (leased to OWNER)
        GeneratedKeyHolder key = new GeneratedKeyHolder();
        jdbc.sql("INSERT INTO event_rule (name, enabled, events, actions, created_at) VALUES (:name, FALSE, '', '[]', :now)")
                .param("name", "results-" + System.nanoTime()).param("now", EventRepository.now()).update(key, "id");
        long rule = key.getKey().longValue();
        try {
            recordAndCheck(rule);
        } finally {
            jdbc.sql("DELETE FROM event_rule WHERE id = :id").param("id", rule).update(); // its deliveries go with it
            jdbc.sql("DELETE FROM automation_event WHERE instance = :instance").param("instance", OWNER).update();
        }
    }

    private void recordAndCheck(long rule) throws Exception {
        DeliveryRepository.Lease lease = new DeliveryRepository.Lease(OWNER, EventRepository.now().plusHours(1));
        DeliveryRepository.Lease other = new DeliveryRepository.Lease("another-instance", lease.until());
        List<DeliveryRepository.Claimed> claimed = new ArrayList<>();
        long event;
        try (Connection connection = dataSource.getConnection()) {
            assertThat(connection.getMetaData().getDatabaseProductName()).isEqualTo(database());
            event = EventRepository.insert(connection, EventType.FILE_UPLOADED, OWNER, "u", EventProtocol.FTP, "f", "/a", null, 1L, null,
                    null, null).id();
            for (int i = 0; i < 7; i++) {
                long id = DeliveryRepository.insert(connection, rule, event, 0, RuleAction.Type.WEBHOOK, 5, i == 5 ? other : lease);
                claimed.add(new DeliveryRepository.Claimed(id, rule, event, 0, 0, 5, lease.until()));
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
