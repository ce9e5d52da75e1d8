package io.ftpbridge.events;

import io.ftpbridge.support.BackgroundPriority;
import io.ftpbridge.support.RepeatedFailures;
import jakarta.annotation.PreDestroy;
import java.net.InetAddress;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Runs the deliveries of the outbox on this instance. An event is recorded with the ids of the rules that take it
 * ({@link EventPublisher}); once it commits, it is handed over here. A round starts the first action of each of those
 * rules for the events handed over since the last round, from memory, as far as it has runners free, and writes their
 * deliveries once they ended, as they ended (one transaction, which takes their rules out of the events' rule ids): the
 * usual webhook is one row, written delivered. Events it has no runner free for have their deliveries written due,
 * for any instance (one transaction). Until its deliveries are written an event keeps its rule ids: if this instance
 * dies, the event is left over and delivered by the next (see below); it runs again after an attempt that did not end.
 * One dispatcher thread does the database work in batches: it records the attempts that finished since its
 * last round, then, when something unclaimed is due or every {@code poll-interval}, claims as many due deliveries as
 * {@code concurrency} leaves room for (one transaction) and starts them: webhooks through the {@link WebhookSender}
 * (no thread of their own while they wait), transfer and file actions on a few threads. It goes round when an event
 * taken by a rule commits, when a runner finishes, and every {@code poll-interval} (retries after backoff, deliveries
 * written by other instances). Events whose deliveries were never written (their instance died in between) are looked
 * for when this instance starts, and on PostgreSQL, where other instances share the database, every
 * {@code poll-interval} among those older than a {@code lease}; a first attempt from memory ends before its event is a
 * lease old.
 * A failed attempt is retried with exponential backoff until the delivery's attempts are used up (FAILED).
 */
@Component
class DeliveryWorker {

    private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);
    /** Threads for transfer and file actions; webhooks need none while they wait for their receiver. */
    private static final int BLOCKING_RUNNERS = 8;
    /**
     * Rounds start at most this often while events keep coming: the events of a burst wait a few
     * milliseconds and are claimed (and their results recorded) together, instead of a claim and a
     * result transaction each. A lone event is claimed at once.
     */
    private static final long ROUND_SPACING_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final int MAX_COMMITTED_EVENTS = 10_000;
    /** Events whose deliveries one round writes at most (one transaction). */
    private static final int MAX_EVENTS_PER_ROUND = 512;
    /** Events handed over and waiting for a round at most; the database keeps the rule ids of more (see {@link #writeLeftOver}). */
    private static final int MAX_RECORDED_EVENTS = 100_000;

    private final DeliveryRepository deliveries;
    private final FirstDeliveries firstDeliveries;
    private final EventRepository events;
    private final RuleCache rules;
    private final ActionRunner actions;
    private final EventsProperties properties;
    private final String owner;
    private final ExecutorService runners;
    private final Thread dispatcher;
    /** Permits ask the dispatcher for a round; many wake-ups before it runs are one round. */
    private final Semaphore wake = new Semaphore(0);
    private final Queue<DeliveryRepository.Attempt> finished = new ConcurrentLinkedQueue<>();
    /** Events whose first attempts run from memory, or ended and are to be written, by event id. */
    private final Map<Long, FirstAttempts> inMemory = new ConcurrentHashMap<>();
    /** Events with first attempts that ended since the last write, for the next round to write. */
    private final Queue<FirstAttempts> firstEnded = new ConcurrentLinkedQueue<>();
    private final AtomicInteger running = new AtomicInteger();
    /** Events this instance recorded with deliveries, until a round claims them: no read of the event then. */
    private final Map<Long, EventResponse> committedEvents = new ConcurrentHashMap<>();
    /** Events recorded here with rules taking them (committed), until a round writes their deliveries. */
    private final Queue<Handed> recordedEvents = new ConcurrentLinkedQueue<>();
    private final AtomicInteger recordedCount = new AtomicInteger();
    /**
     * Look for events recorded before this time whose deliveries were never written (null: no need): set when this
     * instance starts, and when a round could not write those of events handed over (they keep their rule ids).
     */
    private volatile OffsetDateTime leftOverBefore;
    /** Other instances may share the database (PostgreSQL): look for their left-over events every poll too. */
    private volatile boolean sharedDatabase;
    /** A committed event has deliveries that were not written claimed, or a delivery is due again: claim from the outbox. */
    private volatile boolean claimWanted;
    private volatile boolean stopping;
    private final RepeatedFailures roundFailures = new RepeatedFailures();
    private final RecordedSinceLastLine recorded = new RecordedSinceLastLine();

    DeliveryWorker(DeliveryRepository deliveries, FirstDeliveries firstDeliveries, EventRepository events, RuleCache rules,
                   ActionRunner actions, EventsProperties properties) {
        this.deliveries = deliveries;
        this.firstDeliveries = firstDeliveries;
        this.events = events;
        this.rules = rules;
        this.actions = actions;
        this.properties = properties;
        this.owner = hostName() + "-" + UUID.randomUUID().toString().substring(0, 8);
        this.runners = Executors.newFixedThreadPool(Math.min(properties.concurrency(), BLOCKING_RUNNERS),
                r -> daemon(inBackground(r), "event-action"));
        this.dispatcher = daemon(inBackground(this::dispatch), "event-deliveries");
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        leftOverBefore = EventRepository.now();
        sharedDatabase = firstDeliveries.sharedDatabase();
        dispatcher.start();
        log.info("Event delivery started: instance={} concurrency={} deliveryNice={}", owner, properties.concurrency(),
                properties.deliveryNice());
    }

    /**
     * Runs {@code work} on a thread whose CPU priority is {@code delivery-nice} lower than the file transfers': the
     * outbox's rounds, transfer and file actions, and (see {@link WebhookSender}) the webhooks' I/O (why 3 by default
     * and what it costs: {@link EventsProperties#deliveryNice()}, README).
     */
    private Runnable inBackground(Runnable work) {
        return () -> {
            BackgroundPriority.lowerCurrentThread(properties.deliveryNice());
            work.run();
        };
    }

    /** An event handed over and the ids of the rules that took it (comma-separated). */
    private record Handed(EventResponse event, String rules) {
    }

    /**
     * Takes an event recorded with the ids of the rules taking it ({@code rules}), once it is committed: the next round
     * runs their first actions (or writes their deliveries), with the event from here rather than read again.
     */
    void onEventRecorded(EventResponse event, String rules) {
        if (recordedCount.incrementAndGet() > MAX_RECORDED_EVENTS) {
            recordedCount.decrementAndGet();
            leftOverBefore = EventRepository.now(); // it keeps its rule ids: the next round finds it in the database
        } else {
            recordedEvents.add(new Handed(event, rules));
        }
        wakeUp();
    }

    void wakeUp() {
        if (wake.availablePermits() == 0) {
            wake.release();
        }
    }

    private void dispatch() {
        boolean more = false;
        long lastRound = System.nanoTime() - ROUND_SPACING_NANOS;
        long lastClaim = lastRound;
        while (!stopping) {
            try {
                if (!more) {
                    wake.tryAcquire(properties.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                }
                long sinceLast = System.nanoTime() - lastRound;
                if (sinceLast < ROUND_SPACING_NANOS) {
                    TimeUnit.NANOSECONDS.sleep(ROUND_SPACING_NANOS - sinceLast);
                }
                lastRound = System.nanoTime();
                wake.drainPermits();
                if (stopping) {
                    break;
                }
                boolean queuedNext = recordFinished() + writeFirstAttempts() > 0;
                recorded.log(owner, false);
                boolean moreRecorded = writeAndRunRecorded();
                // the outbox is read when something unclaimed was written here, and every poll-interval (retries,
                // other instances' deliveries), not in every round of a burst whose deliveries were written claimed
                boolean polled = lastRound - lastClaim >= properties.pollInterval().toNanos();
                if (more || queuedNext || claimWanted || polled) {
                    claimWanted = false;
                    lastClaim = lastRound;
                    if (leftOverBefore != null || polled && sharedDatabase) {
                        writeLeftOver();
                    }
                    more = claimAndRun() || queuedNext || moreRecorded;
                } else {
                    more = moreRecorded;
                }
                int ended = roundFailures.succeeded();
                if (ended > 0) {
                    log.info("Outbox rounds work again: instance={} failedRounds={}", owner, ended);
                }
            } catch (InterruptedException e) {
                break;
            } catch (RuntimeException e) {
                int unlogged = roundFailures.failed();
                if (unlogged >= 0) {
                    log.warn("Outbox round failed: instance={} error={} failedSinceLastLine={}", owner, e.toString(), unlogged);
                }
                more = false;
            }
        }
    }

    /** Records the finished attempts in one transaction; returns how many next actions that queued. */
    private int recordFinished() {
        List<DeliveryRepository.Attempt> batch = new ArrayList<>();
        for (DeliveryRepository.Attempt a; (a = finished.poll()) != null; ) {
            batch.add(a);
        }
        if (batch.isEmpty()) {
            return 0;
        }
        try {
            int queued = deliveries.record(owner, batch);
            long delivered = batch.stream().filter(DeliveryRepository.Attempt::delivered).count();
            recorded.add(delivered, batch.size() - delivered, queued);
            return queued;
        } catch (RuntimeException e) {
            // one result the database refuses must not lose the others
            int queued = 0;
            for (DeliveryRepository.Attempt a : batch) {
                try {
                    int next = deliveries.record(owner, List.of(a));
                    recorded.add(a.delivered() ? 1 : 0, a.delivered() ? 0 : 1, next);
                    queued += next;
                } catch (RuntimeException single) {
                    if (a.claimed().leaseUntil().isAfter(EventRepository.now())) {
                        finished.add(a); // the database may be back next round; the lease still protects the delivery
                    } else {
                        log.warn("Delivery result not saved: id={} error={}", a.claimed().id(), single.toString());
                    }
                }
            }
            return queued;
        }
    }

    /**
     * Writes the deliveries of first attempts that ended since the last round (one transaction); returns how many next
     * actions that queued. If the database refuses, they are kept for the next round while their events are held.
     */
    private int writeFirstAttempts() {
        List<FirstAttempts> batch = new ArrayList<>();
        for (FirstAttempts f; batch.size() < MAX_EVENTS_PER_ROUND && (f = firstEnded.poll()) != null; ) {
            batch.add(f);
        }
        if (batch.isEmpty()) {
            return 0;
        }
        List<FirstDeliveries.Attempted> attempted = batch.stream().map(FirstAttempts::attempted).toList();
        FirstDeliveries.Written written;
        try {
            written = firstDeliveries.writeAttempted(attempted);
        } catch (RuntimeException e) {
            OffsetDateTime now = EventRepository.now();
            for (FirstAttempts f : batch) {
                if (f.leaseUntil.isAfter(now)) {
                    f.queue();
                } else {
                    // its event keeps its rule ids: delivered again as left over, by this instance or another
                    inMemory.remove(f.eventId);
                    leftOverBefore = now;
                    log.warn("Delivery results not saved: event={} error={}", f.eventId, e.toString());
                }
            }
            throw e;
        }
        long delivered = 0;
        long failed = 0;
        Set<Long> lost = Set.copyOf(written.lost());
        for (int i = 0; i < batch.size(); i++) {
            FirstAttempts f = batch.get(i);
            FirstDeliveries.Attempted a = attempted.get(i);
            if (lost.contains(f.eventId)) {
                inMemory.remove(f.eventId); // another instance took it as left over
                continue;
            }
            for (FirstDeliveries.Ran ran : a.attempts()) {
                delivered += ran.attempt().delivered() ? 1 : 0;
                failed += ran.attempt().delivered() ? 0 : 1;
            }
            if (f.written(a)) {
                inMemory.remove(f.eventId);
            }
        }
        recorded.add(delivered, failed, written.queued());
        if (!written.lost().isEmpty()) {
            log.warn("Delivery results not saved, another instance took their events as left over: instance={} events={}", owner,
                    written.lost());
        }
        return written.queued();
    }

    /**
     * Starts the first action of every rule that took the events handed over since the last round, from memory, as far
     * as runners are free; writes the deliveries of the others (one transaction) for any instance. True when events are
     * left for the next round.
     */
    private boolean writeAndRunRecorded() {
        Map<Long, Handed> batch = new LinkedHashMap<>();
        for (Handed h; batch.size() < MAX_EVENTS_PER_ROUND && (h = recordedEvents.poll()) != null; ) {
            batch.putIfAbsent(h.event().id(), h);
        }
        if (batch.isEmpty()) {
            return false;
        }
        recordedCount.addAndGet(-batch.size());
        Map<Long, EventRuleRepository.StoredRule> byRule = new HashMap<>();
        OffsetDateTime now = EventRepository.now();
        int free = properties.concurrency() - running.get();
        List<FirstDeliveries.Recorded> toWrite = new ArrayList<>();
        for (Handed h : batch.values()) {
            List<EventRuleRepository.StoredRule> taking = new ArrayList<>();
            for (String id : h.rules().split(",")) {
                EventRuleRepository.StoredRule rule = rule(byRule, Long.parseLong(id));
                if (rule != null && !rule.actions().isEmpty()) {
                    taking.add(rule);
                }
            }
            // held until the event is a lease old (others may take it then): run from memory only with most of that left
            OffsetDateTime leaseUntil = h.event().time().plus(properties.lease());
            boolean old = now.isAfter(h.event().time().plus(properties.lease().dividedBy(2)));
            if (stopping || taking.isEmpty() || taking.size() > free || old) {
                toWrite.add(new FirstDeliveries.Recorded(h.event().id(), h.rules()));
                continue;
            }
            free -= taking.size();
            FirstAttempts first = new FirstAttempts(h.event().id(), leaseUntil, h.rules(),
                    taking.stream().map(EventRuleRepository.StoredRule::id).toList(), firstEnded);
            inMemory.put(first.eventId, first);
            for (EventRuleRepository.StoredRule rule : taking) {
                running.incrementAndGet();
                attempt(new DeliveryRepository.Claimed(0, rule.id(), h.event().id(), 0, 0, properties.maxAttempts(), leaseUntil), rule,
                        h.event(), first);
            }
        }
        if (!toWrite.isEmpty()) {
            try {
                firstDeliveries.expand(toWrite, properties.maxAttempts(), rule -> firstAction(byRule, rule));
            } catch (RuntimeException e) {
                leftOverBefore = EventRepository.now(); // the events keep their rule ids: a later round finds them
                throw e;
            }
            for (FirstDeliveries.Recorded r : toWrite) {
                rememberCommitted(batch.get(r.eventId()).event());
            }
            claimWanted = true;
        }
        return !recordedEvents.isEmpty();
    }

    /**
     * Writes the deliveries of events recorded before {@link #leftOverBefore} (or, on a shared database, a lease ago)
     * whose deliveries were never written, for any instance to claim.
     */
    private void writeLeftOver() {
        OffsetDateTime wanted = leftOverBefore;
        OffsetDateTime before = wanted != null ? wanted : EventRepository.now().minus(properties.lease());
        Map<Long, EventRuleRepository.StoredRule> byRule = new HashMap<>();
        int events = 0;
        int written = 0;
        int skipped = 0;
        // the events this instance has yet to write are not left over: those run from memory and those handed over
        Set<Long> notLeftOver = new HashSet<>(inMemory.keySet());
        recordedEvents.forEach(h -> notLeftOver.add(h.event().id()));
        for (FirstDeliveries.Expanded batch; ; ) {
            batch = firstDeliveries.expandLeftOver(before, MAX_EVENTS_PER_ROUND, properties.maxAttempts(),
                    rule -> firstAction(byRule, rule), notLeftOver);
            events += batch.events().size();
            written += batch.deliveries();
            skipped += batch.skipped();
            if (batch.events().size() < MAX_EVENTS_PER_ROUND) {
                break;
            }
        }
        // events this instance has yet to write were left alone: once written, the next round looks again for any behind them
        if (leftOverBefore == wanted && skipped == 0) {
            leftOverBefore = null;
        }
        if (events > 0) {
            claimWanted = true;
            log.info("Deliveries written for left-over events: instance={} events={} deliveries={} recordedBefore={}", owner, events,
                    written, before);
        }
    }

    /** The type of a rule's first action (null: the rule is gone or has none), rules looked up once per round. */
    private RuleAction.Type firstAction(Map<Long, EventRuleRepository.StoredRule> byRule, long ruleId) {
        EventRuleRepository.StoredRule rule = rule(byRule, ruleId);
        return rule == null || rule.actions().isEmpty() ? null : rule.actions().get(0).type();
    }

    /** A rule as the rule cache has it (null: gone), looked up once per round. */
    private EventRuleRepository.StoredRule rule(Map<Long, EventRuleRepository.StoredRule> byRule, long ruleId) {
        return byRule.computeIfAbsent(ruleId, id -> rules.findAll(List.of(id)).get(id));
    }

    private void rememberCommitted(EventResponse event) {
        if (committedEvents.size() >= MAX_COMMITTED_EVENTS) {
            committedEvents.clear(); // events whose deliveries another instance claimed; the rest are read again
        }
        committedEvents.put(event.id(), event);
    }

    /** Claims due deliveries for the free runners; true when it took as many as it asked for (there may be more). */
    private boolean claimAndRun() {
        int free = properties.concurrency() - running.get();
        if (free <= 0) {
            return false;
        }
        List<DeliveryRepository.Claimed> claimed = deliveries.claim(owner, free, properties.lease());
        if (claimed.isEmpty()) {
            return false;
        }
        Map<Long, EventResponse> byEvent = events(claimed);
        Map<Long, EventRuleRepository.StoredRule> byRule = rules.findAll(
                claimed.stream().map(DeliveryRepository.Claimed::ruleId).distinct().toList());
        List<Long> notStarted = new ArrayList<>();
        for (DeliveryRepository.Claimed c : claimed) {
            if (stopping) {
                notStarted.add(c.id());
                continue;
            }
            running.incrementAndGet();
            attempt(c, byRule.get(c.ruleId()), byEvent.get(c.eventId()), null);
        }
        deliveries.release(owner, notStarted);
        return claimed.size() == free;
    }

    /** The events of claimed deliveries: as this instance recorded them, else from the database. */
    private Map<Long, EventResponse> events(List<DeliveryRepository.Claimed> claimed) {
        Map<Long, EventResponse> byEvent = new HashMap<>();
        List<Long> missing = new ArrayList<>();
        for (DeliveryRepository.Claimed c : claimed) {
            if (!byEvent.containsKey(c.eventId())) {
                EventResponse event = committedEvents.remove(c.eventId());
                if (event != null) {
                    byEvent.put(c.eventId(), event);
                } else if (!missing.contains(c.eventId())) {
                    missing.add(c.eventId());
                }
            }
        }
        byEvent.putAll(events.findAll(missing));
        return byEvent;
    }

    /** Runs a claimed delivery, or ({@code first} not null) the first attempt of a rule's first action from memory. */
    private void attempt(DeliveryRepository.Claimed claimed, EventRuleRepository.StoredRule rule, EventResponse event,
                         FirstAttempts first) {
        long started = System.nanoTime();
        CompletableFuture<ActionRunner.Outcome> outcome;
        try {
            outcome = actions.run(claimed, rule, event, runners);
        } catch (RuntimeException e) {
            outcome = CompletableFuture.failedFuture(e);
        }
        outcome.whenComplete((result, error) -> finish(claimed, rule, error != null ? ActionRunner.Outcome.failure(null, error.toString())
                : result, (System.nanoTime() - started) / 1_000_000, first));
    }

    private void finish(DeliveryRepository.Claimed claimed, EventRuleRepository.StoredRule rule, ActionRunner.Outcome outcome, long ms,
                        FirstAttempts first) {
        try {
            DeliveryRepository.Attempt ended;
            if (outcome.success()) {
                int next = claimed.actionIndex() + 1;
                RuleAction.Type nextType = next < rule.actions().size() ? rule.actions().get(next).type() : null;
                ended = new DeliveryRepository.Attempt(claimed, true, outcome.statusCode(), null, ms, null, nextType);
            } else {
                int attempt = claimed.attempt() + 1;
                Duration retryIn = attempt >= claimed.maxAttempts() ? null : backoff(attempt);
                ended = new DeliveryRepository.Attempt(claimed, false, outcome.statusCode(), outcome.error(), ms, retryIn, null);
                log.info("Delivery failed: id={} rule={} event={} attempt={} status={} error={} retryIn={}",
                        first != null ? "(first, not yet written)" : claimed.id(), claimed.ruleId(), claimed.eventId(), attempt,
                        outcome.statusCode(), outcome.error(), retryIn);
            }
            if (first != null) {
                first.ended(new FirstDeliveries.Ran(rule.actions().get(0).type(), ended));
            } else {
                finished.add(ended);
            }
        } finally {
            running.decrementAndGet();
            wakeUp(); // record the result and give the free slot the next due delivery now
        }
    }

    Duration backoff(int attempt) {
        long factor = 1L << Math.min(30, attempt - 1);
        Duration wait = properties.backoffInitial().multipliedBy(factor);
        return wait.compareTo(properties.backoffMax()) > 0 ? properties.backoffMax() : wait;
    }

    /** Lets running attempts end (briefly) and records them; deliveries still running are taken over after their lease. */
    @PreDestroy
    void stop() throws InterruptedException {
        stopping = true;
        wake.release();
        dispatcher.join(5000);
        runners.shutdown();
        List<FirstDeliveries.Recorded> notWritten = new ArrayList<>();
        for (Handed h; (h = recordedEvents.poll()) != null; ) {
            notWritten.add(new FirstDeliveries.Recorded(h.event().id(), h.rules()));
        }
        Map<Long, EventRuleRepository.StoredRule> byRule = new HashMap<>();
        try {
            // for any instance: the others run them at once, not after a lease
            firstDeliveries.expand(notWritten, properties.maxAttempts(), rule -> firstAction(byRule, rule));
        } catch (RuntimeException e) {
            log.warn("Deliveries not written at shutdown: instance={} events={} error={}", owner, notWritten.size(), e.toString());
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (running.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        try {
            recordFinished();
            // first attempts still running keep their events' rule ids: delivered again as left over
            do {
                writeFirstAttempts();
            } while (!firstEnded.isEmpty());
            recorded.log(owner, true); // the dispatcher has ended: this thread is the only one left
        } catch (RuntimeException e) {
            log.warn("Delivery results not saved at shutdown: instance={} error={}", owner, e.toString());
        }
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
