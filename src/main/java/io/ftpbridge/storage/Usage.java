package io.ftpbridge.storage;

/** Bytes and regular files a folder holds. */
public record Usage(long bytes, long files) {
}
