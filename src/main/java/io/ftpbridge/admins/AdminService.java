package io.ftpbridge.admins;

import io.ftpbridge.security.AccountKind;
import io.ftpbridge.security.AuthMethod;
import io.ftpbridge.security.Caller;
import io.ftpbridge.security.CredentialsChangedEvent;
import io.ftpbridge.security.PasswordAccounts;
import io.ftpbridge.security.Role;
import io.ftpbridge.security.VerifiedPasswords;
import io.ftpbridge.web.ConflictException;
import io.ftpbridge.web.InvalidRequestException;
import io.ftpbridge.web.NotFoundException;
import io.ftpbridge.web.PageRequests;
import io.ftpbridge.web.PageResponse;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.Sort;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Administrator accounts: their records, their password check, and the rule that the last enabled
 * ADMIN cannot be deleted, disabled or demoted.
 */
@Service
public class AdminService implements PasswordAccounts {

    private static final Logger log = LoggerFactory.getLogger(AdminService.class);
    /** How long what a login needs of an account may be reused before it is read again. */
    static final Duration SNAPSHOT_TTL = Duration.ofSeconds(1);
    private static final int MAX_SNAPSHOTS = 10_000;

    /** What a login needs of an account; passwordHash null = no such account. */
    private record Snapshot(String passwordHash, Role role, boolean enabled, long readAtNanos) {
    }

    private final Map<String, Snapshot> snapshots = new ConcurrentHashMap<>();

    private final AdminAccountRepository accounts;
    private final PasswordEncoder passwordEncoder;
    private final VerifiedPasswords verifiedPasswords;
    private final ApplicationEventPublisher events;

    AdminService(AdminAccountRepository accounts, PasswordEncoder passwordEncoder, VerifiedPasswords verifiedPasswords,
                 ApplicationEventPublisher events) {
        this.accounts = accounts;
        this.passwordEncoder = passwordEncoder;
        this.verifiedPasswords = verifiedPasswords;
        this.events = events;
    }

    @Transactional
    public AdminResponse create(AdminRequest request) {
        if (request.password() == null) {
            throw new InvalidRequestException("password", "must not be null");
        }
        if (accounts.existsByUsername(request.username())) {
            throw new ConflictException("username", "administrator '%s' already exists".formatted(request.username()));
        }
        AdminAccount account = new AdminAccount(request.username(), passwordEncoder.encode(request.password()), request.role());
        account.setEnabled(request.enabled() == null || request.enabled());
        accounts.saveAndFlush(account);
        log.info("Administrator created: username={} role={} enabled={}", account.getUsername(), account.getRole(), account.isEnabled());
        return AdminResponse.of(account);
    }

    @Transactional(readOnly = true)
    public AdminResponse get(String username) {
        return AdminResponse.of(find(username));
    }

    @Transactional(readOnly = true)
    public PageResponse<AdminResponse> list(int page, int size) {
        return PageResponse.of(accounts.findAll(PageRequests.of(page, size, Sort.by("username"))), AdminResponse::of);
    }

    @Transactional
    public AdminResponse replace(String username, AdminRequest request) {
        if (!username.equals(request.username())) {
            throw new InvalidRequestException("username",
                    "an administrator cannot be renamed; the body's username must be '%s'".formatted(username));
        }
        return change(username, request.password(), request.role(), request.enabled() == null || request.enabled());
    }

    @Transactional
    public AdminResponse patch(String username, AdminPatch patch) {
        return change(username, patch.password(), patch.role(), patch.enabled());
    }

    private AdminResponse change(String username, String password, Role role, Boolean enabled) {
        AdminAccount account = find(username);
        boolean staysAdmin = (role == null ? account.getRole() : role) == Role.ADMIN
                && (enabled == null ? account.isEnabled() : enabled);
        if (!staysAdmin) {
            requireAnotherEnabledAdmin(account, "disabled or demoted");
        }
        if (password != null) {
            account.setPasswordHash(passwordEncoder.encode(password));
        }
        if (role != null) {
            account.setRole(role);
        }
        if (enabled != null) {
            account.setEnabled(enabled);
        }
        accounts.saveAndFlush(account);
        events.publishEvent(new CredentialsChangedEvent(AccountKind.ADMIN, username));
        log.info("Administrator updated: username={} role={} enabled={} passwordChanged={}", username, account.getRole(),
                account.isEnabled(), password != null);
        return AdminResponse.of(account);
    }

