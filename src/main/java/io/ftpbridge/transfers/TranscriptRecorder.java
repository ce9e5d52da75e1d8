package io.ftpbridge.transfers;

import io.ftpbridge.remotes.ControlTranscript;
import org.apache.commons.net.ProtocolCommandListener;

/**
 * Writes a job's control connection to the database, one line per command ({@code > CMD}) and
 * reply line ({@code < reply}) as the remotes feature's {@link ControlTranscript} formats them
 * (password as {@code PASS ****}), plus ftpbridge's own notes ({@code # ...}). Kept in the
 * database, not in a file under data-dir, so that it follows the job from instance to instance.
 */
final class TranscriptRecorder {

    private final TransferJobRepository jobs;
    private final long jobId;
    private final int attempt;
    private final String owner;
    private final ControlTranscript listener = new ControlTranscript(this::write);
    private long seq;

    TranscriptRecorder(TransferJobRepository jobs, long jobId, int attempt, String owner) {
        this.jobs = jobs;
        this.jobId = jobId;
        this.attempt = attempt;
        this.owner = owner;
        this.seq = jobs.lastTranscriptSeq(jobId);
    }

    /** The listener to hand to {@code RemoteConnector.connect}. */
    ProtocolCommandListener listener() {
        return listener;
    }

    /** A note of ftpbridge's own (an attempt, a retry, a verification), marked with {@code #}. */
    void note(String text) {
        write("# " + text);
    }

    private synchronized void write(String line) {
        if (!line.isBlank() && !line.equals("< ")) {
            jobs.appendTranscript(jobId, ++seq, attempt, owner, line);
        }
    }
}
