package io.ftpbridge.storage;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the uploads in progress in each folder have written, so that concurrent uploads see each
 * other against the quota: a walk of the folder sees neither the hidden temporary files of
 * replacing uploads nor bytes written after it.
 */
final class QuotaLedger {

    /** One folder's uploads in progress. */
    static final class Account {
        /** Bytes written minus bytes rolled back or freed by replaced files, since the service started. */
        final AtomicLong netGrowth = new AtomicLong();
        /** Bytes now sitting in temporary files of replacing uploads (invisible to a walk). */
        final AtomicLong inTemporaryFiles = new AtomicLong();
        /** New files being created (invisible to a walk until committed). */
        final AtomicLong newFiles = new AtomicLong();
    }

    private final Map<String, Account> accounts = new ConcurrentHashMap<>();

    Account account(String folder) {
        return accounts.computeIfAbsent(folder, f -> new Account());
    }
}
