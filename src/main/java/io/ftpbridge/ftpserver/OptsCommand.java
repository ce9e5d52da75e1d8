package io.ftpbridge.ftpserver;

import java.io.IOException;
import java.util.List;
import org.apache.ftpserver.command.Command;
import org.apache.ftpserver.command.impl.OPTS;
import org.apache.ftpserver.ftplet.FtpException;
import org.apache.ftpserver.ftplet.FtpReply;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.impl.FtpIoSession;
import org.apache.ftpserver.impl.FtpServerContext;

/**
 * OPTS MLST selects the facts of MLST/MLSD and echoes those now active (RFC 3659 §7.9:
 * {@code 200 MLST OPTS size;type;}); other OPTS (UTF8) stay MINA's.
 */
final class OptsCommand extends StorageCommand {

    private final Command others = new OPTS();

    @Override
    public void execute(FtpIoSession session, FtpServerContext context, FtpRequest request)
            throws IOException, FtpException {
        String argument = request.hasArgument() ? request.getArgument().trim() : "";
        String[] words = argument.split(" ", 2);
        if (!words[0].equalsIgnoreCase("MLST")) {
            others.execute(session, context, request);
            return;
        }
        session.resetState();
        List<MlstFacts.Fact> facts = MlstFacts.select(session, words.length > 1 ? words[1] : "");
        reply(session, FtpReply.REPLY_200_COMMAND_OKAY, ("MLST OPTS " + MlstFacts.names(facts)).trim());
    }
}
