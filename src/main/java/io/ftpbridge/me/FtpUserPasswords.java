package io.ftpbridge.me;

import io.ftpbridge.security.AccountKind;
import io.ftpbridge.security.AuthMethod;
import io.ftpbridge.security.Caller;
import io.ftpbridge.security.PasswordAccounts;
import io.ftpbridge.users.UserService;
import java.net.InetAddress;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * FTP users logging in to REST: the very check of an FTP login ({@link UserService#authenticate}:
 * password, enabled flag, allowed addresses), sharing its memory of verified passwords.
 */
@Component
class FtpUserPasswords implements PasswordAccounts {

    private final UserService users;

    FtpUserPasswords(UserService users) {
        this.users = users;
    }

    @Override
    public AccountKind kind() {
        return AccountKind.FTP_USER;
    }

    @Override
    public Verification verify(String username, String password, InetAddress address) {
        UserService.LoginResult result = users.authenticate(username, password, address);
        if (result.ok()) {
            return Verification.verified(caller(username), result.passwordHashed());
        }
        return Verification.refused(result.failure().name());
    }

    @Override
    public Optional<Caller> current(String username, InetAddress address) {
        return users.checkAccess(username, address).ok() ? Optional.of(caller(username)) : Optional.empty();
    }

    private static Caller caller(String username) {
        return new Caller(username, AccountKind.FTP_USER, null, AuthMethod.BASIC, null);
    }
}
