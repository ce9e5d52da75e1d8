package io.ftpbridge.ftpserver;

import io.ftpbridge.security.LoginAttempt;
import io.ftpbridge.users.UserService;
import java.net.InetAddress;
import org.apache.ftpserver.ftplet.Authentication;
import org.apache.ftpserver.ftplet.AuthenticationFailedException;
import org.apache.ftpserver.ftplet.FtpException;
import org.apache.ftpserver.ftplet.User;
import org.apache.ftpserver.ftplet.UserManager;
import org.apache.ftpserver.usermanager.UsernamePasswordAuthentication;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;

/**
 * MINA's view of the accounts in the database. Every login reads the database, so a change over
 * REST applies at the next login. Accounts are managed over REST, not through FTP.
 */
final class DatabaseUserManager implements UserManager {

    private static final Logger log = LoggerFactory.getLogger(DatabaseUserManager.class);

    private final UserService users;
    private final int maxIdleSeconds;
    private final ApplicationEventPublisher events;

    DatabaseUserManager(UserService users, int maxIdleSeconds, ApplicationEventPublisher events) {
        this.users = users;
        this.maxIdleSeconds = maxIdleSeconds;
        this.events = events;
    }

    @Override
    public User authenticate(Authentication authentication) throws AuthenticationFailedException {
        if (!(authentication instanceof UsernamePasswordAuthentication credentials)) {
            log.info("FTP login refused: anonymous logins are not offered");
            throw new AuthenticationFailedException("anonymous login is not allowed");
        }
        InetAddress address = credentials.getUserMetadata() == null ? null
                : credentials.getUserMetadata().getInetAddress();
        UserService.LoginResult result = users.authenticate(credentials.getUsername(), credentials.getPassword(), address);
        if (!result.ok()) {
            log.info("FTP login refused: user={} address={} reason={}", credentials.getUsername(),
                    address == null ? "?" : address.getHostAddress(), result.failure());
            events.publishEvent(new LoginAttempt("FTP", credentials.getUsername(),
                    address == null ? null : address.getHostAddress(), null, result.failure().name()));
            throw new AuthenticationFailedException("login refused");
        }
        events.publishEvent(new LoginAttempt("FTP", credentials.getUsername(),
                address == null ? null : address.getHostAddress(), null, null));
        return new FtpAccount(result.login(), maxIdleSeconds);
    }

    /** Not asked at USER (see {@link UserCommand}): only by MINA commands that look a user up by name. */
    @Override
    public User getUserByName(String username) {
        return users.findEnabled(username).map(login -> (User) new FtpAccount(login, maxIdleSeconds)).orElse(null);
    }

    @Override
    public String[] getAllUserNames() {
        return new String[0];
    }

    @Override
    public void delete(String username) throws FtpException {
        throw new FtpException("FTP accounts are managed over the REST API");
    }

    @Override
    public void save(User user) throws FtpException {
        throw new FtpException("FTP accounts are managed over the REST API");
    }

    @Override
    public boolean doesExist(String username) {
        return users.exists(username);
    }

    @Override
    public String getAdminName() {
        return null;
    }

    @Override
    public boolean isAdmin(String username) {
        return false;
    }
}
