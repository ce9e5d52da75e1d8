package io.ftpbridge.transfers;

import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Server-Sent Events of a job's progress: a {@code progress} event every half second while it
 * runs, a final {@code state} event when it ends, then the stream closes.
 *
 * <p>One timer thread only builds events; each stream's writes run on a sender thread of its own
 * (at most one at a time per stream, and only the latest progress event waits), so a client that
 * stops reading blocks nobody but itself. A stream that has not taken an event for
 * {@link #STALL} is closed.
 */
@Component
class TransferEvents {

    private static final Logger log = LoggerFactory.getLogger(TransferEvents.class);
    private static final Duration PERIOD = Duration.ofMillis(500);
    private static final Duration MAX_STREAM = Duration.ofHours(6);
    static final Duration STALL = Duration.ofSeconds(15);
    /** Writes blocked at once on stalled clients; further streams are refused rather than queued. */
    private static final int MAX_SENDERS = 256;

    private final TransferService transfers;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "transfer-events"));
    private final ThreadPoolExecutor senders;

    TransferEvents(TransferService transfers) {
        this.transfers = transfers;
        AtomicInteger n = new AtomicInteger();
        this.senders = new ThreadPoolExecutor(0, MAX_SENDERS, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
                r -> daemon(r, "transfer-events-send-" + n.incrementAndGet()));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    SseEmitter stream(long id) {
        SseEmitter emitter = new SseEmitter(MAX_STREAM.toMillis());
        Subscriber subscriber = new Subscriber(id, emitter);
        emitter.onCompletion(subscriber::end);
        emitter.onTimeout(subscriber::end);
        emitter.onError(e -> subscriber.end());
        subscriber.start();
        return emitter;
    }

    /** An event waiting to be written; {@code last} closes the stream after it. */
    private record Outgoing(SseEmitter.SseEventBuilder event, boolean last) {
    }

    /** One client's stream. */
    private final class Subscriber {
        private final long id;
        private final SseEmitter emitter;
        /** The newest event not yet written (a newer progress event replaces an older one). */
        private final AtomicReference<Outgoing> next = new AtomicReference<>();
        private final AtomicBoolean sending = new AtomicBoolean();
        private final AtomicBoolean ended = new AtomicBoolean();
        private volatile long sendingSince;
        private volatile ScheduledFuture<?> task;

        Subscriber(long id, SseEmitter emitter) {
            this.id = id;
            this.emitter = emitter;
        }

        void start() {
            task = timer.scheduleAtFixedRate(this::tick, 0, PERIOD.toMillis(), TimeUnit.MILLISECONDS);
            if (ended.get()) {
                task.cancel(false); // ended before the future was known
            }
        }

        /** On the timer thread: never writes, never blocks on a client. */
        private void tick() {
            if (ended.get()) {
                return;
            }
            if (sending.get() && System.nanoTime() - sendingSince > STALL.toNanos()) {
                log.info("Event stream closed: job={} reason=client took no event for {}s", id, STALL.toSeconds());
                close(null);
                return;
            }
            try {
                TransferResponse job = transfers.get(id);
                if (job.state().finished()) {
                    cancelTask();
                    next.set(new Outgoing(SseEmitter.event().name("state").data(job), true));
                } else if (next.get() == null || !next.get().last()) {
                    next.set(new Outgoing(SseEmitter.event().name("progress")
                            .data(new Event(job.id(), job.state(), job.progress())), false));
                }
            } catch (RuntimeException e) {
                close(e);
                return;
            }
            kick();
        }

        private void kick() {
            if (next.get() == null || !sending.compareAndSet(false, true)) {
                return;
            }
            sendingSince = System.nanoTime();
            try {
                senders.execute(this::drain);
            } catch (RejectedExecutionException e) {
                sending.set(false);
                log.warn("Event stream closed: job={} reason=too many streams blocked on clients", id);
                end();
            }
        }

        /** On a sender thread: writes what is waiting; a client that does not read blocks only this. */
        private void drain() {
            try {
                Outgoing out;
                while ((out = next.getAndSet(null)) != null) {
                    sendingSince = System.nanoTime();
                    emitter.send(out.event());
                    if (out.last()) {
                        end();
                        emitter.complete();
                        return;
                    }
                }
            } catch (IOException | RuntimeException e) {
                end();
                emitter.completeWithError(e);
                return;
            } finally {
                sending.set(false);
            }
            kick(); // an event may have arrived between the last poll and the flag's reset
        }

        /** Ends the stream from the timer thread; the emitter is completed on a sender thread (it may wait for a blocked write). */
        private void close(Throwable error) {
            end();
            try {
                senders.execute(() -> {
                    if (error == null) {
                        emitter.complete();
                    } else {
                        emitter.completeWithError(error);
                    }
                });
            } catch (RejectedExecutionException e) {
                // the container's async timeout ends it
            }
        }

        void end() {
            ended.set(true);
            cancelTask();
        }

        private void cancelTask() {
            ScheduledFuture<?> f = task;
            if (f != null) {
                f.cancel(false);
            }
        }
    }

    /** The body of a {@code progress} event. */
    record Event(long id, JobState state, TransferResponse.Progress progress) {
    }

    @PreDestroy
    void shutdown() {
        timer.shutdownNow();
        senders.shutdownNow();
    }
}