    @Transactional
    public void delete(String username) {
        AdminAccount account = find(username);
        requireAnotherEnabledAdmin(account, "deleted");
        accounts.delete(account);
        accounts.flush();
        events.publishEvent(new CredentialsChangedEvent(AccountKind.ADMIN, username));
        log.info("Administrator deleted: username={}", username);
    }

    /** An administrator changes its own password, proving the current one. */
    @Transactional
    public void changeOwnPassword(String username, String currentPassword, String newPassword) {
        AdminAccount account = find(username);
        if (!passwordEncoder.matches(currentPassword, account.getPasswordHash())) {
            throw new InvalidRequestException("currentPassword", "is not the account's current password");
        }
        account.setPasswordHash(passwordEncoder.encode(newPassword));
        accounts.saveAndFlush(account);
        events.publishEvent(new CredentialsChangedEvent(AccountKind.ADMIN, username));
        log.info("Administrator changed its password: username={}", username);
    }

    /** The role of an enabled administrator (what an API key it created may at most do), if there is one. */
    @Transactional(readOnly = true)
    public Optional<Role> enabledRole(String username) {
        return accounts.findByUsername(username).filter(AdminAccount::isEnabled).map(AdminAccount::getRole);
    }

    private void requireAnotherEnabledAdmin(AdminAccount account, String what) {
        if (account.getRole() != Role.ADMIN || !account.isEnabled()) {
            return;
        }
        List<AdminAccount> admins = accounts.lockEnabledWithRole(Role.ADMIN);
        if (admins.stream().noneMatch(a -> !a.getUsername().equals(account.getUsername()))) {
            throw new ConflictException(null, "'%s' is the last enabled ADMIN and cannot be %s".formatted(account.getUsername(), what));
        }
    }

    private AdminAccount find(String username) {
        return accounts.findByUsername(username)
                .orElseThrow(() -> new NotFoundException("administrator '%s' does not exist".formatted(username)));
    }

    @Override
    public AccountKind kind() {
        return AccountKind.ADMIN;
    }

    @Override
    public Verification verify(String username, String password, InetAddress address) {
        Snapshot account = username == null ? null : snapshot(username);
        if (account == null || account.passwordHash() == null) {
            return null;
        }
        VerifiedPasswords.Check check = verifiedPasswords.check(AccountKind.ADMIN, username, password, account.passwordHash());
        if (!check.matches()) {
            return Verification.refused("BAD_PASSWORD");
        }
        if (!account.enabled()) {
            return Verification.refused("DISABLED");
        }
        if (check.fresh()) {
            accounts.recordLogin(username, Instant.now());
        }
        return Verification.verified(caller(username, account.role()), check.fresh());
    }

    @Override
    public Optional<Caller> current(String username, InetAddress address) {
        Snapshot account = snapshot(username);
        return account.passwordHash() != null && account.enabled()
                ? Optional.of(caller(username, account.role())) : Optional.empty();
    }

    /**
     * The account's hash, role and enabled flag, read from the database at most once per
     * {@link #SNAPSHOT_TTL} (requests in a loop are not a query each): a change made on this
     * instance is seen at once (the snapshot is dropped when it commits), one made on another
     * instance within that time.
     */
    private Snapshot snapshot(String username) {
        long now = System.nanoTime();
        Snapshot known = snapshots.get(username);
        if (known != null && now - known.readAtNanos() < SNAPSHOT_TTL.toNanos()) {
            return known;
        }
        Snapshot read = accounts.findByUsername(username)
                .map(a -> new Snapshot(a.getPasswordHash(), a.getRole(), a.isEnabled(), now))
                .orElse(new Snapshot(null, null, false, now));
        if (snapshots.size() >= MAX_SNAPSHOTS) {
            snapshots.clear(); // many distinct names (a spray of unknown ones): start over rather than grow
        }
        snapshots.put(username, read);
        return read;
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    public void forgetSnapshot(CredentialsChangedEvent event) {
        if (event.kind() == AccountKind.ADMIN) {
            snapshots.remove(event.username());
        }
    }

    private static Caller caller(String username, Role role) {
        return new Caller(username, AccountKind.ADMIN, role, AuthMethod.BASIC, null);
    }
}
