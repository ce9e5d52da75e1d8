package io.ftpbridge.transfers;

/**
 * One row of {@code transfer_file}: a file of a job, its size (-1 unknown), the size the target
 * had before an append ({@code baseSize}) and the bytes of it already transferred.
 */
record TransferFile(long jobId, int seq, String remotePath, String localPath, long size, long baseSize,
                    long bytesDone, FileState state, String error) {
}
