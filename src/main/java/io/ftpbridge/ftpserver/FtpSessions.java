package io.ftpbridge.ftpserver;

import io.ftpbridge.users.UserAccessRevokedEvent;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.ftpserver.impl.FtpIoSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * The live sessions of this instance's FTP server: listed from MINA, disconnected on request.
 * The sessions of every instance are {@code sessions/SessionRegistry}'s.
 */
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
                .sorted(FtpSessionSnapshot.OLDEST_FIRST)
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
                ClientAddress.withPort(ClientAddress.of(found)));
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
                        event.username(), ClientAddress.withPort(ClientAddress.of(session)), event.reason().name().toLowerCase());
            }
        }
    }

    private static FtpSessionSnapshot snapshot(FtpIoSession session) {
        Object last = session.getAttribute(SessionGuardFtplet.LAST_COMMAND);
        DataTransfer running = DataTransfer.running(session);
        FtpTransferSnapshot transfer = running == null ? null : running.snapshot();
        return new FtpSessionSnapshot(session.getSessionId(), null,
                session.getUser() == null ? null : session.getUser().getName(),
                ClientAddress.withPort(ClientAddress.of(session)),
                Instant.ofEpochMilli(session.getCreationTime()),
                last == null ? null : last.toString(),
                session.getReadBytes(),
                session.getWrittenBytes(),
                transfer);
    }
}
