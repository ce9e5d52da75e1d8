package io.ftpbridge.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import io.ftpbridge.testsupport.FtpBridgeTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** The guard's time rules in the real database, on a clock the test moves: lockouts end, old failures are forgotten. */
@FtpBridgeTest
class LoginGuardTest {

    private static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final MovableClock clock = new MovableClock();
    private final LoginGuard guard;

    @Autowired
    LoginGuardTest(JdbcTemplate jdbc, IpLists ipLists) {
        jdbc.update("DELETE FROM login_failure WHERE subject LIKE '192.0.2.%' OR subject LIKE '198.51.100.%'"
                + " OR subject IN ('someone', 'a', 'b', 'c', 'd', 'e', 'victim', 'own', 'x', 'y', 'admin', 'other')"
                + " OR subject LIKE 'user%'");
        guard = new LoginGuard(new LoginGuardProperties(Duration.ofMillis(100), 3, 5, 3, Duration.ofMinutes(5)), jdbc,
                ipLists, clock);
    }

    @Test
    void anAddressIsRefusedForTheLockoutAndThenAllowedAgain() {
        for (int i = 0; i < 3; i++) {
            guard.begin("192.0.2.1", "user" + i).failed();
        }
        LoginGuard.Attempt refused = guard.begin("192.0.2.1", "someone");
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.refusedFor()).contains(Duration.ofMinutes(5));
        assertThat(guard.lockedFor("192.0.2.1")).isPresent();
        assertThat(guard.begin("192.0.2.2", "someone").allowed()).isTrue();

        clock.now = clock.now.plus(Duration.ofMinutes(5)).plusSeconds(1);
        assertThat(guard.lockedFor("192.0.2.1")).isEmpty();
        assertThat(guard.begin("192.0.2.1", "someone").allowed()).isTrue();
    }

    @Test
    void failuresAreForgottenAfterTheLockoutWithoutANewOne() {
        guard.begin("192.0.2.3", "a").failed();
        guard.begin("192.0.2.3", "b").failed();
        clock.now = clock.now.plus(Duration.ofMinutes(6));
        guard.begin("192.0.2.3", "c").failed();
        guard.begin("192.0.2.3", "d").failed();
        assertThat(guard.begin("192.0.2.3", "e").allowed()).isTrue();
    }

    @Test
    void aSuccessClearsItsAccountButNotItsAddress() {
        guard.begin("192.0.2.4", "victim").failed();
        guard.begin("192.0.2.4", "victim").failed();
        guard.begin("192.0.2.4", "own").succeeded();
        LoginGuard.Failure third = guard.begin("192.0.2.4", "victim").failed();
        assertThat(third.lockedOut()).isTrue();
        assertThat(third.delay()).isEqualTo(Duration.ofMillis(300));
        assertThat(guard.begin("192.0.2.4", "own").allowed()).isFalse();
    }

    @Test
    void attemptsUnderWayCountAgainstTheLimit() {
        LoginGuard.Attempt first = guard.begin("192.0.2.5", "x");
        LoginGuard.Attempt second = guard.begin("192.0.2.5", "x");
        LoginGuard.Attempt third = guard.begin("192.0.2.5", "x");
        assertThat(guard.begin("192.0.2.5", "x").allowed()).isFalse();
        first.succeeded();
        assertThat(guard.begin("192.0.2.5", "y").allowed()).isTrue();
        second.failed();
        third.failed();
    }

    @Test
    void anAccountGuessedFromManyAddressesIsRefusedEverywhere() {
        for (int i = 0; i < 5; i++) {
            guard.begin("198.51.100." + i, "admin").failed();
        }
        assertThat(guard.begin("198.51.100.200", "admin").allowed()).isFalse();
        assertThat(guard.begin("198.51.100.200", "other").allowed()).isTrue();
    }
}
