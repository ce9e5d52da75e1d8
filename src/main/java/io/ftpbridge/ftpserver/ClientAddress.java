package io.ftpbridge.ftpserver;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.apache.ftpserver.ftplet.FtpSession;
import org.apache.mina.core.session.IoSession;

/**
 * The FTP client's address: the one a trusted proxy announced in its PROXY header, otherwise the
 * control connection's peer. Everything that decides or logs by address asks here, never
 * {@code getRemoteAddress()}.
 */
public final class ClientAddress {

    /** Session attribute set by {@link ProxyProtocolFilter}. */
    static final String ATTRIBUTE = "ftpbridge.clientAddress";

    private ClientAddress() {
    }

    public static InetSocketAddress of(IoSession session) {
        if (session.getAttribute(ATTRIBUTE) instanceof InetSocketAddress announced) {
            return announced;
        }
        return session.getRemoteAddress() instanceof InetSocketAddress inet ? inet : null;
    }

    public static InetSocketAddress of(FtpSession session) {
        if (session.getAttribute(ATTRIBUTE) instanceof InetSocketAddress announced) {
            return announced;
        }
        return session.getClientAddress();
    }

    static InetAddress inet(IoSession session) {
        InetSocketAddress address = of(session);
        return address == null ? null : address.getAddress();
    }

    static InetAddress inet(FtpSession session) {
        InetSocketAddress address = of(session);
        return address == null ? null : address.getAddress();
    }

    /** The address as logs and the defender write it, {@code ?} when unknown. */
    static String text(InetAddress address) {
        return address == null ? "?" : address.getHostAddress();
    }

    /** {@code ip:port} as the sessions list shows it. */
    static String withPort(InetSocketAddress address) {
        return address == null || address.getAddress() == null ? "?"
                : address.getAddress().getHostAddress() + ":" + address.getPort();
    }
}
