package io.ftpbridge.transfers;

import java.util.Locale;
import org.apache.commons.net.ProtocolCommandEvent;
import org.apache.commons.net.ProtocolCommandListener;

/**
 * Writes every command ({@code > CMD}) and reply line ({@code < reply}) of a job's control
 * connection to the database, with the password shown as {@code PASS ****}. Kept in the database
 * (not a file under data-dir) so that it follows the job from instance to instance.
 */
final class TranscriptRecorder implements ProtocolCommandListener {

    private final TransferJobRepository jobs;
    private final long jobId;
    private final int attempt;
    private final String owner;
    private long seq;

    TranscriptRecorder(TransferJobRepository jobs, long jobId, int attempt, String owner) {
        this.jobs = jobs;
        this.jobId = jobId;
        this.attempt = attempt;
        this.owner = owner;
        this.seq = jobs.lastTranscriptSeq(jobId);
    }

    @Override
    public void protocolCommandSent(ProtocolCommandEvent event) {
        String message = event.getMessage().strip();
        if (event.getCommand() != null && event.getCommand().toUpperCase(Locale.ROOT).equals("PASS")) {
            message = "PASS ****";
        }
        write("> " + message);
    }

    @Override
    public void protocolReplyReceived(ProtocolCommandEvent event) {
        for (String line : event.getMessage().split("\r?\n")) {
            if (!line.isBlank()) {
                write("< " + line.stripTrailing());
            }
        }
    }

    /** A note of ftpbridge's own (a retry, a verification), marked with {@code #}. */
    void note(String text) {
        write("# " + text);
    }

    private synchronized void write(String line) {
        jobs.appendTranscript(jobId, ++seq, attempt, owner, line);
    }
}
