package io.ftpbridge.storage;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What each folder holds and has accepted, so that no interleaving of uploads, appends, resumes,
 * renames and deletes can take it past its quota. A folder's {@link Account} is its lock: every
 * change of its bytes (a reservation before a write, a commit, a delete) happens while holding it.
 * Bytes are counted when accepted (reserved before they are written), not when they reach the
 * disk, so bytes sitting in an upload's buffer or temporary file count as much as bytes on disk.
 */
final class QuotaLedger {

    /** One folder's standing; guarded by itself. */
    static final class Account {
        /** Bytes in the folder (regular files, and temporary files nobody writes) plus bytes accepted by uploads in progress. */
        long bytes;
        /** Regular files in the folder plus files being created by uploads in progress. */
        long files;
        /** Uploads (and job partials) in progress that reserve against this account. */
        int active;
        /** Bytes reserved by uploads in progress (a walk meanwhile counts them on top: too much, never too little). */
        long pendingBytes;
        /** Files being created by uploads in progress. */
        long pendingNewFiles;
        /** Whether bytes/files come from a walk of the folder; only kept for folders with a quota. */
        boolean known;
    }

    private final Map<String, Account> accounts = new ConcurrentHashMap<>();

    Account account(String folder) {
        return accounts.computeIfAbsent(folder, f -> new Account());
    }

    /** Drops a deleted folder's account; a folder created later under the name starts afresh. */
    void forget(String folder) {
        accounts.remove(folder);
    }
}
