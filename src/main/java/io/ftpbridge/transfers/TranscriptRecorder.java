package io.ftpbridge.transfers;

import io.ftpbridge.remotes.ControlTranscript;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Writes a job's control connection to the database, one line per command ({@code > CMD}) and
 * reply line ({@code < reply}) as the remotes feature's {@link ControlTranscript} formats them
 * (password as {@code PASS ****}), plus ftpbridge's own notes ({@code # ...}). Kept in the
 * database, not in a file under data-dir, so that it follows the job from instance to instance.
 * <p>
 * Lines are kept here with their time and written together, in one transaction, when the job
 * reaches a point worth showing ({@link #flush()}: a data transfer under way, a file done, the
 * attempt's end) or when {@link #MAX_BUFFERED} lines or {@link #MAX_DELAY_NANOS} have gathered.
 * One insert per line cost a small-file job more than the commands themselves (bench/README.md).
 */
final class TranscriptRecorder {

    /** A line as it will be stored. */
    record Line(long seq, String text, OffsetDateTime at) {
    }

    static final int MAX_BUFFERED = 100;
    static final long MAX_DELAY_NANOS = 1_000_000_000L;

    private final TransferJobRepository jobs;
    private final long jobId;
    private final int attempt;
    private final String owner;
    private final List<Line> buffered = new ArrayList<>();
    private long firstBufferedNanos;
    private long seq;

    TranscriptRecorder(TransferJobRepository jobs, long jobId, int attempt, String owner) {
        this.jobs = jobs;
        this.jobId = jobId;
        this.attempt = attempt;
        this.owner = owner;
        this.seq = jobs.lastTranscriptSeq(jobId);
    }

    /** Where the job's control lines go ({@code RemoteClientPools.jobSession}): formatted, written as they are. */
    Consumer<String> lines() {
        return this::write;
    }

    /** A note of ftpbridge's own (an attempt, a retry, a verification), marked with {@code #}. */
    void note(String text) {
        write("# " + text);
    }

    /** Writes the lines gathered so far. */
    synchronized void flush() {
        if (!buffered.isEmpty()) {
            jobs.appendTranscript(jobId, attempt, owner, List.copyOf(buffered));
            buffered.clear();
        }
    }

    private synchronized void write(String line) {
        if (line.isBlank() || line.equals("< ")) {
            return;
        }
        long now = System.nanoTime();
        if (buffered.isEmpty()) {
            firstBufferedNanos = now;
        }
        buffered.add(new Line(++seq, line, TransferJobRepository.now()));
        if (buffered.size() >= MAX_BUFFERED || now - firstBufferedNanos >= MAX_DELAY_NANOS) {
            flush();
        }
    }
}
