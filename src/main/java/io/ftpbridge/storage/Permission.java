package io.ftpbridge.storage;

/** What a mount lets its user do inside the mounted folder. */
public enum Permission {
    LIST, READ, WRITE, APPEND, DELETE, RENAME, MKDIR, RMDIR
}
