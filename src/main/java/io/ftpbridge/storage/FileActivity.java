package io.ftpbridge.storage;

/**
 * A change storage made (or refused) in a folder, published as a Spring application event so
 * that listeners (events/) see every file action of FTP and REST alike without storage knowing them.
 *
 * @param fromPath the old path of a rename, else null
 * @param size the file's size in bytes, or -1 for a directory or when unknown
 */
public record FileActivity(Kind kind, String folder, String path, String fromPath, long size, StorageCaller caller) {

    public enum Kind { UPLOADED, DOWNLOADED, DELETED, RENAMED, DIR_CREATED, DIR_DELETED, QUOTA_EXCEEDED }
}
