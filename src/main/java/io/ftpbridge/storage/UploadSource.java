package io.ftpbridge.storage;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Where the bytes of a whole upload come from (a REST request body): read straight into the
 * caller's direct buffer, so they reach the disk without a copy through the Java heap.
 */
@FunctionalInterface
public interface UploadSource {

    /**
     * Reads some bytes into {@code into} from its position on; returns how many, or -1 at the end of
     * the body. Position and limit afterwards are the source's choice (the caller sets them).
     */
    int read(ByteBuffer into) throws IOException;
}
