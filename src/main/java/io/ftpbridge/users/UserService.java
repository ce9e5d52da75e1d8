package io.ftpbridge.users;

import io.ftpbridge.folders.FolderService;
import io.ftpbridge.security.AccountKind;
import io.ftpbridge.security.CredentialsChangedEvent;
import io.ftpbridge.security.VerifiedPasswords;
import io.ftpbridge.storage.FolderStorage;
import io.ftpbridge.storage.InvalidPathException;
import io.ftpbridge.storage.UserFileSystem;
import io.ftpbridge.web.ConflictException;
import io.ftpbridge.web.FieldError;
import io.ftpbridge.web.InvalidRequestException;
import io.ftpbridge.web.NotFoundException;
import io.ftpbridge.web.PageRequests;
import io.ftpbridge.web.PageResponse;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Sort;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.util.matcher.IpAddressMatcher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** FTP accounts: their records, their mounts, and the check at FTP login. */
@Service
public class UserService {

    private static final Logger log = LoggerFactory.getLogger(UserService.class);

    /** Why a login was refused; logged, never told to the client (all get 530). */
    public enum LoginFailure { UNKNOWN_USER, BAD_PASSWORD, DISABLED, ADDRESS_NOT_ALLOWED }

    /** Outcome of a login attempt: the login, or why it failed. */
    public record LoginResult(FtpLogin login, LoginFailure failure, boolean passwordHashed) {
        public LoginResult(FtpLogin login, LoginFailure failure) {
            this(login, failure, true);
        }

        public boolean ok() {
            return login != null;
        }
    }

    private final FtpUserRepository users;
    private final FolderService folders;
    private final PasswordEncoder passwordEncoder;
    private final VerifiedPasswords verifiedPasswords;
    private final ApplicationEventPublisher events;
    private final String dummyHash;

    public UserService(FtpUserRepository users, FolderService folders, PasswordEncoder passwordEncoder,
                       VerifiedPasswords verifiedPasswords, ApplicationEventPublisher events) {
        this.users = users;
        this.folders = folders;
        this.passwordEncoder = passwordEncoder;
        this.verifiedPasswords = verifiedPasswords;
        this.events = events;
        this.dummyHash = passwordEncoder.encode("timing-equaliser-for-unknown-users");
    }

    @Transactional
    public UserResponse create(UserRequest request) {
        if (request.password() == null) {
            throw new InvalidRequestException("password", "must not be null");
        }
        if (users.existsByUsername(request.username())) {
            throw new ConflictException("username", "user '%s' already exists".formatted(request.username()));
        }
        FtpUser user = new FtpUser(request.username(), passwordEncoder.encode(request.password()));
        applyAll(user, request);
        users.saveAndFlush(user);
        log.info("FTP user created: username={} mounts={}", user.getUsername(), user.getMounts().size());
        return UserResponse.of(user);
    }

    @Transactional(readOnly = true)
    public UserResponse get(String username) {
        return UserResponse.of(find(username));
    }

    /** A page of users: two queries (the page and its users' mounts), plus a count past the first page. */
    @Transactional(readOnly = true)
    public PageResponse<UserResponse> list(int page, int size) {
        Page<UserRow> rows = users.findRows(PageRequests.of(page, size, Sort.unsorted()));
        Map<Long, List<MountEntry>> mounts = new HashMap<>();
        List<UserRow> content = rows.getContent();
        if (!content.isEmpty()) {
            for (UserRow.MountRow mount : users.findMountRows(content.get(0).username(),
                    content.get(content.size() - 1).username())) {
                // a user created in between may fall in the range: its mounts are not looked up below
                mounts.computeIfAbsent(mount.userId(), id -> new ArrayList<>()).add(mount.entry());
            }
        }
        return PageResponse.of(rows, row -> UserResponse.of(row, mounts.getOrDefault(row.id(), List.of())));
    }

    @Transactional
    public UserResponse replace(String username, UserRequest request) {
        if (!username.equals(request.username())) {
            throw new InvalidRequestException("username",
                    "a user cannot be renamed; the body's username must be '%s'".formatted(username));
        }
        FtpUser user = find(username);
        boolean wasEnabled = user.isEnabled();
        if (request.password() != null) {
            user.setPasswordHash(passwordEncoder.encode(request.password()));
        }
        applyAll(user, request);
        revokeIfDisabled(user, wasEnabled);
        return saved(user);
    }

