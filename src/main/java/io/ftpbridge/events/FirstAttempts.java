package io.ftpbridge.events;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.stream.Collectors;

/**
 * The first attempts of an event's rules, run from memory before their deliveries are written: each is written by
 * the round after it ended (a slow receiver holds back no other rule's), its rule taken out of the event's rule ids.
 * Held until the event is a lease old ({@code leaseUntil}), when other instances may take it as left over.
 */
final class FirstAttempts {
    final long eventId;
    final OffsetDateTime leaseUntil;
    /** The event's rule ids as the database has them. */
    private String pending;
    /** The rules whose attempts are not written yet, in the order of the event's rule ids. */
    private final List<Long> unwritten;
    private final List<FirstDeliveries.Ran> ended = new ArrayList<>();
    /** Where an event with attempts that ended waits for the next round. */
    private final Queue<FirstAttempts> toWrite;
    private boolean queued;

    FirstAttempts(long eventId, OffsetDateTime leaseUntil, String pending, List<Long> attempted, Queue<FirstAttempts> toWrite) {
        this.eventId = eventId;
        this.leaseUntil = leaseUntil;
        this.pending = pending;
        this.unwritten = new ArrayList<>(attempted);
        this.toWrite = toWrite;
    }

    synchronized void ended(FirstDeliveries.Ran ran) {
        ended.add(ran);
        queue();
    }

    /** Queued for the next round to write, once. */
    synchronized void queue() {
        if (!queued) {
            queued = true;
            toWrite.add(this);
        }
    }

    /** What a round writes of it: the attempts that ended, and the event's rule ids before and after. */
    synchronized FirstDeliveries.Attempted attempted() {
        queued = false;
        List<FirstDeliveries.Ran> now = List.copyOf(ended);
        List<Long> remaining = new ArrayList<>(unwritten);
        now.forEach(ran -> remaining.remove((Long) ran.attempt().claimed().ruleId()));
        return new FirstDeliveries.Attempted(eventId, pending,
                remaining.isEmpty() ? null : remaining.stream().map(String::valueOf).collect(Collectors.joining(",")), now);
    }

    /** After a round wrote {@code written}; true when all its attempts are written. */
    synchronized boolean written(FirstDeliveries.Attempted written) {
        ended.subList(0, written.attempts().size()).clear();
        written.attempts().forEach(ran -> unwritten.remove((Long) ran.attempt().claimed().ruleId()));
        pending = written.remaining();
        return unwritten.isEmpty();
    }
}
