package io.ftpbridge.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Failed logins counted per client address and per account, for FTP and REST alike. An attempt is
 * counted when it begins, before its password is checked, so parallel attempts cannot all be
 * evaluated before any of them counts. A success ends its own attempt and clears its account's
 * failures, never the address's: another account logging in from an address does not forgive it.
 * In memory, per instance.
 */
@Component
public class LoginGuard {

    private static final Logger log = LoggerFactory.getLogger(LoginGuard.class);
    private static final Duration MAX_DELAY = Duration.ofSeconds(10);
    /** Beyond this many tracked keys, entries with nothing left to remember are dropped. */
    private static final int SWEEP_ABOVE = 10_000;
    /** Memory bound against sprays of made-up names or addresses: beyond it, new keys are not remembered. */
    private static final int MAX_TRACKED = 200_000;

    private final LoginGuardProperties policy;
    private final Clock clock;
    private final Map<String, Counter> addresses = new HashMap<>();
    private final Map<String, Counter> accounts = new HashMap<>();

    @Autowired
    public LoginGuard(LoginGuardProperties policy) {
        this(policy, Clock.systemUTC());
    }

    LoginGuard(LoginGuardProperties policy, Clock clock) {
        this.policy = policy;
        this.clock = clock;
    }

    public LoginGuardProperties policy() {
        return policy;
    }

    /**
     * Starts a login attempt: refused when the address or the account is locked out, or when the
     * attempts already under way would reach the limit. An allowed attempt must be ended with
     * {@link Attempt#succeeded()} or {@link Attempt#failed()}.
     */
    public synchronized Attempt begin(String address, String account) {
        Instant now = clock.instant();
        sweepIfLarge(now);
        Counter byAddress = counter(addresses, address, now);
        Counter byAccount = account == null || policy.maxAttemptsPerAccount() == 0 ? null
                : counter(accounts, account, now);
        Duration wait = byAddress.refusal(policy.maxAttempts(), now);
        if (wait == null && byAccount != null) {
            wait = byAccount.refusal(policy.maxAttemptsPerAccount(), now);
        }
        if (wait != null) {
            return new Attempt(address, account, null, null, wait);
        }
        byAddress.inFlight++;
        if (byAccount != null) {
            byAccount.inFlight++;
        }
        return new Attempt(address, account, byAddress, byAccount, null);
    }

    /** How much longer an address stays refused; empty when it is not. */
    public synchronized Optional<Duration> lockedFor(String address) {
        Counter counter = addresses.get(address);
        Instant now = clock.instant();
        if (counter == null || counter.lockedUntil == null || !counter.lockedUntil.isAfter(now)) {
            return Optional.empty();
        }
        return Optional.of(Duration.between(now, counter.lockedUntil));
    }

    private synchronized boolean fail(Attempt attempt) {
        Instant now = clock.instant();
        boolean locked = attempt.byAddress.fail(policy.maxAttempts(), policy.lockout(), now);
        if (locked) {
            log.warn("Login address locked out: address={} failures={} for={}", attempt.address,
                    attempt.byAddress.failures, policy.lockout());
        }
        if (attempt.byAccount != null && attempt.byAccount.fail(policy.maxAttemptsPerAccount(), policy.lockout(), now)) {
            log.warn("Login account locked out: user={} failures={} for={}", attempt.account,
                    attempt.byAccount.failures, policy.lockout());
            locked = true;
        }
        return locked;
    }

    private synchronized Duration delayAfterFailure(Attempt attempt) {
        long millis = policy.delay().toMillis() * Math.max(1, attempt.byAddress.failures);
        return Duration.ofMillis(Math.min(millis, MAX_DELAY.toMillis()));
    }

    private synchronized void succeed(Attempt attempt) {
        attempt.byAddress.inFlight--;
        if (attempt.byAccount != null) {
            attempt.byAccount.inFlight--;
            if (attempt.byAccount.inFlight == 0 && attempt.byAccount.lockedUntil == null) {
                accounts.remove(attempt.account);
            } else {
                attempt.byAccount.failures = 0;
            }
        }
    }

    private Counter counter(Map<String, Counter> counters, String key, Instant now) {
        Counter counter = counters.get(key);
        if (counter == null) {
            counter = new Counter();
            if (counters.size() < MAX_TRACKED) {
                counters.put(key, counter);
            }
        }
        counter.forgetIfStale(policy.lockout(), now);
        return counter;
    }

    private void sweepIfLarge(Instant now) {
        for (Map<String, Counter> counters : java.util.List.of(addresses, accounts)) {
            if (counters.size() > SWEEP_ABOVE) {
                counters.values().forEach(c -> c.forgetIfStale(policy.lockout(), now));
                counters.values().removeIf(Counter::empty);
            }
        }
    }

    /** One login attempt; allowed unless {@link #refusedFor()} is present. */
    public final class Attempt {
        private final String address;
        private final String account;
        private final Counter byAddress;
        private final Counter byAccount;
        private final Duration refusedFor;
        private boolean ended;

        private Attempt(String address, String account, Counter byAddress, Counter byAccount, Duration refusedFor) {
            this.address = address;
            this.account = account;
            this.byAddress = byAddress;
            this.byAccount = byAccount;
            this.refusedFor = refusedFor;
            this.ended = refusedFor != null;
        }

        public boolean allowed() {
            return refusedFor == null;
        }

        /** When refused: how long until a new attempt may be allowed. */
        public Optional<Duration> refusedFor() {
            return Optional.ofNullable(refusedFor);
        }

        /** The credentials were right (whatever is refused afterwards is not a guess). */
        public void succeeded() {
            if (!ended) {
                ended = true;
                succeed(this);
            }
        }

        /**
         * The credentials were wrong. Returns the wait the caller should add before answering
         * (growing with the address's failures), and whether this failure locked the address or account.
         */
        public Failure failed() {
            if (ended) {
                return new Failure(Duration.ZERO, false);
            }
            ended = true;
            boolean locked = fail(this);
            return new Failure(delayAfterFailure(this), locked);
        }
    }

    /** What a failed attempt means for the caller. */
    public record Failure(Duration delay, boolean lockedOut) {
    }

    private static final class Counter {
        int failures;
        int inFlight;
        Instant lastFailure;
        Instant lockedUntil;

        /** Null when an attempt may begin; otherwise how long to wait. */
        Duration refusal(int max, Instant now) {
            if (lockedUntil != null && lockedUntil.isAfter(now)) {
                return Duration.between(now, lockedUntil);
            }
            if (failures + inFlight >= max) {
                // attempts under way may still fail and lock: try again shortly
                return Duration.ofSeconds(1);
            }
            return null;
        }

        boolean fail(int max, Duration lockout, Instant now) {
            inFlight--;
            failures++;
            lastFailure = now;
            if (failures >= max && (lockedUntil == null || !lockedUntil.isAfter(now))) {
                lockedUntil = now.plus(lockout);
                return true;
            }
            return false;
        }

        void forgetIfStale(Duration lockout, Instant now) {
            if (lockedUntil != null && !lockedUntil.isAfter(now)) {
                lockedUntil = null;
                failures = 0;
            }
            if (lockedUntil == null && lastFailure != null && lastFailure.plus(lockout).isBefore(now)) {
                failures = 0;
                lastFailure = null;
            }
        }

        boolean empty() {
            return failures == 0 && inFlight == 0 && lockedUntil == null;
        }
    }
}
