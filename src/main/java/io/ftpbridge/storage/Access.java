package io.ftpbridge.storage;

import java.util.EnumSet;
import java.util.Set;

/**
 * What a request wants to do at a path, and which of a mount's permissions allow it: the one table
 * of the permission rule, applied by {@link UserFileSystem#allows}. Protocol adapters (FTP commands,
 * REST routes) name the access they need and only translate the answer into their reply codes.
 */
public enum Access {
    /** a directory's entries */
    LIST(Permission.LIST),
    /** a file's bytes */
    READ(Permission.READ),
    /** one entry's size, time or facts (SIZE, MLST, MDTM): reading or listing tells as much */
    METADATA(Permission.READ, Permission.LIST),
    /** a checksum tells about the content, as reading does */
    CHECKSUM(Permission.READ),
    /** any change at the path: writing, appending, making a directory, renaming (checked exactly by the operation) */
    MODIFY(Permission.WRITE, Permission.APPEND, Permission.MKDIR, Permission.RENAME),
    /** deleting a file */
    DELETE(Permission.DELETE),
    /** removing a directory */
    RMDIR(Permission.RMDIR);

    private final Set<Permission> anyOf;

    Access(Permission first, Permission... more) {
        this.anyOf = EnumSet.of(first, more);
    }

    /** Whether a mount granting {@code granted} allows this access. */
    boolean grantedBy(Set<Permission> granted) {
        return anyOf.stream().anyMatch(granted::contains);
    }

    /** Access to the virtual directories above the mounts: listing them, and what listing tells. */
    boolean virtualAllowed() {
        return this == LIST || this == METADATA;
    }
}
