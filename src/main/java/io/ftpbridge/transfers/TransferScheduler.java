package io.ftpbridge.transfers;

import io.ftpbridge.support.RepeatedFailures;
import java.net.InetAddress;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Claims queued jobs from the database ({@code FOR UPDATE SKIP LOCKED}) and runs at most
 * {@code ftpbridge.transfers.concurrency} of them at once; renews their leases, notices cancels
 * made on other instances, and on shutdown stops them and puts them back in the queue.
 */
@Component
class TransferScheduler implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(TransferScheduler.class);
    private final RepeatedFailures pollFailures = new RepeatedFailures();

    private final TransferJobRepository jobs;
    private final TransferRunner runner;
    private final TransferProperties properties;
    private final String instanceId;
    private final Map<Long, JobRun> running = new ConcurrentHashMap<>();
    private volatile ExecutorService workers;
    private volatile ScheduledExecutorService timer;

    TransferScheduler(TransferJobRepository jobs, TransferRunner runner, TransferProperties properties) {
        this.jobs = jobs;
        this.runner = runner;
        this.properties = properties;
        this.instanceId = hostName() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    String instanceId() {
        return instanceId;
    }

    JobRun runningHere(long id) {
        return running.get(id);
    }

    @Override
    public synchronized void start() {
        AtomicInteger n = new AtomicInteger();
        workers = Executors.newFixedThreadPool(properties.concurrency(), r -> {
            Thread t = new Thread(r, "transfer-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        timer = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "transfer-scheduler");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::pollQuietly, 0, properties.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(this::heartbeatQuietly, properties.heartbeat().toMillis(),
                properties.heartbeat().toMillis(), TimeUnit.MILLISECONDS);
        log.info("Transfer scheduler started: instance={} concurrency={}", instanceId, properties.concurrency());
    }

    /**
     * Looks for work now rather than at the next poll (a job was just queued here); inside a transaction,
     * once it commits, as the job is not visible before.
     */
    void wakeUp() {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    poke();
                }
            });
            return;
        }
        poke();
    }

    private void poke() {
        ScheduledExecutorService t = timer;
        if (t != null && !t.isShutdown()) {
            t.execute(this::pollQuietly);
        }
    }

    private void pollQuietly() {
        try {
            poll();
            int ended = pollFailures.succeeded();
            if (ended > 0) {
                log.info("Transfer queue polls work again: instance={} failedPolls={}", instanceId, ended);
            }
        } catch (RuntimeException e) {
            int unlogged = pollFailures.failed();
            if (unlogged >= 0) {
                log.warn("Transfer queue poll failed: instance={} error={} failedSinceLastLine={}", instanceId, e.toString(), unlogged);
            }
        }
    }

    private synchronized void poll() {
        ExecutorService w = workers;
        if (w == null || w.isShutdown()) {
            return;
        }
        int free = properties.concurrency() - running.size();
        if (free <= 0) {
            return;
        }
        for (Long id : jobs.claim(instanceId, free, properties.lease())) {
            JobRun run = new JobRun(id);
            running.put(id, run);
            log.info("Transfer job claimed: id={} instance={}", id, instanceId);
            w.execute(() -> {
                try {
                    runner.run(run, instanceId);
                } catch (RuntimeException | Error e) {
                    log.error("Transfer job crashed: id={} instance={}", id, instanceId, e);
                    failQuietly(id, run, e);
                } finally {
                    running.remove(id, run); // a retry may already have put a new run under this id
                    wakeUp();
                }
            });
        }
    }

    /** A job whose run crashed ends FAILED rather than staying RUNNING to crash again after every lease. */
    private void failQuietly(long id, JobRun run, Throwable crash) {
        try {
            jobs.finish(id, instanceId, JobState.FAILED, "internal error: " + crash, run.progress().bytesDone());
        } catch (RuntimeException e) {
            log.warn("Could not mark crashed transfer job failed: id={} error={}", id, e.toString());
        }
    }

    private void heartbeatQuietly() {
        for (JobRun run : running.values()) {
            try {
                run.progress().snapshot(); // a rate sample even when nobody watches
                if (!jobs.heartbeat(run.id(), instanceId, properties.lease(), run.progress().bytesDone())) {
                    if (running.containsKey(run.id())) {
                        log.warn("Transfer job no longer held by this instance: id={} instance={}", run.id(), instanceId);
                        run.halt(JobRun.Halt.LOST);
                    }
                } else if (jobs.cancelRequested(run.id())) {
                    run.halt(JobRun.Halt.CANCEL);
                }
            } catch (RuntimeException e) {
                log.warn("Transfer heartbeat failed: id={} instance={} error={}", run.id(), instanceId, e.toString());
            }
        }
    }

    @Override
    public synchronized void stop() {
        ScheduledExecutorService t = timer;
        ExecutorService w = workers;
        if (t == null || w == null) {
            return;
        }
        t.shutdownNow();
        w.shutdown();
        boolean hadJobs = !running.isEmpty();
        running.values().forEach(run -> run.halt(JobRun.Halt.SHUTDOWN));
        try {
            if (!w.awaitTermination(10, TimeUnit.SECONDS)) {
                w.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int released = 0;
        if (hadJobs) {
            try {
                released = jobs.release(instanceId);
            } catch (RuntimeException e) {
                log.warn("Could not put running jobs back in the queue (their leases will run out): instance={} error={}",
                        instanceId, e.toString());
            }
        }
        timer = null;
        workers = null;
        log.info("Transfer scheduler stopped: instance={} jobsReleased={}", instanceId, released);
    }

    @Override
    public boolean isRunning() {
        return timer != null;
    }

    private static String hostName() {
        try {
            String name = InetAddress.getLocalHost().getHostName();
            return name.length() > 40 ? name.substring(0, 40) : name;
        } catch (Exception e) {
            return "ftpbridge";
        }
    }
}
