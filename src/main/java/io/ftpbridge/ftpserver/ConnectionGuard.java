package io.ftpbridge.ftpserver;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import io.ftpbridge.security.Cidr;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.ftpserver.ftplet.DefaultFtpReply;
import org.apache.ftpserver.ftplet.FtpReply;
import org.apache.ftpserver.impl.FtpIoSession;
import org.apache.ftpserver.impl.FtpServerContext;
import org.apache.ftpserver.ipfilter.SessionFilter;
import org.apache.mina.core.filterchain.IoFilterAdapter;
import org.apache.mina.core.filterchain.IoFilterChain;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.core.write.WriteToClosedSessionException;
import org.apache.mina.filter.codec.ProtocolDecoderException;
import org.apache.mina.filter.codec.RecoverableProtocolDecoderException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Control connections before and around login: at most {@code max-connections-per-address} from
 * one address and {@code max-unauthenticated-connections} not logged in (more are answered 421 and
 * closed), and {@code login-timeout} to log in, however many commands arrive meanwhile. It also
 * answers what MINA would log at length: an over-long or undecodable command line (whose bytes,
 * a password perhaps, are never logged) and a connection reset, each one log line.
 */
final class ConnectionGuard implements SessionFilter, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConnectionGuard.class);
    private static final String REFUSAL = "ftpbridge.refusal";
    private static final Path EPHEMERAL_PORTS = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    private static final String LOGIN_TIMER = "ftpbridge.loginTimer";
    /** Where MINA's session looks for its data connection factory before making its own. */
    private static final String DATA_CONNECTION = FtpIoSession.ATTRIBUTE_PREFIX + "data-connection";

    private final FtpProperties properties;
    private volatile FtpServerContext context;
    private final Set<IoSession> open = ConcurrentHashMap.newKeySet();
    private final PerSession perSession = new PerSession();
    /** Null when the PROXY protocol is off. */
    private final ProxyProtocolFilter proxyProtocol;
    private final List<Cidr> trustedProxies;
    private final PassivePortRange passivePorts;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "ftp-login-timeout");
        thread.setDaemon(true);
        return thread;
    });

    ConnectionGuard(FtpProperties properties) {
        this.properties = properties;
        this.trustedProxies = properties.trustedProxyNetworks();
        this.passivePorts = new PassivePortRange(properties.passivePorts());
        long clashing = passivePorts.inEphemeralRange(EPHEMERAL_PORTS);
        if (clashing > 0) {
            log.warn("Passive ports overlap the kernel's ephemeral range: ports={} overlapping={} range={}: outgoing connections "
                    + "of this host can hold them; choose ports outside net.ipv4.ip_local_port_range",
                    properties.passivePorts(), clashing, EPHEMERAL_PORTS);
        }
        this.proxyProtocol = properties.proxyProtocol() == FtpProperties.ProxyProtocol.OFF ? null
                : new ProxyProtocolFilter(properties.proxyProtocol(), trustedProxies);
    }

    /** Called by MINA as each connection is created, before anything is sent to it. */
    @Override
    public boolean accept(IoSession session) {
        open.add(session);
        IoFilterChain chain = session.getFilterChain();
        if (proxyProtocol != null) {
            chain.addFirst("ftpbridgeProxyProtocol", proxyProtocol);
        }
        if (chain.contains("codec")) {
            chain.addAfter("codec", "ftpbridgeGuard", perSession);
        } else {
            chain.addLast("ftpbridgeGuard", perSession);
        }
        return true;
    }

    /**
     * Decided when the connection opens, once its client's address is known (after a PROXY header):
     * the connections of the same address and those not logged in are counted then.
     */
    private synchronized String refusal(IoSession session) {
        InetAddress address = address(session);
        long fromAddress = open.stream().filter(s -> s != session && !refused(s) && address != null
                && address.equals(address(s))).count();
        long unauthenticated = open.stream().filter(s -> s != session && !refused(s) && !loggedIn(s)).count();
        String refusal = null;
        if (fromAddress >= properties.maxConnectionsPerAddress()) {
            refusal = "Too many connections from your address; try again later.";
        } else if (unauthenticated >= properties.maxUnauthenticatedConnections()) {
            refusal = "Too many connections waiting to log in; try again later.";
        }
        if (refusal != null) {
            session.setAttribute(REFUSAL, refusal);
        }
        return refusal;
    }

    /** The server these connections belong to, known once MINA has created it. */
    void serving(FtpServerContext context) {
        this.context = context;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    private void armLoginTimer(IoSession session) {
        try {
            session.setAttribute(LOGIN_TIMER, timer.schedule(() -> expireLogin(session),
                    properties.loginTimeout().toMillis(), TimeUnit.MILLISECONDS));
        } catch (RejectedExecutionException e) {
            // the server is stopping: every session is about to close anyway
        }
    }

    private void expireLogin(IoSession session) {
        if (session.isConnected() && !session.isClosing() && !loggedIn(session)) {
            log.info("FTP connection closed: address={} reason=not logged in within {}", text(address(session)),
                    properties.loginTimeout());
            session.write(new DefaultFtpReply(FtpReply.REPLY_421_SERVICE_NOT_AVAILABLE_CLOSING_CONTROL_CONNECTION,
                    "Login timeout; closing control connection."));
            session.closeOnFlush();
        }
    }

    private final class PerSession extends IoFilterAdapter {

        @Override
        public void sessionOpened(NextFilter next, IoSession session) throws Exception {
            String refusal = refusal(session);
            if (refusal != null) {
                log.info("FTP connection refused: address={} reason={}", text(address(session)), refusal);
                session.write(new DefaultFtpReply(FtpReply.REPLY_421_SERVICE_NOT_AVAILABLE_CLOSING_CONTROL_CONNECTION,
                        refusal));
                session.closeOnFlush();
                return;
            }
            FtpIoSession ftpSession = new FtpIoSession(session, context);
            SameClientDataConnectionFactory data = new SameClientDataConnectionFactory(ftpSession,
                    properties.passiveIpCheck(), properties.proxyProtocol() == FtpProperties.ProxyProtocol.OFF ? List.of()
                    : trustedProxies, passivePorts);
            data.setServerControlAddress(((InetSocketAddress) session.getLocalAddress()).getAddress());
            session.setAttribute(DATA_CONNECTION, data);
            armLoginTimer(session);
            next.sessionOpened(session);
        }

        @Override
        public void messageReceived(NextFilter next, IoSession session, Object message) throws Exception {
            next.messageReceived(session, message);
            // the command has run: a session logged out again (REIN) gets a new login timeout
            if (!loggedIn(session) && session.getAttribute(LOGIN_TIMER) instanceof ScheduledFuture<?> timer
                    && timer.isDone()) {
                armLoginTimer(session);
            }
        }

        @Override
        public void sessionClosed(NextFilter next, IoSession session) throws Exception {
            open.remove(session);
            if (session.getAttribute(LOGIN_TIMER) instanceof ScheduledFuture<?> pending) {
                pending.cancel(false);
            }
            next.sessionClosed(session);
        }

        @Override
        public void exceptionCaught(NextFilter next, IoSession session, Throwable cause) throws Exception {
            String user = user(session);
            if (cause instanceof RecoverableProtocolDecoderException) {
                // the line was discarded up to its end: the session goes on
                log.info("FTP command refused: user={} address={} reason=command line too long", user,
                        text(address(session)));
                session.write(new DefaultFtpReply(FtpReply.REPLY_500_SYNTAX_ERROR_COMMAND_UNRECOGNIZED,
                        "Command line too long."));
            } else if (cause instanceof ProtocolDecoderException) {
                log.info("FTP command refused: user={} address={} reason={}", user, text(address(session)),
                        cause.getCause() instanceof CharacterCodingException ? "not UTF-8" : "undecodable");
                session.write(new DefaultFtpReply(FtpReply.REPLY_501_SYNTAX_ERROR_IN_PARAMETERS_OR_ARGUMENTS,
                        "Invalid character in command."));
            } else if (cause instanceof WriteToClosedSessionException) {
                log.info("FTP connection closed by the client before a reply: user={} address={}", user,
                        text(address(session)));
                session.closeNow();
            } else if (cause instanceof IOException) {
                log.info("FTP connection lost: user={} address={} error={}", user, text(address(session)),
                        cause.getClass().getSimpleName() + ": " + cause.getMessage());
                session.closeNow();
            } else {
                next.exceptionCaught(session, cause);
            }
        }
    }

    private static boolean refused(IoSession session) {
        return session.containsAttribute(REFUSAL);
    }

    private static boolean loggedIn(IoSession session) {
        return new FtpIoSession(session, null).isLoggedIn();
    }

    private static String user(IoSession session) {
        FtpIoSession ftp = new FtpIoSession(session, null);
        return ftp.getUser() != null ? ftp.getUser().getName() : ftp.getUserArgument();
    }

    private static InetAddress address(IoSession session) {
        return ClientAddress.inet(session);
    }

    private static String text(InetAddress address) {
        return address == null ? "?" : address.getHostAddress();
    }
}
