package io.ftpbridge.ftpserver;

import io.ftpbridge.users.UserAccessRevokedEvent;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.ftpserver.impl.FtpIoSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/** The live sessions of the embedded FTP server: listed from MINA, disconnected on request. */
@Component
public class FtpSessions {

    private static final Logger log = LoggerFactory.getLogger(FtpSessions.class);

    private final FtpServerLifecycle ftp;

    public FtpSessions(FtpServerLifecycle ftp) {
        this.ftp = ftp;
    }

    /** Open sessions, oldest first. */
    public List<FtpSessionSnapshot> list() {
        return ftp.sessions().stream()
                .filter(s -> s.isConnected() && !s.isClosing())
                .map(FtpSessions::snapshot)
                .sorted(Comparator.comparing(FtpSessionSnapshot::connectedAt).thenComparing(FtpSessionSnapshot::id))
                .toList();
    }

    /** Closes a session's control connection (and its data connection); false when there is no such session. */
    public boolean disconnect(UUID id) {
        Optional<FtpIoSession> session = ftp.sessions().stream().filter(s -> s.getSessionId().equals(id)).findFirst();
        if (session.isEmpty()) {
            return false;
        }
        FtpIoSession found = session.get();
        String user = found.getUser() == null ? null : found.getUser().getName();
        found.getDataConnection().closeDataConnection();
        found.closeNow();
        log.info("FTP session disconnected by administrator: id={} user={} address={}", id, user,
                address(found.getRemoteAddress()));
        return true;
    }

    /** A disabled or deleted account keeps no session open: each is closed once the change is committed. */
    @TransactionalEventListener(fallbackExecution = true)
    void onAccessRevoked(UserAccessRevokedEvent event) {
        for (FtpIoSession session : ftp.sessions()) {
            if (session.getUser() != null && session.getUser().getName().equals(event.username())) {
                session.getDataConnection().closeDataConnection();
                session.closeNow();
                log.info("FTP session ended: id={} user={} address={} reason=account {}", session.getSessionId(),
                        event.username(), address(session.getRemoteAddress()), event.reason().name().toLowerCase());
            }
        }
    }

    private static FtpSessionSnapshot snapshot(FtpIoSession session) {
        Object last = session.getAttribute(SessionGuardFtplet.LAST_COMMAND);
        return new FtpSessionSnapshot(session.getSessionId(),
                session.getUser() == null ? null : session.getUser().getName(),
                address(session.getRemoteAddress()),
                Instant.ofEpochMilli(session.getCreationTime()),
                last == null ? null : last.toString(),
                session.getReadBytes(),
                session.getWrittenBytes());
    }

    private static String address(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress() + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }
}
