package io.ftpbridge.ftpserver;

import java.io.IOException;
import org.apache.ftpserver.ftplet.FtpException;
import org.apache.ftpserver.ftplet.FtpReply;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.impl.FtpIoSession;
import org.apache.ftpserver.impl.FtpServerContext;

/** PWD, quoting the directory as RFC 959 appendix II asks (embedded quotes doubled). */
final class PrintDirectoryCommand extends StorageCommand {

    @Override
    public void execute(FtpIoSession session, FtpServerContext context, FtpRequest request)
            throws IOException, FtpException {
        session.resetState();
        String cwd = session.getFileSystemView().getWorkingDirectory().getAbsolutePath();
        reply(session, FtpReply.REPLY_257_PATHNAME_CREATED, quoted(cwd) + " is the current directory.");
    }
}
