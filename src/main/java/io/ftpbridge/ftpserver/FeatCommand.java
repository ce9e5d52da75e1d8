package io.ftpbridge.ftpserver;

import java.io.IOException;
import org.apache.ftpserver.command.AbstractCommand;
import org.apache.ftpserver.ftplet.DefaultFtpReply;
import org.apache.ftpserver.ftplet.FtpReply;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.impl.FtpIoSession;
import org.apache.ftpserver.impl.FtpServerContext;

/**
 * FEAT listing what this server really offers: MINA's stock reply names features it does not
 * have here (MODE Z, LANG, AUTH without TLS configured) and leaves out EPRT, EPSV and PASV.
 */
final class FeatCommand extends AbstractCommand {

    private final String reply;

    FeatCommand(boolean tls) {
        StringBuilder features = new StringBuilder("Extensions supported\n");
        if (tls) {
            features.append(" AUTH TLS\n PBSZ\n PROT\n");
        }
        features.append(" EPRT\n EPSV\n MD5\n MDTM\n MFMT\n ").append(MlstFacts.FEAT_LINE)
                .append("\n PASV\n REST STREAM\n SIZE\n TVFS\n UTF8\nEnd");
        this.reply = features.toString();
    }

    @Override
    public void execute(FtpIoSession session, FtpServerContext context, FtpRequest request) throws IOException {
        session.resetState();
        session.write(new DefaultFtpReply(FtpReply.REPLY_211_SYSTEM_STATUS_REPLY, reply));
    }
}
