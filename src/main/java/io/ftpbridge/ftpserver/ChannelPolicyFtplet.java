package io.ftpbridge.ftpserver;

import io.ftpbridge.security.Cidr;
import java.net.InetAddress;
import java.util.Set;
import org.apache.ftpserver.ftplet.DefaultFtpReply;
import org.apache.ftpserver.ftplet.DefaultFtplet;
import org.apache.ftpserver.ftplet.FtpException;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.ftplet.FtpSession;
import org.apache.ftpserver.ftplet.FtpletResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a data connection must be: protected by TLS (PROT P) before any transfer when the server
 * or the account requires TLS (RFC 4217: 534 to {@code PROT C}, 521 to a transfer), and never
 * aimed by PORT/EPRT at a privileged port (below 1024), where it could talk to a system service, nor
 * (with {@code active-ip-check}) at another host than the client's own: the address a trusted
 * proxy announced, not the proxy's.
 */
final class ChannelPolicyFtplet extends DefaultFtplet {

    private static final Logger log = LoggerFactory.getLogger(ChannelPolicyFtplet.class);
    private static final Set<String> TRANSFERS = Set.of("RETR", "STOR", "STOU", "APPE", "LIST", "NLST", "MLSD");

    private final boolean tlsRequired;
    private final boolean activeIpCheck;

    ChannelPolicyFtplet(boolean tlsRequired, boolean activeIpCheck) {
        this.tlsRequired = tlsRequired;
        this.activeIpCheck = activeIpCheck;
    }

    @Override
    public FtpletResult beforeCommand(FtpSession session, FtpRequest request) throws FtpException {
        String command = request.getCommand();
        if ((command.equals("PORT") || command.equals("EPRT"))
                && !connectionFamily(command, request.getArgument(), ClientAddress.inet(session))) {
            // another network protocol than the connection's: the command answers 522 (RFC 2428)
            return FtpletResult.DEFAULT;
        }
        if (command.equals("PORT") || command.equals("EPRT")) {
            int port = command.equals("PORT") ? portOfPort(request.getArgument()) : portOfEprt(request.getArgument());
            if (port >= 0 && port < 1024) {
                log.info("FTP {} refused: user={} address={} port={} reason=privileged port", command, user(session),
                        address(session), port);
                session.write(new DefaultFtpReply(504, "Data connections to ports below 1024 are not allowed."));
                return FtpletResult.SKIP;
            }
            InetAddress target = command.equals("PORT") ? hostOfPort(request.getArgument()) : hostOfEprt(request.getArgument());
            InetAddress client = ClientAddress.inet(session);
            if (activeIpCheck && target != null && client != null && !target.equals(client)) {
                log.info("FTP {} refused: user={} address={} target={} reason=not the client's address", command,
                        user(session), address(session), target.getHostAddress());
                session.write(new DefaultFtpReply(501, "Data connections must go to your own address."));
                return FtpletResult.SKIP;
            }
            return FtpletResult.DEFAULT;
        }
        if (command.equals("PROT") && "C".equalsIgnoreCase(trim(request.getArgument())) && tlsRequired(session)) {
            session.write(new DefaultFtpReply(534, "Request denied for policy reasons: data connections must be protected (PROT P)."));
            return FtpletResult.SKIP;
        }
        if (TRANSFERS.contains(command) && tlsRequired(session) && !session.getDataConnection().isSecure()) {
            log.info("FTP {} refused: user={} address={} reason=data connection not protected", command,
                    user(session), address(session));
            session.write(new DefaultFtpReply(521, "Data connection cannot be opened with this PROT setting: send PBSZ 0 and PROT P."));
            return FtpletResult.SKIP;
        }
        return FtpletResult.DEFAULT;
    }

    private boolean tlsRequired(FtpSession session) {
        return tlsRequired || session.getUser() instanceof FtpAccount account && account.login().tlsRequired();
    }

    /** Whether PORT (IPv4) or EPRT's protocol field is the control connection's network protocol. */
    static boolean connectionFamily(String command, String argument, InetAddress client) {
        String family = client instanceof java.net.Inet6Address ? "2" : "1";
        if (command.equals("PORT")) {
            return family.equals("1");
        }
        String text = trim(argument);
        if (text.length() < 2) {
            return true; // malformed: the command's own syntax error
        }
        String[] parts = text.substring(1).split(java.util.regex.Pattern.quote(text.substring(0, 1)), -1);
        return parts[0].trim().equals(family);
    }

    /** {@code h1,h2,h3,h4,p1,p2}: the port, or -1 when malformed (MINA then answers the syntax error). */
    static int portOfPort(String argument) {
        String[] parts = trim(argument).split(",");
        if (parts.length != 6) {
            return -1;
        }
        try {
            int high = Integer.parseInt(parts[4].trim());
            int low = Integer.parseInt(parts[5].trim());
            return high < 0 || high > 255 || low < 0 || low > 255 ? -1 : high * 256 + low;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The host of a PORT argument, or null when malformed (MINA then answers the syntax error). */
    static InetAddress hostOfPort(String argument) {
        String[] parts = trim(argument).split(",");
        if (parts.length != 6) {
            return null;
        }
        return literal(String.join(".", java.util.Arrays.stream(parts, 0, 4).map(String::trim).toList()));
    }

    /** The host of an EPRT argument, or null when malformed. */
    static InetAddress hostOfEprt(String argument) {
        String text = trim(argument);
        if (text.length() < 2) {
            return null;
        }
        String[] parts = text.substring(1).split(java.util.regex.Pattern.quote(text.substring(0, 1)), -1);
        return parts.length < 3 ? null : literal(parts[1].trim());
    }

    private static InetAddress literal(String text) {
        try {
            return Cidr.parse(text).network();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** {@code |af|address|port|} with any delimiter: the port, or -1 when malformed. */
    static int portOfEprt(String argument) {
        String text = trim(argument);
        if (text.length() < 2) {
            return -1;
        }
        String[] parts = text.substring(1).split(java.util.regex.Pattern.quote(text.substring(0, 1)), -1);
        if (parts.length < 3) {
            return -1;
        }
        try {
            return Integer.parseInt(parts[2].trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String trim(String argument) {
        return argument == null ? "" : argument.trim();
    }

    private static String user(FtpSession session) {
        return session.getUser() == null ? null : session.getUser().getName();
    }

    private static String address(FtpSession session) {
        return ClientAddress.text(ClientAddress.inet(session));
    }
}
