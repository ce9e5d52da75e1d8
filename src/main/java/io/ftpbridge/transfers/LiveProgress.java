package io.ftpbridge.transfers;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Progress of a job running on this instance, updated by its thread and read by REST and SSE. */
final class LiveProgress {

    private static final long WINDOW_NANOS = 3_000_000_000L;

    private final AtomicLong bytesDone = new AtomicLong();
    private volatile long bytesTotal;
    private volatile int files;
    private volatile int filesDone;
    private final Deque<long[]> samples = new ArrayDeque<>();

    void plan(List<TransferFile> planned) {
        long total = 0;
        long done = 0;
        int finished = 0;
        for (TransferFile f : planned) {
            total += Math.max(0, f.size());
            if (f.state() == FileState.DONE || f.state() == FileState.SKIPPED) {
                done += Math.max(0, f.size());
                finished++;
            } else {
                done += f.bytesDone();
            }
        }
        bytesTotal = total;
        files = planned.size();
        filesDone = finished;
        bytesDone.set(done);
    }

    void add(long bytes) {
        bytesDone.addAndGet(bytes);
    }

    /** Bytes of a file re-sent from an earlier offset (a restart that could not resume) are not counted twice. */
    void set(long bytes) {
        bytesDone.set(bytes);
    }

    void fileFinished() {
        filesDone++;
    }

    long bytesDone() {
        return bytesDone.get();
    }

    TransferResponse.Progress snapshot() {
        long done = bytesDone.get();
        long rate = rate(done);
        return TransferResponse.Progress.of(files, filesDone, bytesTotal, done, rate);
    }

    /** Bytes per second over the last few seconds. */
    private synchronized long rate(long done) {
        long now = System.nanoTime();
        samples.addLast(new long[] {now, done});
        while (samples.size() > 2 && now - samples.peekFirst()[0] > WINDOW_NANOS) {
            samples.removeFirst();
        }
        long[] first = samples.peekFirst();
        long elapsed = now - first[0];
        return elapsed < 100_000_000L ? 0 : (done - first[1]) * 1_000_000_000L / elapsed;
    }
}
