package io.ftpbridge.transfers;

import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Server-Sent Events of a job's progress: a {@code progress} event every half second while it
 * runs, a final {@code state} event when it ends, then the stream closes.
 */
@Component
class TransferEvents {

    private static final Duration PERIOD = Duration.ofMillis(500);
    private static final Duration MAX_STREAM = Duration.ofHours(6);

    private final TransferService transfers;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "transfer-events");
        t.setDaemon(true);
        return t;
    });

    TransferEvents(TransferService transfers) {
        this.transfers = transfers;
    }

    SseEmitter stream(long id) {
        SseEmitter emitter = new SseEmitter(MAX_STREAM.toMillis());
        AtomicBoolean ended = new AtomicBoolean();
        AtomicReference<ScheduledFuture<?>> task = new AtomicReference<>();
        Runnable stop = () -> {
            ended.set(true);
            ScheduledFuture<?> f = task.get();
            if (f != null) {
                f.cancel(false);
            }
        };
        emitter.onCompletion(stop);
        emitter.onTimeout(stop);
        emitter.onError(e -> stop.run());
        task.set(timer.scheduleAtFixedRate(() -> {
            if (ended.get()) {
                return;
            }
            try {
                TransferResponse job = transfers.get(id);
                if (job.state().finished()) {
                    stop.run();
                    emitter.send(SseEmitter.event().name("state").data(job));
                    emitter.complete();
                } else {
                    emitter.send(SseEmitter.event().name("progress").data(new Event(job.id(), job.state(), job.progress())));
                }
            } catch (IOException | RuntimeException e) {
                stop.run();
                emitter.completeWithError(e);
            }
        }, 0, PERIOD.toMillis(), TimeUnit.MILLISECONDS));
        if (ended.get()) {
            task.get().cancel(false); // ended before the future was known
        }
        return emitter;
    }

    /** The body of a {@code progress} event. */
    record Event(long id, JobState state, TransferResponse.Progress progress) {
    }

    @PreDestroy
    void shutdown() {
        timer.shutdownNow();
    }
}
