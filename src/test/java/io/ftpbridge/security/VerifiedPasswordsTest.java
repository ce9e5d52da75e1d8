package io.ftpbridge.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

/** The remembered passwords with the real BCrypt: one adaptive hash for a burst of the same login. */
class VerifiedPasswordsTest {

    /** BCrypt, counting the hashes it computes; while {@code held}, a hash waits for the test to let it finish. */
    private static final class CountingEncoder implements PasswordEncoder {
        final BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder(4);
        final AtomicInteger hashes = new AtomicInteger();
        volatile CountDownLatch held = new CountDownLatch(0);

        @Override
        public String encode(CharSequence raw) {
            return bcrypt.encode(raw);
        }

        @Override
        public boolean matches(CharSequence raw, String encoded) {
            hashes.incrementAndGet();
            try {
                held.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return bcrypt.matches(raw, encoded);
        }
    }

    private final CountingEncoder encoder = new CountingEncoder();
    private final VerifiedPasswords passwords = new VerifiedPasswords(encoder, new AuthProperties(Duration.ofSeconds(60),
            Duration.ofMinutes(15)));
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final ExecutorService clients = Executors.newFixedThreadPool(8, r -> {
        Thread t = new Thread(r);
        threads.add(t);
        return t;
    });

    @AfterEach
    void stop() {
        clients.shutdownNow();
    }

    @Test
    void eightLoginsAtOnceWithTheSamePasswordCostOneHash() throws Exception {
        String stored = encoder.encode("partner-password");
        List<VerifiedPasswords.Check> checks = burst(8, "partner-password", stored);

        assertThat(checks).allMatch(VerifiedPasswords.Check::matches);
        assertThat(checks).filteredOn(VerifiedPasswords.Check::fresh).hasSize(1);
        assertThat(encoder.hashes).hasValue(1);
        // and remembered afterwards
        assertThat(passwords.check(AccountKind.FTP_USER, "partner", "partner-password", stored))
                .isEqualTo(new VerifiedPasswords.Check(true, false));
        assertThat(encoder.hashes).hasValue(1);
    }

    @Test
    void aWrongPasswordInABurstIsRefusedForAllAndNeverRemembered() throws Exception {
        String stored = encoder.encode("partner-password");
        List<VerifiedPasswords.Check> checks = burst(8, "guess", stored);

        assertThat(checks).noneMatch(VerifiedPasswords.Check::matches);
        assertThat(encoder.hashes).hasValue(1);
        assertThat(passwords.check(AccountKind.FTP_USER, "partner", "guess", stored).fresh()).isTrue();
        assertThat(encoder.hashes).hasValue(2);
    }

    @Test
    void differentPasswordsAreHashedEachOnTheirOwn() throws Exception {
        String stored = encoder.encode("partner-password");
        CyclicBarrier start = new CyclicBarrier(2);
        Future<VerifiedPasswords.Check> right = clients.submit(() -> {
            start.await();
            return passwords.check(AccountKind.FTP_USER, "partner", "partner-password", stored);
        });
        Future<VerifiedPasswords.Check> wrong = clients.submit(() -> {
            start.await();
            return passwords.check(AccountKind.FTP_USER, "partner", "guess", stored);
        });

        assertThat(right.get()).isEqualTo(new VerifiedPasswords.Check(true, true));
        assertThat(wrong.get()).isEqualTo(new VerifiedPasswords.Check(false, true));
        assertThat(encoder.hashes).hasValue(2);
    }

    /**
     * {@code logins} checks of one password at once; the first one's hash is held until all the others wait for it
     * (parked), so none of them can come after it has finished.
     */
    private List<VerifiedPasswords.Check> burst(int logins, String password, String stored) throws Exception {
        encoder.held = new CountDownLatch(1);
        int before = encoder.hashes.get();
        CyclicBarrier start = new CyclicBarrier(logins);
        List<Future<VerifiedPasswords.Check>> futures = new ArrayList<>();
        for (int i = 0; i < logins; i++) {
            futures.add(clients.submit(() -> {
                start.await();
                return passwords.check(AccountKind.FTP_USER, "partner", password, stored);
            }));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!(encoder.hashes.get() == before + 1
                && threads.stream().filter(t -> t.getState() == Thread.State.WAITING).count() == logins - 1)
                && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        encoder.held.countDown();
        List<VerifiedPasswords.Check> checks = new ArrayList<>();
        for (Future<VerifiedPasswords.Check> f : futures) {
            checks.add(f.get(10, TimeUnit.SECONDS));
        }
        return checks;
    }
}
