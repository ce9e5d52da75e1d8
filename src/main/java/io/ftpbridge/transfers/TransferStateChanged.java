package io.ftpbridge.transfers;

/**
 * A job entered {@code state}; published inside the database transaction that changed it, so a
 * listener that writes to the database (events/) commits or rolls back with the change.
 */
public record TransferStateChanged(long jobId, String state, String remote, String direction, String folder,
                                   String localPath, String error) {
}
