package io.ftpbridge.events;

/** What happened; the names are part of the public contract. */
public enum EventType {
    FILE_UPLOADED, FILE_DOWNLOADED, FILE_DELETED, FILE_RENAMED, DIR_CREATED, DIR_DELETED,
    LOGIN_SUCCEEDED, LOGIN_FAILED, QUOTA_EXCEEDED, TRANSFER_STATE_CHANGED
}
