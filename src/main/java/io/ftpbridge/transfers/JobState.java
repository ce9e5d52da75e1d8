package io.ftpbridge.transfers;

/** Life of a transfer job: QUEUED until an instance claims it, then RUNNING, then one of the ends. */
public enum JobState { QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    public boolean finished() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
