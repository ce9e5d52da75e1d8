package io.ftpbridge.events;

import jakarta.annotation.PreDestroy;
import java.net.InetAddress;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Runs due deliveries of the outbox on this instance: claims them (any instance may), runs the action,
 * records the attempt, and on failure schedules the next one with exponential backoff until the
 * delivery's attempts are used up (FAILED).
 */
@Component
class DeliveryWorker {

    private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);

    private final DeliveryRepository deliveries;
    private final ActionRunner actions;
    private final EventsProperties properties;
    private final String owner;
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "event-deliveries"));
    private final ExecutorService runners;
    private final Semaphore free;
    private final AtomicBoolean wakeUpQueued = new AtomicBoolean();

    DeliveryWorker(DeliveryRepository deliveries, @Lazy ActionRunner actions, EventsProperties properties) {
        this.deliveries = deliveries;
        this.actions = actions;
        this.properties = properties;
        this.owner = hostName() + "-" + UUID.randomUUID().toString().substring(0, 8);
        this.runners = Executors.newFixedThreadPool(properties.concurrency(), r -> daemon(r, "event-delivery"));
        this.free = new Semaphore(properties.concurrency());
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        poller.scheduleWithFixedDelay(this::poll, 0, properties.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
        log.info("Event delivery started: instance={} concurrency={}", owner, properties.concurrency());
    }

    /** Polls at once when the current transaction commits (an event with deliveries was recorded). */
    void wakeUpAfterCommit() {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    wakeUp();
                }
            });
        } else {
            wakeUp();
        }
    }

    /** Polls soon; wake-ups while a poll is already queued are one poll (a burst of events is one claim). */
    void wakeUp() {
        if (!poller.isShutdown() && wakeUpQueued.compareAndSet(false, true)) {
            try {
                poller.execute(this::poll);
            } catch (RejectedExecutionException e) {
                wakeUpQueued.set(false);
            }
        }
    }

    private void poll() {
        wakeUpQueued.set(false);
        try {
            int slots = free.availablePermits();
            if (slots == 0) {
                return;
            }
            for (DeliveryRepository.Claimed claimed : deliveries.claim(owner, slots, properties.lease())) {
                free.acquireUninterruptibly();
                runners.execute(() -> {
                    try {
                        run(claimed);
                    } finally {
                        free.release();
                        wakeUp(); // a slot is free: take the next due delivery now, not at the next tick
                    }
                });
            }
        } catch (RuntimeException e) {
            log.warn("Outbox poll failed: instance={} error={}", owner, e.toString());
        }
    }

    private void run(DeliveryRepository.Claimed claimed) {
        long started = System.nanoTime();
        ActionRunner.Outcome outcome;
        try {
            outcome = actions.run(claimed);
        } catch (RuntimeException e) {
            outcome = ActionRunner.Outcome.failure(null, e.toString());
        }
        long ms = (System.nanoTime() - started) / 1_000_000;
        try {
            if (outcome.success()) {
                actions.delivered(claimed, owner, outcome.statusCode(), ms);
            } else {
                int attempt = claimed.attempt() + 1;
                Duration retryIn = attempt >= claimed.maxAttempts() ? null : backoff(attempt);
                deliveries.failed(claimed.id(), owner, outcome.statusCode(), outcome.error(), ms, retryIn);
                log.info("Delivery failed: id={} rule={} event={} attempt={} status={} error={} retryIn={}", claimed.id(),
                        claimed.ruleId(), claimed.eventId(), attempt, outcome.statusCode(), outcome.error(), retryIn);
            }
        } catch (RuntimeException e) {
            log.warn("Delivery result not saved: id={} error={}", claimed.id(), e.toString());
        }
    }

    Duration backoff(int attempt) {
        long factor = 1L << Math.min(30, attempt - 1);
        Duration wait = properties.backoffInitial().multipliedBy(factor);
        return wait.compareTo(properties.backoffMax()) > 0 ? properties.backoffMax() : wait;
    }

    @PreDestroy
    void stop() throws InterruptedException {
        poller.shutdownNow();
        runners.shutdown();
        runners.awaitTermination(5, TimeUnit.SECONDS);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "ftpbridge";
        }
    }
}
