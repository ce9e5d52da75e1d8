package io.ftpbridge.security;

import io.ftpbridge.support.Databases;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Failed logins counted per client address and per account, for FTP and REST alike, and shared
 * by every instance through the database: a guesser alternating between instances is refused
 * after as many failures as one that is not. An attempt is counted when it begins, before its
 * password is checked (a conditional increment, atomic across instances), so parallel attempts
 * cannot all be evaluated before any of them counts. A success ends its own attempt and clears its
 * account's failures, never the address's. An address on an allow list is never counted or banned.
 *
 * <p>Credentials that {@link VerifiedPasswords} remembers as right are not a guess: their attempt
 * is only checked against the locks (one read) and not counted in flight, so many parallel
 * clients of one address that log in with the right password are never refused for being many.
 * Should they turn out wrong after all (the password changed on another instance), the failure is
 * counted like any other.
 */
@Component
public class LoginGuard {

    private static final Logger log = LoggerFactory.getLogger(LoginGuard.class);
    private static final Duration MAX_DELAY = Duration.ofSeconds(10);
    /** An attempt under way on an instance that died stops counting after this long. */
    private static final Duration PENDING_FOR = Duration.ofSeconds(30);
    private static final String ADDRESS = "ADDRESS";
    private static final String ACCOUNT = "ACCOUNT";

    private final LoginGuardProperties policy;
    private final JdbcTemplate jdbc;
    private final IpLists ipLists;
    private final VerifiedPasswords verifiedPasswords;
    private final Clock clock;
    private volatile String ensureRowSql;
    private volatile Instant lastSweep = Instant.EPOCH;

    @Autowired
    public LoginGuard(LoginGuardProperties policy, JdbcTemplate jdbc, IpLists ipLists, VerifiedPasswords verifiedPasswords) {
        this(policy, jdbc, ipLists, verifiedPasswords, Clock.systemUTC());
    }

    LoginGuard(LoginGuardProperties policy, JdbcTemplate jdbc, IpLists ipLists, VerifiedPasswords verifiedPasswords,
               Clock clock) {
        this.policy = policy;
        this.jdbc = jdbc;
        this.ipLists = ipLists;
        this.verifiedPasswords = verifiedPasswords;
        this.clock = clock;
    }

    public LoginGuardProperties policy() {
        return policy;
    }

    /** {@link #begin(Protocol, String, String)} for an attempt whose protocol no allow entry is asked about. */
    public Attempt begin(String address, String account) {
        return begin(null, address, account);
    }

    /**
     * Starts a login attempt: refused when the address or the account is locked out, or when the
     * attempts already under way would reach the limit. An allowed attempt must be ended with
     * {@link Attempt#succeeded()} or {@link Attempt#failed()}.
     */
    public Attempt begin(Protocol protocol, String address, String account) {
        Instant now = clock.instant();
        if (lastSweep.plus(Duration.ofMinutes(1)).isBefore(now)) {
            lastSweep = now;
            sweep();
        }
        boolean countAddress = !allowListed(protocol, address);
        boolean countAccount = account != null && policy.maxAttemptsPerAccount() > 0;
        if (countAddress && !claim(ADDRESS, address, policy.maxAttempts(), now)) {
            return new Attempt(protocol, address, account, false, false, refusal(ADDRESS, address, now), false);
        }
        if (countAccount && !claim(ACCOUNT, account, policy.maxAttemptsPerAccount(), now)) {
            if (countAddress) {
                release(ADDRESS, address, false);
            }
            return new Attempt(protocol, address, account, false, false, refusal(ACCOUNT, account, now), false);
        }
        return new Attempt(protocol, address, account, countAddress, countAccount, null, false);
    }

    /**
     * {@link #begin(Protocol, String, String)} for a login that carries its password: when the
     * password is one {@link VerifiedPasswords} remembers for the account, the attempt is only
     * refused while the address or the account is locked out, and is not counted in flight.
     */
    public Attempt begin(Protocol protocol, String address, String account, String password) {
        if (account == null || !verifiedPasswords.remembers(account, password)) {
            return begin(protocol, address, account);
        }
        Instant now = clock.instant();
        // an allow-listed address (or accounts without a limit) is never locked: match no row
        String lockedAddress = allowListed(protocol, address) || address == null ? "" : address;
        String lockedAccount = policy.maxAttemptsPerAccount() > 0 ? account : "";
        List<OffsetDateTime> until = jdbc.queryForList("SELECT MAX(locked_until) FROM login_failure WHERE locked_until > ?"
                        + " AND ((kind = ? AND subject = ?) OR (kind = ? AND subject = ?))",
                OffsetDateTime.class, at(now), ADDRESS, lockedAddress, ACCOUNT, lockedAccount);
        OffsetDateTime lockedUntil = until.isEmpty() ? null : until.get(0);
        Duration refused = lockedUntil == null ? null : Duration.between(now, lockedUntil.toInstant());
        return new Attempt(protocol, address, account, false, false, refused, true);
    }

