package io.ftpbridge.storage;

import java.io.BufferedInputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;

/**
 * A stored file opened for reading at an offset: read it as a stream (large reads from disk,
 * small chunks from memory), or, before anything was read, take its {@link #channel()} and send it
 * with {@link FileChannel#transferTo} (sendfile(2): the kernel copies, nothing passes through the JVM).
 */
public final class ReadStream extends BufferedInputStream {

    private final FileChannel channel;

    ReadStream(FileChannel channel) {
        super(Channels.newInputStream(channel), 256 * 1024);
        this.channel = channel;
    }

    /**
     * The file, positioned at the read offset as long as nothing was read from this stream;
     * closing the stream closes it.
     */
    public FileChannel channel() {
        if (count > 0 || pos > 0) {
            throw new IllegalStateException("the stream has been read from");
        }
        return channel;
    }
}
