package io.ftpbridge.ftpserver;

import java.io.IOException;
import org.apache.ftpserver.ftplet.FtpReply;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.impl.FtpIoSession;
import org.apache.ftpserver.impl.FtpServerContext;
import org.apache.ftpserver.impl.ServerFtpStatistics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** MKD, with the 257 reply quoting the new path as RFC 959 appendix II asks (embedded quotes doubled). */
final class MakeDirectoryCommand extends StorageCommand {

    private static final Logger log = LoggerFactory.getLogger(MakeDirectoryCommand.class);

    @Override
    public void execute(FtpIoSession session, FtpServerContext context, FtpRequest request) throws IOException {
        session.resetState();
        if (!request.hasArgument()) {
            reply(session, FtpReply.REPLY_501_SYNTAX_ERROR_IN_PARAMETERS_OR_ARGUMENTS, "MKD needs a path.");
            return;
        }
        String path = pathOf(session, request.getArgument());
        if (path == null) {
            reply(session, FtpReply.REPLY_553_REQUESTED_ACTION_NOT_TAKEN_FILE_NAME_NOT_ALLOWED,
                    request.getArgument() + ": Not a valid path.");
            return;
        }
        String user = session.getUser().getName();
        try {
            fileSystem(session).mkdir(path);
        } catch (IOException e) {
            log.info("FTP MKD refused: user={} address={} path={} reason={}", user, ClientAddress.text(ClientAddress.inet(session)), path, e.toString());
            session.write(creationFailure(e, path));
            return;
        }
        log.info("FTP MKD: user={} address={} path={}", user, ClientAddress.text(ClientAddress.inet(session)), path);
        ((ServerFtpStatistics) context.getFtpStatistics()).setMkdir(session, new StorageFtpFile(fileSystem(session), path));
        reply(session, FtpReply.REPLY_257_PATHNAME_CREATED, quoted(path) + " created.");
    }
}
