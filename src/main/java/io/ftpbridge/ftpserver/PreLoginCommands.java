package io.ftpbridge.ftpserver;

import java.util.Set;
import java.util.function.Supplier;
import org.apache.ftpserver.command.Command;
import org.apache.ftpserver.impl.DefaultFtpRequest;
import org.apache.ftpserver.impl.FtpIoSession;
import org.apache.ftpserver.impl.FtpServerContext;
import org.apache.ftpserver.ipfilter.SessionFilter;
import org.apache.mina.core.filterchain.IoFilterAdapter;
import org.apache.mina.core.session.IoSession;

/**
 * Lets FEAT (RFC 2389 §3: a client may ask before logging in), SYST, HELP and NOOP run before
 * login. MINA's handler answers 530 to every command but USER, PASS, AUTH, PBSZ, PROT and QUIT
 * before it even asks the ftplets, so this filter, added to each new connection's chain (through
 * the listener's {@link SessionFilter} hook), runs those four commands itself while nobody is
 * logged in; everything else passes on unchanged.
 */
final class PreLoginCommands extends IoFilterAdapter implements SessionFilter {

    private static final Set<String> ALLOWED = Set.of("FEAT", "SYST", "HELP", "NOOP");

    private final Supplier<FtpServerContext> context;

    PreLoginCommands(Supplier<FtpServerContext> context) {
        this.context = context;
    }

    @Override
    public boolean accept(IoSession session) {
        session.getFilterChain().addLast("ftpbridge.preLoginCommands", this);
        return true;
    }

    @Override
    public void messageReceived(NextFilter next, IoSession session, Object message) throws Exception {
        FtpServerContext server = context.get();
        if (server != null && message instanceof String line) {
            FtpIoSession ftpSession = new FtpIoSession(session, server);
            DefaultFtpRequest request = new DefaultFtpRequest(line);
            if (!ftpSession.isLoggedIn() && ALLOWED.contains(request.getCommand())) {
                Command command = server.getCommandFactory().getCommand(request.getCommand());
                if (command != null) {
                    ftpSession.updateLastAccessTime();
                    command.execute(ftpSession, server, request);
                    return;
                }
            }
        }
        next.messageReceived(session, message);
    }
}