    @Transactional
    public UserResponse patch(String username, UserPatch patch) {
        FtpUser user = find(username);
        boolean wasEnabled = user.isEnabled();
        List<MountEntry> mounts = patch.mounts() == null ? null : checkMounts(patch.mounts());
        List<String> allowedIps = patch.allowedIps() == null ? null : checkAllowedIps(patch.allowedIps());
        if (patch.password() != null) {
            user.setPasswordHash(passwordEncoder.encode(patch.password()));
        }
        if (patch.enabled() != null) {
            user.setEnabled(patch.enabled());
        }
        if (patch.maxConnections() != null) {
            user.setMaxConnections(patch.maxConnections());
        }
        if (patch.uploadBytesPerSecond() != null) {
            user.setUploadBytesPerSecond(patch.uploadBytesPerSecond());
        }
        if (patch.downloadBytesPerSecond() != null) {
            user.setDownloadBytesPerSecond(patch.downloadBytesPerSecond());
        }
        if (allowedIps != null) {
            user.setAllowedIps(allowedIps);
        }
        if (mounts != null) {
            user.setMounts(mounts);
        }
        if (patch.tlsRequired() != null) {
            user.setTlsRequired(patch.tlsRequired());
        }
        revokeIfDisabled(user, wasEnabled);
        return saved(user);
    }

    @Transactional
    public void delete(String username) {
        users.delete(find(username));
        events.publishEvent(new CredentialsChangedEvent(AccountKind.FTP_USER, username));
        log.info("FTP user deleted: username={}", username);
        events.publishEvent(new UserAccessRevokedEvent(username, UserAccessRevokedEvent.Reason.DELETED));
    }

    private void revokeIfDisabled(FtpUser user, boolean wasEnabled) {
        if (wasEnabled && !user.isEnabled()) {
            events.publishEvent(new UserAccessRevokedEvent(user.getUsername(), UserAccessRevokedEvent.Reason.DISABLED));
        }
    }

    @Transactional(readOnly = true)
    public boolean exists(String username) {
        return users.existsByUsername(username);
    }

    /**
     * Checks an FTP login against the database as it is now, so that a change over REST applies
     * at the next login.
     */
    @Transactional(readOnly = true)
    public LoginResult authenticate(String username, String password, InetAddress address) {
        Optional<FtpUser> found = username == null ? Optional.empty() : users.findByUsername(username);
        if (found.isEmpty()) {
            passwordEncoder.matches(password == null ? "" : password, dummyHash);
            return new LoginResult(null, LoginFailure.UNKNOWN_USER);
        }
        FtpUser user = found.get();
        // a password verified recently is not hashed again (FTP and REST share the memory)
        VerifiedPasswords.Check check = verifiedPasswords.check(AccountKind.FTP_USER, username, password, user.getPasswordHash());
        if (!check.matches()) {
            return new LoginResult(null, LoginFailure.BAD_PASSWORD);
        }
        LoginResult result = allowed(user, address);
        return new LoginResult(result.login(), result.failure(), check.fresh());
    }

    /** The enabled and allowedIps rules of a login, without a password: for a caller holding a token. */
    @Transactional(readOnly = true)
    public LoginResult checkAccess(String username, InetAddress address) {
        return users.findByUsername(username).map(user -> allowed(user, address))
                .orElse(new LoginResult(null, LoginFailure.UNKNOWN_USER));
    }

    private LoginResult allowed(FtpUser user, InetAddress address) {
        if (!user.isEnabled()) {
            return new LoginResult(null, LoginFailure.DISABLED);
        }
        if (!user.getAllowedIps().isEmpty() && (address == null
                || user.getAllowedIps().stream().noneMatch(cidr -> new IpAddressMatcher(cidr).matches(address.getHostAddress())))) {
            return new LoginResult(null, LoginFailure.ADDRESS_NOT_ALLOWED);
        }
        return new LoginResult(toLogin(user), null);
    }

    /** A user changes its own password, proving the current one. */
    @Transactional
    public void changeOwnPassword(String username, String currentPassword, String newPassword) {
        FtpUser user = find(username);
        if (!passwordEncoder.matches(currentPassword, user.getPasswordHash())) {
            throw new InvalidRequestException("currentPassword", "is not the account's current password");
        }
        user.setPasswordHash(passwordEncoder.encode(newPassword));
        saved(user);
    }

