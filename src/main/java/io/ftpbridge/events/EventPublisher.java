package io.ftpbridge.events;

import io.ftpbridge.ftpserver.FtpLoginAttempt;
import io.ftpbridge.storage.FileActivity;
import io.ftpbridge.transfers.TransferStateChanged;
import java.net.InetAddress;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.stereotype.Service;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.support.SQLErrorCodeSQLExceptionTranslator;
import org.springframework.jdbc.support.SQLExceptionTranslator;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Records every event with the ids of the rules that take it (the outbox: their deliveries are written by the
 * {@link DeliveryWorker}, which clears them in the same transaction). Listens to the application events of storage
 * (file actions of FTP and REST), transfers (job state changes, inside the transaction that changes the state), FTP
 * logins and failed REST logins.
 */
@Service
public class EventPublisher {

    private static final Logger log = LoggerFactory.getLogger(EventPublisher.class);
    /** A glob compiles to a regular expression: once per glob, not once per event (upload threads match them). */
    private static final ComputedCache<String, PathMatcher> GLOB_MATCHERS =
            new ComputedCache<>(1024, glob -> FileSystems.getDefault().getPathMatcher("glob:" + glob));

    private final RuleCache rules;
    private final DeliveryWorker worker;
    private final DataSource dataSource;
    private final SQLExceptionTranslator sqlErrors;
    private final String instance;

    EventPublisher(RuleCache rules, DeliveryWorker worker, DataSource dataSource) {
        this.rules = rules;
        this.worker = worker;
        this.dataSource = dataSource;
        this.sqlErrors = new SQLErrorCodeSQLExceptionTranslator(dataSource);
        this.instance = hostName() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * Records an event with the ids of the rules that take it, with one plain insert: in the caller's transaction (a
     * job state change, on the connection bound to it) or on its own. Once that commits, the worker writes the rules'
     * deliveries (a batch of events in one transaction, on its own thread) and runs them. Plain JDBC on one connection:
     * the upload threads run this once per file, and the deliveries' insert, Spring's transaction and statement
     * plumbing each cost an upload more than the event's insert itself (issue 11 benchmark, bench/README.md).
     */
    public EventResponse publish(EventType type, String actor, EventProtocol protocol, String folder, String path, String fromPath,
                                 Long size, Long jobId, String state, String address) {
        EventResponse event = EventRepository.unsaved(type, instance, actor, protocol, folder, path, fromPath, size, jobId, state,
                address);
        String taking = taking(rules.enabledFor(type), event);
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try {
            EventResponse recorded = EventRepository.insert(connection, event, taking);
            if (taking == null) {
                return recorded;
            }
            if (TransactionSynchronizationManager.isActualTransactionActive()
                    && DataSourceUtils.isConnectionTransactional(connection, dataSource)) {
                // the worker takes it after the caller's commit (it runs actions that start jobs, whose state changes
                // publish here); registered directly: an application event per upload cost more than the hand-over itself
                TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                    @Override
                    public void afterCommit() {
                        worker.onEventRecorded(recorded, taking);
                    }
                });
            } else {
                worker.onEventRecorded(recorded, taking);
            }
            return recorded;
        } catch (SQLException e) {
            throw sqlErrors.translate("record event " + type, null, e);
        } finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
    }

    /**
     * The ids of the rules with actions whose filter takes the event, comma-separated, or null (a loop: a stream per
     * event cost more than the filters).
     */
    private static String taking(List<EventRuleRepository.StoredRule> enabled, EventResponse event) {
        StringBuilder taking = null;
        for (EventRuleRepository.StoredRule rule : enabled) {
            if (!rule.actions().isEmpty() && matches(rule.filter(), event)) {
                taking = taking == null ? new StringBuilder() : taking.append(',');
                taking.append(rule.id());
            }
        }
        return taking == null ? null : taking.toString();
    }

    static boolean matches(RuleFilter filter, EventResponse event) {
        if (filter == null) {
            return true;
        }
        if (filter.folder() != null && !filter.folder().equals(event.folder())) {
            return false;
        }
        if (filter.user() != null && !filter.user().equals(event.actor())) {
            return false;
        }
        if (filter.minSize() != null && (event.size() == null || event.size() < filter.minSize())) {
            return false;
        }
        if (filter.pathGlob() != null) {
            if (event.path() == null) {
                return false;
            }
            PathMatcher matcher = GLOB_MATCHERS.get(filter.pathGlob());
            Path path = Path.of(event.path());
            Path subject = filter.pathGlob().contains("/") ? path : path.getFileName();
            return subject != null && matcher.matches(subject);
        }
        return true;
    }

    @EventListener
    void onFileActivity(FileActivity activity) {
        EventType type = switch (activity.kind()) {
            case UPLOADED -> EventType.FILE_UPLOADED;
            case DOWNLOADED -> EventType.FILE_DOWNLOADED;
            case DELETED -> EventType.FILE_DELETED;
            case RENAMED -> EventType.FILE_RENAMED;
            case DIR_CREATED -> EventType.DIR_CREATED;
            case DIR_DELETED -> EventType.DIR_DELETED;
            case QUOTA_EXCEEDED -> EventType.QUOTA_EXCEEDED;
        };
        publish(type, activity.caller().actor(), EventProtocol.of(activity.caller().protocol()), activity.folder(),
                absolute(activity.path()), absolute(activity.fromPath()), activity.size() < 0 ? null : activity.size(), null, null, null);
    }

    /** Runs in the transaction that changed the job's state (transfers publishes inside it). */
    @EventListener
    void onTransferState(TransferStateChanged change) {
        publish(EventType.TRANSFER_STATE_CHANGED, null, EventProtocol.JOB, change.folder(), absolute(change.localPath()), null,
                null, change.jobId(), change.state(), null);
    }

    @EventListener
    void onFtpLogin(FtpLoginAttempt attempt) {
        publish(attempt.succeeded() ? EventType.LOGIN_SUCCEEDED : EventType.LOGIN_FAILED, attempt.user(), EventProtocol.FTP,
                null, null, null, null, null, null, attempt.address());
    }

    /** REST requests authenticate one by one (Basic), so only failures are events; a success is every request. */
    @EventListener
    void onRestLoginFailure(AbstractAuthenticationFailureEvent failure) {
        try {
            publish(EventType.LOGIN_FAILED, String.valueOf(failure.getAuthentication().getName()), EventProtocol.REST,
                    null, null, null, null, null, null, null);
        } catch (RuntimeException e) {
            log.warn("Login event not recorded: user={} error={}", failure.getAuthentication().getName(), e.toString());
        }
    }

    private static String absolute(String relative) {
        if (relative == null) {
            return null;
        }
        return relative.startsWith("/") ? relative : "/" + relative;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "ftpbridge";
        }
    }
}
