package io.ftpbridge.ftpserver;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.ftpserver.command.AbstractCommand;
import org.apache.ftpserver.ftplet.DefaultFtpReply;
import org.apache.ftpserver.ftplet.FtpReply;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.impl.FtpIoSession;
import org.apache.ftpserver.impl.FtpServerContext;

/** HELP listing the commands this server answers (MINA's stock list left out FEAT, EPSV, MLSD and more). */
final class HelpCommand extends AbstractCommand {

    static final List<String> COMMANDS = List.of(
            "ABOR", "ACCT", "ALLO", "APPE", "CDUP", "CWD", "DELE", "EPRT", "EPSV", "FEAT", "HELP", "LIST",
            "MD5", "MDTM", "MFMT", "MKD", "MLSD", "MLST", "MMD5", "MODE", "NLST", "NOOP", "OPTS", "PASS",
            "PASV", "PORT", "PWD", "QUIT", "REIN", "REST", "RETR", "RMD", "RNFR", "RNTO", "SITE", "SIZE",
            "STAT", "STOR", "STOU", "STRU", "SYST", "TYPE", "USER", "XCUP", "XCWD", "XMD5", "XMKD", "XPWD", "XRMD");
    private static final List<String> TLS_COMMANDS = List.of("AUTH", "PBSZ", "PROT");

    private final List<String> commands;
    private final String reply;

    HelpCommand(boolean tls) {
        List<String> all = new ArrayList<>(COMMANDS);
        if (tls) {
            all.addAll(TLS_COMMANDS);
        }
        this.commands = all.stream().sorted().toList();
        StringBuilder text = new StringBuilder("The following commands are recognized.\n");
        for (int i = 0; i < commands.size(); i += 8) {
            StringBuilder line = new StringBuilder(" ");
            commands.subList(i, Math.min(i + 8, commands.size())).forEach(c -> line.append(String.format(" %-5s", c)));
            text.append(line.toString().stripTrailing()).append('\n');
        }
        this.reply = text.append("Help OK.").toString();
    }

    @Override
    public void execute(FtpIoSession session, FtpServerContext context, FtpRequest request) {
        String topic = request.hasArgument() ? request.getArgument().trim().toUpperCase(Locale.ROOT) : "";
        if (topic.isEmpty()) {
            session.write(new DefaultFtpReply(FtpReply.REPLY_214_HELP_MESSAGE, reply));
        } else if (commands.contains(topic)) {
            session.write(new DefaultFtpReply(FtpReply.REPLY_214_HELP_MESSAGE, topic + " is implemented."));
        } else {
            session.write(new DefaultFtpReply(FtpReply.REPLY_502_COMMAND_NOT_IMPLEMENTED, "Unknown command " + topic + "."));
        }
    }
}
