package io.ftpbridge.transfers;

import io.ftpbridge.remotes.DataMode;
import io.ftpbridge.remotes.TransferType;
import java.time.OffsetDateTime;

/** One row of {@code transfer_job}; stays inside this package. */
record TransferJob(long id, String remote, Direction direction, String remotePath, String folder, String localPath,
                   boolean glob, boolean recursive, boolean append, Overwrite overwrite, DataMode dataMode,
                   TransferType transferType,
                   boolean verify, JobState state, int attempts, String error, boolean planned,
                   boolean cancelRequested, String owner, long bytesDone, OffsetDateTime createdAt,
                   OffsetDateTime startedAt, OffsetDateTime finishedAt) {
}
