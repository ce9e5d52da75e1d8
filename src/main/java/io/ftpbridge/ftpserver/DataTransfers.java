package io.ftpbridge.ftpserver;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.ftpserver.ftplet.DataConnection;
import org.apache.ftpserver.ftplet.DefaultFtpReply;
import org.apache.ftpserver.ftplet.FtpReply;
import org.apache.ftpserver.impl.FtpIoSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs RETR, STOR and APPE off MINA's command thread. MINA runs a session's commands one after
 * another, so a command that copied in place would leave ABOR and STAT unread until the copy
 * ended; these commands answer 150, hand the copy to a transfer thread and return, and the
 * transfer thread writes the final reply. Once a second the running transfers' idle clocks are
 * checked: a copy blocked on a silent client (which a socket timeout cannot catch in sendfile(2) or a
 * channel read) ends after the data idle time.
 */
final class DataTransfers {

    private static final Logger log = LoggerFactory.getLogger(DataTransfers.class);

    /** The copy of one transfer, given its open data connection; returns the final reply. */
    interface Copy {
        FtpReply copy(DataConnection data);

        /** The data connection could not be opened: nothing was copied. */
        void notOpened();
    }

    private final ExecutorService executor;
    private final ScheduledExecutorService idleCheck;
    private final Set<DataTransfer> running = ConcurrentHashMap.newKeySet();

    DataTransfers() {
        AtomicInteger count = new AtomicInteger();
        ThreadFactory threads = runnable -> {
            Thread thread = new Thread(runnable, "ftp-data-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        this.executor = Executors.newCachedThreadPool(threads);
        this.idleCheck = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "ftp-data-idle");
            thread.setDaemon(true);
            return thread;
        });
        idleCheck.scheduleWithFixedDelay(() -> {
            long now = System.nanoTime();
            running.forEach(transfer -> transfer.expireIfIdle(now));
        }, 1, 1, TimeUnit.SECONDS);
    }

    /**
     * Registers the transfer on the session, answers 150 and starts opening the data connection
     * and copying on a transfer thread.
     */
    void start(FtpIoSession session, DataTransfer transfer, String opening, Copy copy) {
        session.setAttribute(DataTransfer.ATTRIBUTE, transfer);
        session.write(new DefaultFtpReply(FtpReply.REPLY_150_FILE_STATUS_OKAY, opening));
        try {
            executor.execute(() -> {
                running.add(transfer);
                try {
                    run(session, transfer, copy);
                } finally {
                    running.remove(transfer);
                }
            });
        } catch (RuntimeException e) {
            // the server is stopping
            copy.notOpened();
            transfer.finish(new DefaultFtpReply(FtpReply.REPLY_421_SERVICE_NOT_AVAILABLE_CLOSING_CONTROL_CONNECTION,
                    "Server shutting down."));
        }
    }

    private static void run(FtpIoSession session, DataTransfer transfer, Copy copy) {
        FtpReply reply = new DefaultFtpReply(FtpReply.REPLY_451_REQUESTED_ACTION_ABORTED, "Local error in processing.");
        try {
            reply = openAndCopy(session, transfer, copy);
        } catch (RuntimeException e) {
            log.warn("FTP transfer failed: user={} path={}", user(session), transfer.path, e);
        } finally {
            session.getDataConnection().closeDataConnection();
            transfer.finish(reply);
        }
    }

    private static FtpReply openAndCopy(FtpIoSession session, DataTransfer transfer, Copy copy) {
        DataConnection data;
        try {
            data = session.getDataConnection().openConnection();
            transfer.opened(data);
        } catch (Exception e) {
            copy.notOpened();
            log.info("FTP data connection not opened: user={} address={} path={} error={}", user(session),
                    ClientAddress.text(ClientAddress.inet(session)), transfer.path, e.toString());
            return transfer.aborted()
                    ? new DefaultFtpReply(FtpReply.REPLY_426_CONNECTION_CLOSED_TRANSFER_ABORTED, "Transfer aborted.")
                    : new DefaultFtpReply(FtpReply.REPLY_425_CANT_OPEN_DATA_CONNECTION, "Cannot open data connection.");
        }
        return copy.copy(data);
    }

    private static String user(FtpIoSession session) {
        return session.getUser() == null ? null : session.getUser().getName();
    }

    void shutdown() {
        executor.shutdownNow();
        idleCheck.shutdownNow();
    }
}
