package io.ftpbridge.ftpserver;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import org.apache.ftpserver.command.Command;
import org.apache.ftpserver.ftplet.DefaultFtpReply;
import org.apache.ftpserver.ftplet.FtpException;
import org.apache.ftpserver.ftplet.FtpReply;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.impl.FtpIoSession;
import org.apache.ftpserver.impl.FtpServerContext;

/**
 * RFC 2428 rules put in front of whichever PASV, EPSV, PORT and EPRT commands are registered:
 * after {@code EPSV ALL} only EPSV may set up a data connection (§4, refused with 503); the
 * network protocol of EPSV and EPRT must be the control connection's, otherwise 522 names the
 * one to use; PASV and PORT carry IPv4 addresses only, so on an IPv6 connection they get 522 too
 * (PASV still answers there when it announces a configured IPv4 passive external address).
 */
final class DataConnectionRules implements Command {

    static final String EPSV_ALL = "ftpbridge.epsvAll";

    private final String verb;
    private final Command delegate;

    DataConnectionRules(String verb, Command delegate) {
        this.verb = verb;
        this.delegate = delegate;
    }

    @Override
    public void execute(FtpIoSession session, FtpServerContext context, FtpRequest request)
            throws IOException, FtpException {
        String argument = request.hasArgument() ? request.getArgument().trim() : "";
        int family = family(session);
        if (verb.equals("EPSV")) {
            if (argument.equalsIgnoreCase("ALL")) {
                session.setAttribute(EPSV_ALL, Boolean.TRUE);
                refuse(session, FtpReply.REPLY_200_COMMAND_OKAY, "EPSV ALL ok; only EPSV will set up data connections now.");
                return;
            }
            if (!argument.isEmpty() && !argument.equals(String.valueOf(family))) {
                refuse(session, 522, "Network protocol not supported, use (" + family + ")");
                return;
            }
        } else if (session.containsAttribute(EPSV_ALL)) {
            refuse(session, FtpReply.REPLY_503_BAD_SEQUENCE_OF_COMMANDS, verb + " not allowed after EPSV ALL; use EPSV.");
            return;
        } else if (family == 2 && (verb.equals("PORT") || verb.equals("PASV") && !announcesExternalAddress(session))) {
            String instead = verb.equals("PASV") ? "EPSV" : "EPRT";
            refuse(session, 522, verb + " is IPv4 only and this connection is IPv6; use " + instead + " with (2)");
            return;
        } else if (verb.equals("EPRT") && argument.length() > 1) {
            String[] fields = argument.split(java.util.regex.Pattern.quote(argument.substring(0, 1)), -1);
            if (fields.length > 1 && !fields[1].equals(String.valueOf(family))) {
                refuse(session, 522, "Network protocol not supported, use (" + family + ")");
                return;
            }
        }
        delegate.execute(session, context, request);
    }

    private static void refuse(FtpIoSession session, int code, String message) {
        session.write(new DefaultFtpReply(code, message));
    }

    /** Whether PASV announces a configured (IPv4, NAT) address rather than the connection's own. */
    private static boolean announcesExternalAddress(FtpIoSession session) {
        String external = session.getListener().getDataConnectionConfiguration().getPassiveExernalAddress();
        return external != null && !external.isBlank() && !external.contains(":");
    }

    /** RFC 2428 address family of the control connection: 1 for IPv4, 2 for IPv6. */
    private static int family(FtpIoSession session) {
        return session.getLocalAddress() instanceof InetSocketAddress local
                && local.getAddress() instanceof Inet6Address ? 2 : 1;
    }
}
