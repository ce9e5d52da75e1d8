package io.ftpbridge.ftpserver;

import io.ftpbridge.storage.FileEntry;
import io.ftpbridge.storage.UserFileSystem;
import java.io.IOException;
import java.io.InputStream;
import org.apache.ftpserver.ftplet.DataType;
import org.apache.ftpserver.ftplet.FtpReply;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.impl.FtpIoSession;
import org.apache.ftpserver.impl.FtpServerContext;

/**
 * SIZE (RFC 3659 §4): the number of octets a RETR would send in the current TYPE. In TYPE A every
 * bare LF goes out as CR LF, so the file is read once to count them (MINA gave the size on disk).
 */
final class SizeCommand extends StorageCommand {

    @Override
    public void execute(FtpIoSession session, FtpServerContext context, FtpRequest request) throws IOException {
        session.resetState();
        if (!request.hasArgument()) {
            reply(session, FtpReply.REPLY_501_SYNTAX_ERROR_IN_PARAMETERS_OR_ARGUMENTS, "SIZE needs a path.");
            return;
        }
        String path = pathOf(session, request.getArgument());
        if (path == null) {
            reply(session, FtpReply.REPLY_550_REQUESTED_ACTION_NOT_TAKEN, request.getArgument() + ": Not a valid path.");
            return;
        }
        UserFileSystem files = fileSystem(session);
        try {
            FileEntry entry = files.stat(path);
            if (entry.type() != FileEntry.Type.FILE) {
                reply(session, FtpReply.REPLY_550_REQUESTED_ACTION_NOT_TAKEN, path + ": Not a plain file.");
                return;
            }
            long size = session.getDataType() == DataType.ASCII ? asciiSize(files, path) : entry.size();
            reply(session, FtpReply.REPLY_213_FILE_STATUS, String.valueOf(size));
        } catch (IOException e) {
            session.write(failure(e, path));
        }
    }

    /** The size after MINA's TYPE A conversion: each LF not preceded by CR gains a CR. */
    private static long asciiSize(UserFileSystem files, String path) throws IOException {
        long size = 0;
        byte last = 0;
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = files.openRead(path, 0)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n' && last != '\r') {
                        size++;
                    }
                    last = buffer[i];
                }
                size += n;
            }
        }
        return size;
    }
}
