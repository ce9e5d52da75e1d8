package io.ftpbridge.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import io.ftpbridge.testsupport.FtpBridgeTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;

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
    private final VerifiedPasswords verifiedPasswords;
    private final String rememberedHash;
    private final JdbcTemplate jdbc;
    private final IpLists ipLists;

    @Autowired
    LoginGuardTest(JdbcTemplate jdbc, IpLists ipLists, VerifiedPasswords verifiedPasswords, PasswordEncoder encoder) {
        this.jdbc = jdbc;
        this.ipLists = ipLists;
        this.verifiedPasswords = verifiedPasswords;
        this.rememberedHash = encoder.encode("remembered-pw");
        jdbc.update("DELETE FROM login_failure WHERE subject LIKE '192.0.2.%' OR subject LIKE '198.51.100.%'"
                + " OR subject IN ('someone', 'a', 'b', 'c', 'd', 'e', 'victim', 'own', 'x', 'y', 'admin', 'other', 'known', 'racer')"
                + " OR subject LIKE 'user%'");
        guard = new LoginGuard(new LoginGuardProperties(Duration.ofMillis(100), 3, 5, 3, Duration.ofMinutes(5)), jdbc,
                ipLists, verifiedPasswords, clock);
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

    @Test
    void rememberedCredentialsAreNotCountedInFlightButStillRefusedWhileLocked() {
        // not yet verified: the fourth parallel attempt of the address is refused, as for a guesser
        List<LoginGuard.Attempt> unverified = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            unverified.add(guard.begin(Protocol.FTP, "192.0.2.7", "known", "remembered-pw"));
        }
        assertThat(guard.begin(Protocol.FTP, "192.0.2.7", "known", "remembered-pw").allowed()).isFalse();
        unverified.forEach(LoginGuard.Attempt::succeeded);

        // once the password was verified right, fifty parallel logins of the same address all go on
        assertThat(verifiedPasswords.check(AccountKind.FTP_USER, "known", "remembered-pw", rememberedHash).matches()).isTrue();
        List<LoginGuard.Attempt> parallel = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            parallel.add(guard.begin(Protocol.REST, "192.0.2.7", "known", "remembered-pw"));
        }
        assertThat(parallel).allMatch(LoginGuard.Attempt::allowed);
        // a wrong password is never remembered: counted in flight as before
        List<LoginGuard.Attempt> guesses = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            guesses.add(guard.begin(Protocol.REST, "192.0.2.7", "known", "guess-" + i));
        }
        assertThat(guard.begin(Protocol.REST, "192.0.2.7", "known", "guess-x").allowed()).isFalse();
        parallel.forEach(LoginGuard.Attempt::succeeded);

        // the guesses lock the address: the remembered password is refused too until the lockout ends
        guesses.forEach(LoginGuard.Attempt::failed);
        LoginGuard.Attempt locked = guard.begin(Protocol.REST, "192.0.2.7", "known", "remembered-pw");
        assertThat(locked.allowed()).isFalse();
        assertThat(locked.refusedFor()).contains(Duration.ofMinutes(5));
        clock.now = clock.now.plus(Duration.ofMinutes(5)).plusSeconds(1);
        assertThat(guard.begin(Protocol.REST, "192.0.2.7", "known", "remembered-pw").allowed()).isTrue();

        // a remembered password that fails after all (changed on another instance) counts as a failure
        for (int i = 0; i < 2; i++) {
            assertThat(guard.begin(Protocol.REST, "192.0.2.8", "known", "remembered-pw").failed().lockedOut()).isFalse();
        }
        assertThat(guard.begin(Protocol.REST, "192.0.2.8", "known", "remembered-pw").failed().lockedOut()).isTrue();
        verifiedPasswords.forget(AccountKind.FTP_USER, "known");
    }

    @Test
    void aSweepForgetsRowsWithNothingLeftToRememberOnceTheirAttemptsAreOver() {
        guard.begin("192.0.2.9", "user9").succeeded();
        guard.sweep();
        assertThat(rows("192.0.2.9")).as("kept while an attempt may be under way").isEqualTo(1);
        clock.now = clock.now.plusSeconds(31);
        guard.sweep();
        assertThat(rows("192.0.2.9")).isZero();
    }

    private int rows(String subject) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM login_failure WHERE subject = ?", Integer.class, subject);
    }

    @Test
    void aSweepByAnyInstanceNeverRefusesAnAttemptItRacesWith() throws Exception {
        // two instances on one database, at real time: attempts on one, the other sweeping the rows nobody needs
        LoginGuardProperties generous = new LoginGuardProperties(Duration.ofMillis(100), 1000, 1000, 3, Duration.ofMinutes(5));
        LoginGuard here = new LoginGuard(generous, jdbc, ipLists, verifiedPasswords, Clock.systemUTC());
        LoginGuard there = new LoginGuard(generous, jdbc, ipLists, verifiedPasswords, Clock.systemUTC());
        AtomicBoolean attempting = new AtomicBoolean(true);
        AtomicInteger sweeps = new AtomicInteger();
        Thread sweeper = new Thread(() -> {
            while (attempting.get()) {
                there.sweep();
                sweeps.incrementAndGet();
            }
        });
        sweeper.start();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<Integer>> refusals = new ArrayList<>();
        try {
            for (int c = 0; c < 4; c++) {
                refusals.add(clients.submit(() -> {
                    int refused = 0;
                    for (int i = 0; i < 150; i++) {
                        LoginGuard.Attempt attempt = here.begin("198.51.100.77", "racer");
                        if (attempt.allowed()) {
                            attempt.succeeded();
                        } else {
                            refused++;
                        }
                    }
                    return refused;
                }));
            }
            int refused = 0;
            for (Future<Integer> f : refusals) {
                refused += f.get(2, TimeUnit.MINUTES);
            }
            assertThat(sweeps.get()).as("sweeps meanwhile").isGreaterThan(50);
            assertThat(refused).as("right passwords refused out of 600").isZero();
        } finally {
            attempting.set(false);
            sweeper.join();
            clients.shutdownNow();
        }
    }
}
