package io.ftpbridge.storage;

import java.time.Instant;

/** One entry of a directory listing, the same shape for folders and remote servers. */
public record FileEntry(String name, Type type, long size, Instant modified) {

    public enum Type { FILE, DIRECTORY }
}
