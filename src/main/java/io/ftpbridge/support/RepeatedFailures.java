package io.ftpbridge.support;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * How often a loop that keeps failing the same way (a poller whose database is down) writes to the log: its first
 * failure, then one line per {@link #INTERVAL} saying how many failed since the last line, and one line when it
 * works again, instead of a line every round (five a second for the outbox, two for the schedules).
 */
public final class RepeatedFailures {

    /** At most one line per failing loop this often. */
    public static final Duration INTERVAL = Duration.ofMinutes(1);

    private final LongSupplier nanoTime;
    private int failed;
    private int unlogged;
    private long loggedAt;

    public RepeatedFailures() {
        this(System::nanoTime);
    }

    RepeatedFailures(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /**
     * Counts a failure; returns how many failures since the last logged line came before this one when this one should
     * be logged (0 for the first of a run of failures), or -1 when it should not.
     */
    public synchronized int failed() {
        long now = nanoTime.getAsLong();
        boolean log = failed == 0 || now - loggedAt >= INTERVAL.toNanos();
        failed++;
        if (!log) {
            unlogged++;
            return -1;
        }
        int before = unlogged;
        unlogged = 0;
        loggedAt = now;
        return before;
    }

    /** Counts a success; returns how many failures in a row it ends (0: nothing to log). */
    public synchronized int succeeded() {
        int ended = failed;
        failed = 0;
        unlogged = 0;
        return ended;
    }
}