    /** How much longer an address stays refused; empty when it is not (or when it is allow-listed for the protocol). */
    public Optional<Duration> lockedFor(Protocol protocol, String address) {
        if (allowListed(protocol, address)) {
            return Optional.empty();
        }
        return lockedFor(address);
    }

    /** How much longer an address stays refused; empty when it is not. */
    public Optional<Duration> lockedFor(String address) {
        Instant now = clock.instant();
        List<OffsetDateTime> until = jdbc.queryForList("SELECT locked_until FROM login_failure WHERE kind = ? AND subject = ?"
                + " AND locked_until > ?", OffsetDateTime.class, ADDRESS, address, at(now));
        return until.isEmpty() ? Optional.empty() : Optional.of(Duration.between(now, until.get(0).toInstant()));
    }

    /** Addresses refused now, soonest-ending last. */
    public List<Ban> bans(int offset, int size) {
        return jdbc.query("SELECT subject, failures, locked_until FROM login_failure WHERE kind = ? AND locked_until > ?"
                        + " ORDER BY locked_until DESC, subject OFFSET ? ROWS FETCH FIRST ? ROWS ONLY",
                (rs, n) -> new Ban(rs.getString("subject"), rs.getInt("failures"),
                        rs.getObject("locked_until", OffsetDateTime.class).toInstant()),
                ADDRESS, at(clock.instant()), offset, size);
    }

    public long banCount() {
        Long count = jdbc.queryForObject("SELECT COUNT(*) FROM login_failure WHERE kind = ? AND locked_until > ?",
                Long.class, ADDRESS, at(clock.instant()));
        return count == null ? 0 : count;
    }

    /** Lifts an address's ban and forgets its failures; false when it was not banned. */
    public boolean unban(String address) {
        InetAddress literal = literal(address);
        if (literal != null) {
            address = literal.getHostAddress();
        }
        int removed = jdbc.update("DELETE FROM login_failure WHERE kind = ? AND subject = ? AND locked_until > ?", ADDRESS,
                address, at(clock.instant()));
        if (removed > 0) {
            log.info("Login address ban lifted: address={}", address);
        }
        return removed > 0;
    }

    /** One refused address: {@code failures} counted, refused until {@code bannedUntil}. */
    public record Ban(String address, int failures, Instant bannedUntil) {
    }

    /** Forgets rows with nothing left to remember; any instance may do it. */
    public int sweep() {
        Instant now = clock.instant();
        return jdbc.update("DELETE FROM login_failure WHERE (locked_until IS NULL OR locked_until <= ?)"
                        + " AND (pending_until IS NULL OR pending_until < ?) AND (last_failure IS NULL OR last_failure < ?)",
                at(now), at(now), at(now.minus(policy.lockout())));
    }

    private boolean allowListed(Protocol protocol, String address) {
        InetAddress parsed = literal(address);
        if (parsed == null) {
            return false;
        }
        return protocol == null ? ipLists.allows(Protocol.FTP, parsed) && ipLists.allows(Protocol.REST, parsed)
                : ipLists.allows(protocol, parsed);
    }

    /**
     * Counts one attempt under way, unless the subject is locked or the attempts would reach {@code max}.
     * The row is made (or kept) with {@code pending_until} ahead, so that no instance's sweep removes
     * it between these statements: a row swept there made the attempt look refused.
     */
    private boolean claim(String kind, String subject, int max, Instant now) {
        // what a lockout that ended, failures long past, or attempts of a dead instance leave: forgotten
        jdbc.update("""
                UPDATE login_failure SET
                  failures = CASE WHEN (locked_until IS NOT NULL AND locked_until <= ?)
                                    OR (locked_until IS NULL AND last_failure < ?) THEN 0 ELSE failures END,
                  locked_until = CASE WHEN locked_until <= ? THEN NULL ELSE locked_until END,
                  pending = CASE WHEN pending_until < ? THEN 0 ELSE pending END
                WHERE kind = ? AND subject = ?""",
                at(now), at(now.minus(policy.lockout())), at(now), at(now), kind, subject);
        jdbc.update(ensureRowSql(), kind, subject, at(now.plus(PENDING_FOR)));
        return jdbc.update("""
                UPDATE login_failure SET pending = pending + 1, pending_until = ?
                WHERE kind = ? AND subject = ? AND (locked_until IS NULL OR locked_until <= ?) AND failures + pending < ?""",
                at(now.plus(PENDING_FOR)), kind, subject, at(now), max) == 1;
    }

    private Duration refusal(String kind, String subject, Instant now) {
        List<OffsetDateTime> until = jdbc.queryForList("SELECT locked_until FROM login_failure WHERE kind = ? AND subject = ?"
                + " AND locked_until > ?", OffsetDateTime.class, kind, subject, at(now));
        // otherwise attempts under way may still fail and lock: try again shortly
        return until.isEmpty() ? Duration.ofSeconds(1) : Duration.between(now, until.get(0).toInstant());
    }

    private void release(String kind, String subject, boolean clearFailures) {
        jdbc.update("UPDATE login_failure SET pending = CASE WHEN pending > 0 THEN pending - 1 ELSE 0 END"
                + (clearFailures ? ", failures = 0" : "") + " WHERE kind = ? AND subject = ?", kind, subject);
    }

