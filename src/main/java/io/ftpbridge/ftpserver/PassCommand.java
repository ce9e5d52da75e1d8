package io.ftpbridge.ftpserver;

import io.ftpbridge.security.LoginGuard;
import io.ftpbridge.security.Protocol;
import java.io.IOException;
import java.net.InetAddress;
import org.apache.ftpserver.command.AbstractCommand;
import org.apache.ftpserver.ftplet.AuthenticationFailedException;
import org.apache.ftpserver.ftplet.DefaultFtpReply;
import org.apache.ftpserver.ftplet.FtpException;
import org.apache.ftpserver.ftplet.FtpReply;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.ftplet.User;
import org.apache.ftpserver.impl.FtpIoSession;
import org.apache.ftpserver.impl.FtpServerContext;
import org.apache.ftpserver.impl.ServerFtpStatistics;
import org.apache.ftpserver.usermanager.UsernamePasswordAuthentication;
import org.apache.ftpserver.usermanager.impl.UserMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;

/**
 * PASS: the login. Each attempt is counted by the {@link LoginGuard} before the password is
 * checked; the account's connection limit and its TLS requirement are applied only once the
 * password is right, so neither tells a stranger that an account exists.
 */
final class PassCommand extends AbstractCommand {

    private static final Logger log = LoggerFactory.getLogger(PassCommand.class);

    private final LoginGuard guard;
    private final FtpProperties properties;
    private final ApplicationEventPublisher events;
    /** Makes "count the account's sessions, then log in" one step. */
    private final Object loginLock = new Object();

    PassCommand(LoginGuard guard, FtpProperties properties, ApplicationEventPublisher events) {
        this.guard = guard;
        this.properties = properties;
        this.events = events;
    }

    private void announce(String user, String address, boolean succeeded) {
        try {
            events.publishEvent(new FtpLoginAttempt(user, address, succeeded));
        } catch (RuntimeException e) {
            log.warn("Login event not recorded: user={} address={} error={}", user, address, e.toString());
        }
    }

    @Override
    public void execute(FtpIoSession session, FtpServerContext context, FtpRequest request)
            throws IOException, FtpException {
        session.resetState();
        String username = session.getUserArgument();
        if (session.isLoggedIn()) {
            session.write(new DefaultFtpReply(FtpReply.REPLY_202_COMMAND_NOT_IMPLEMENTED, "Already logged in."));
            return;
        }
        if (username == null) {
            session.write(new DefaultFtpReply(FtpReply.REPLY_503_BAD_SEQUENCE_OF_COMMANDS, "Send USER first."));
            return;
        }
        InetAddress address = ClientAddress.inet(session);
        String client = address == null ? "?" : address.getHostAddress();
        LoginGuard.Attempt attempt = guard.begin(Protocol.FTP, client, username, request.getArgument());
        if (!attempt.allowed()) {
            log.info("FTP login refused: user={} address={} reason=too many failed logins", username, client);
            refuse(session, FtpReply.REPLY_421_SERVICE_NOT_AVAILABLE_CLOSING_CONTROL_CONNECTION,
                    "Too many failed logins; try again later.");
            return;
        }
        FtpAccount account;
        try {
            UserMetadata metadata = new UserMetadata();
            metadata.setInetAddress(address);
            User user = context.getUserManager().authenticate(
                    new UsernamePasswordAuthentication(username, request.getArgument(), metadata));
            account = (FtpAccount) user;
        } catch (AuthenticationFailedException e) {
            announce(username, client, false);
            failed(session, context, attempt);
            return;
        } catch (RuntimeException e) {
            attempt.succeeded();
            throw e;
        }
        // the password was right: nothing below is a guess
        attempt.succeeded();
        if ((properties.tls().required() || account.login().tlsRequired()) && !session.isSecure()) {
            log.info("FTP login refused: user={} address={} reason=TLS required", username, client);
            session.reinitialize();
            session.write(new DefaultFtpReply(FtpReply.REPLY_530_NOT_LOGGED_IN,
                    "This account requires TLS: send AUTH TLS, then USER and PASS."));
            return;
        }
        ServerFtpStatistics statistics = (ServerFtpStatistics) context.getFtpStatistics();
        int limit = account.login().maxConnections() > 0 ? account.login().maxConnections()
                : properties.maxConnectionsPerUser();
        int maxLogins = context.getConnectionConfig().getMaxLogins();
        synchronized (loginLock) {
            String refusal = null;
            if (maxLogins > 0 && statistics.getCurrentLoginNumber() >= maxLogins) {
                refusal = "Too many users logged in; try again later.";
            } else if (statistics.getCurrentUserLoginNumber(account) >= limit) {
                refusal = "Too many sessions for this account; try again later.";
            }
            if (refusal != null) {
                log.info("FTP login refused: user={} address={} reason={}", username, client, refusal);
                refuse(session, FtpReply.REPLY_421_SERVICE_NOT_AVAILABLE_CLOSING_CONTROL_CONNECTION, refusal);
                return;
            }
            session.setUser(account);
            session.setUserArgument(null);
            session.setMaxIdleTime(account.getMaxIdleTime());
            session.setLogin(context.getFileSystemManager().createFileSystemView(account));
            statistics.setLogin(session);
        }
        log.info("FTP login: user={} address={}", username, client);
        announce(username, client, true);
        session.write(new DefaultFtpReply(FtpReply.REPLY_230_USER_LOGGED_IN, "User logged in, proceed."));
    }

    private void failed(FtpIoSession session, FtpServerContext context, LoginGuard.Attempt attempt) {
        LoginGuard.Failure failure = attempt.failed();
        sleep(failure.delay().toMillis());
        ((ServerFtpStatistics) context.getFtpStatistics()).setLoginFail(session);
        session.increaseFailedLogins();
        session.reinitialize();
        boolean close = failure.lockedOut()
                || session.getFailedLogins() >= guard.policy().maxAttemptsPerConnection();
        session.write(new DefaultFtpReply(FtpReply.REPLY_530_NOT_LOGGED_IN, "Login incorrect."));
        if (close) {
            session.closeOnFlush();
        }
    }

    private static void refuse(FtpIoSession session, int code, String message) {
        session.reinitialize();
        session.write(new DefaultFtpReply(code, message));
        session.closeOnFlush();
    }

    private static void sleep(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
