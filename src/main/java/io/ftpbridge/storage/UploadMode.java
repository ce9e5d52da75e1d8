package io.ftpbridge.storage;

/** How an upload treats the file already at its target. */
public enum UploadMode {
    /** Replace the whole file; the new content becomes visible only when complete. */
    REPLACE,
    /** Keep the first {@code offset} bytes and write from there (FTP REST + STOR). */
    RESUME,
    /** Add to the end of the file (FTP APPE, REST {@code ?append=true}). */
    APPEND
}