    /** Counts a failure; returns the subject's failures, and whether it is locked now. */
    private int[] fail(String kind, String subject, int max, Instant now) {
        jdbc.update("""
                UPDATE login_failure SET
                  pending = CASE WHEN pending > 0 THEN pending - 1 ELSE 0 END,
                  failures = failures + 1,
                  last_failure = ?,
                  locked_until = CASE WHEN failures + 1 >= ? AND (locked_until IS NULL OR locked_until <= ?) THEN ?
                                      ELSE locked_until END
                WHERE kind = ? AND subject = ?""",
                at(now), max, at(now), at(now.plus(policy.lockout())), kind, subject);
        return jdbc.query("SELECT failures, locked_until FROM login_failure WHERE kind = ? AND subject = ?",
                (rs, n) -> {
                    OffsetDateTime until = rs.getObject("locked_until", OffsetDateTime.class);
                    return new int[] {rs.getInt("failures"), until != null && until.toInstant().isAfter(now) ? 1 : 0};
                }, kind, subject).stream().findFirst().orElse(new int[] {1, 0});
    }

    private Failure failed(Attempt attempt) {
        Instant now = clock.instant();
        boolean locked = false;
        int addressFailures = 1;
        if (attempt.countAddress) {
            int[] address = fail(ADDRESS, attempt.address, policy.maxAttempts(), now);
            addressFailures = address[0];
            if (address[1] == 1) {
                locked = true;
                if (address[0] == policy.maxAttempts()) {
                    log.warn("Login address locked out: address={} failures={} for={}", attempt.address, address[0],
                            policy.lockout());
                }
            }
        }
        if (attempt.countAccount) {
            int[] account = fail(ACCOUNT, attempt.account, policy.maxAttemptsPerAccount(), now);
            if (account[1] == 1) {
                locked = true;
                if (account[0] == policy.maxAttemptsPerAccount()) {
                    log.warn("Login account locked out: user={} failures={} for={}", attempt.account, account[0],
                            policy.lockout());
                }
            }
        }
        long millis = policy.delay().toMillis() * Math.max(1, addressFailures);
        return new Failure(Duration.ofMillis(Math.min(millis, MAX_DELAY.toMillis())), locked);
    }

    private void succeeded(Attempt attempt) {
        if (attempt.countAddress) {
            release(ADDRESS, attempt.address, false);
        }
        if (attempt.countAccount) {
            release(ACCOUNT, attempt.account, true);
        }
    }

    /**
     * Inserts a subject's row if missing, without failing when another instance just did, and keeps
     * it from sweeps until the given time.
     */
    private String ensureRowSql() {
        String sql = ensureRowSql;
        if (sql == null) {
            sql = Boolean.TRUE.equals(jdbc.execute((ConnectionCallback<Boolean>) Databases::isPostgreSql))
                    ? "INSERT INTO login_failure (kind, subject, pending_until) VALUES (?, ?, ?) ON CONFLICT (kind, subject)"
                            + " DO UPDATE SET pending_until = GREATEST(login_failure.pending_until, EXCLUDED.pending_until)"
                    : "MERGE INTO login_failure (kind, subject, pending_until) KEY (kind, subject) VALUES (?, ?, ?)";
            ensureRowSql = sql;
        }
        return sql;
    }

    private static OffsetDateTime at(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static InetAddress literal(String address) {
        try {
            return address == null ? null : Cidr.parse(address).network();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** One login attempt; allowed unless {@link #refusedFor()} is present. */
    public final class Attempt {
        private final Protocol protocol;
        private final String address;
        private final String account;
        private final boolean countAddress;
        private final boolean countAccount;
        private final Duration refusedFor;
        /** Begun with credentials remembered as right: not counted in flight, a failure is counted when it happens. */
        private final boolean remembered;
        private boolean ended;

        private Attempt(Protocol protocol, String address, String account, boolean countAddress, boolean countAccount,
                        Duration refusedFor, boolean remembered) {
            this.protocol = protocol;
            this.address = address;
            this.account = account;
            this.countAddress = countAddress;
            this.countAccount = countAccount;
            this.refusedFor = refusedFor;
            this.remembered = remembered;
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
        public synchronized void succeeded() {
            if (!ended) {
                ended = true;
                LoginGuard.this.succeeded(this);
            }
        }

        /**
         * The credentials were wrong. Returns the wait the caller should add before answering
         * (growing with the address's failures), and whether the address or account is locked now.
         */
        public synchronized Failure failed() {
            if (ended) {
                return new Failure(Duration.ZERO, false);
            }
            ended = true;
            if (remembered) {
                Attempt counted = begin(protocol, address, account);
                return counted.allowed() ? counted.failed() : new Failure(Duration.ZERO, true);
            }
            return LoginGuard.this.failed(this);
        }
    }

    /** What a failed attempt means for the caller. */
    public record Failure(Duration delay, boolean lockedOut) {
    }
}