    /**
     * An enabled user's limits and mounts without checking a password: what the FTP server needs
     * at USER to apply the user's connection limit before asking for the password.
     */
    @Transactional(readOnly = true)
    public Optional<FtpLogin> findEnabled(String username) {
        return (username == null ? Optional.<FtpUser>empty() : users.findByUsername(username))
                .filter(FtpUser::isEnabled)
                .map(this::toLogin);
    }

    private FtpLogin toLogin(FtpUser user) {
        List<UserFileSystem.Mount> mounts = new ArrayList<>();
        for (MountEntry entry : user.getMounts()) {
            Optional<FolderStorage> folder = folders.findStorage(entry.getFolderName());
            folder.ifPresent(f -> mounts.add(new UserFileSystem.Mount(entry.getPath(), f,
                    UserResponse.Permissions.parse(entry.getPermissions()))));
        }
        return new FtpLogin(user.getUsername(), user.getMaxConnections(), user.getUploadBytesPerSecond(),
                user.getDownloadBytesPerSecond(), List.copyOf(mounts), user.isTlsRequired());
    }

    private void applyAll(FtpUser user, UserRequest request) {
        List<MountEntry> mounts = checkMounts(request.mounts() == null ? List.of() : request.mounts());
        List<String> allowedIps = checkAllowedIps(request.allowedIps() == null ? List.of() : request.allowedIps());
        user.setEnabled(request.enabled() == null || request.enabled());
        user.setMaxConnections(request.maxConnections() == null ? 0 : request.maxConnections());
        user.setUploadBytesPerSecond(request.uploadBytesPerSecond() == null ? 0 : request.uploadBytesPerSecond());
        user.setDownloadBytesPerSecond(request.downloadBytesPerSecond() == null ? 0 : request.downloadBytesPerSecond());
        user.setAllowedIps(allowedIps);
        user.setMounts(mounts);
        user.setTlsRequired(request.tlsRequired() != null && request.tlsRequired());
    }

    private List<MountEntry> checkMounts(List<MountDto> mounts) {
        List<FieldError> errors = new ArrayList<>();
        List<MountEntry> entries = new ArrayList<>();
        Set<String> paths = new HashSet<>();
        for (int i = 0; i < mounts.size(); i++) {
            MountDto mount = mounts.get(i);
            String prefix = "mounts[" + i + "].";
            if (mount == null) {
                errors.add(new FieldError("mounts[" + i + "]", "must not be null"));
                continue;
            }
            if (!folders.exists(mount.folder())) {
                errors.add(new FieldError(prefix + "folder", "folder '%s' does not exist".formatted(mount.folder())));
            }
            String path = null;
            try {
                path = UserFileSystem.normalize("/", mount.path());
                if (!mount.path().startsWith("/")) {
                    errors.add(new FieldError(prefix + "path", "must be an absolute path starting with '/'"));
                } else if (!path.equals(mount.path()) && !(path + "/").equals(mount.path())) {
                    errors.add(new FieldError(prefix + "path", "must be normalised: no '.', '..' or empty segments"));
                } else if (path.length() > 1024) {
                    errors.add(new FieldError(prefix + "path", "must be at most 1024 characters"));
                } else if (!paths.add(path)) {
                    errors.add(new FieldError(prefix + "path", "path '%s' is mounted twice".formatted(path)));
                }
            } catch (InvalidPathException e) {
                errors.add(new FieldError(prefix + "path", e.getMessage()));
            }
            entries.add(new MountEntry(mount.folder(), path, UserResponse.Permissions.format(mount.permissions())));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        return entries;
    }

    private static List<String> checkAllowedIps(List<String> cidrs) {
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < cidrs.size(); i++) {
            String cidr = cidrs.get(i);
            try {
                if (cidr == null || cidr.isBlank() || cidr.contains(",")) {
                    throw new IllegalArgumentException("blank");
                }
                new IpAddressMatcher(cidr.trim());
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("allowedIps[" + i + "]", "must be an IP address or CIDR block, e.g. 10.0.0.0/8"));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        return cidrs.stream().map(String::trim).toList();
    }

    private UserResponse saved(FtpUser user) {
        user.touch();
        users.saveAndFlush(user);
        // any change may be one of password, enabled flag or allowed addresses: forget verified passwords
        events.publishEvent(new CredentialsChangedEvent(AccountKind.FTP_USER, user.getUsername()));
        log.info("FTP user updated: username={}", user.getUsername());
        return UserResponse.of(user);
    }

    private FtpUser find(String username) {
        return users.findByUsername(username)
                .orElseThrow(() -> new NotFoundException("user '%s' does not exist".formatted(username)));
    }
}
