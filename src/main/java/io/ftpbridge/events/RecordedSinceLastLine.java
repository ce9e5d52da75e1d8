package io.ftpbridge.events;

import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What rounds recorded since the last {@code Deliveries recorded} line: one line a second at most under a burst
 * (a round every 20 ms wrote 50 lines a second before), written by the first round a second after the last line,
 * or by the poll that follows the burst. Failed attempts have a line each ({@code Delivery failed}). Dispatcher
 * thread only.
 */
final class RecordedSinceLastLine {

    /** The worker's logger: these are its lines. */
    private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);
    private static final long LINE_SPACING_NANOS = TimeUnit.SECONDS.toNanos(1);
    private long delivered;
    private long failed;
    private long queued;
    private int rounds;
    private long lastLine = System.nanoTime() - LINE_SPACING_NANOS;

    void add(long delivered, long failed, int queued) {
        this.delivered += delivered;
        this.failed += failed;
        this.queued += queued;
        rounds++;
    }

    /** Writes the line when a second has passed since the last one, or at once ({@code now}). */
    void log(String owner, boolean now) {
        long time = System.nanoTime();
        if (rounds == 0 || !now && time - lastLine < LINE_SPACING_NANOS) {
            return;
        }
        log.info("Deliveries recorded: instance={} delivered={} failed={} nextActionsQueued={} rounds={}", owner, delivered,
                failed, queued, rounds);
        delivered = 0;
        failed = 0;
        queued = 0;
        rounds = 0;
        lastLine = time;
    }
}
