package io.ftpbridge.ftpserver;

import java.net.InetAddress;
import java.util.List;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.filterchain.IoFilterAdapter;
import org.apache.mina.core.session.IdleStatus;
import org.apache.mina.core.session.IoSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.ftpbridge.security.Cidr;

/**
 * First in a control connection's filter chain when {@code ftpbridge.ftp.proxy-protocol} is on: a
 * connection from a trusted proxy must begin with a PROXY header (v1 or v2), whose client address
 * is then the session's {@link ClientAddress}; MINA sees the connection opened only once the header
 * is in. A connection from elsewhere is refused when the protocol is required, and served as it is
 * when optional, unless it sends a PROXY header itself (a spoof). A malformed header, or none from a
 * proxy, closes the connection with one log line.
 */
final class ProxyProtocolFilter extends IoFilterAdapter {

    private static final Logger log = LoggerFactory.getLogger(ProxyProtocolFilter.class);
    private static final String STATE = "ftpbridge.proxy.state";
    private static final String BUFFER = "ftpbridge.proxy.buffer";
    /** How long a proxy has to send its header. */
    private static final int HEADER_SECONDS = 10;

    private enum State { AWAITING_HEADER, WATCHING_FOR_SPOOF, PASSING }

    private final FtpProperties.ProxyProtocol mode;
    private final List<Cidr> trusted;

    ProxyProtocolFilter(FtpProperties.ProxyProtocol mode, List<Cidr> trusted) {
        this.mode = mode;
        this.trusted = trusted;
    }

    static boolean trusted(List<Cidr> trusted, InetAddress address) {
        return trusted.stream().anyMatch(cidr -> cidr.contains(address));
    }

    @Override
    public void sessionOpened(NextFilter next, IoSession session) throws Exception {
        InetAddress peer = peer(session);
        if (trusted(trusted, peer)) {
            session.setAttribute(STATE, State.AWAITING_HEADER);
            session.getConfig().setIdleTime(IdleStatus.READER_IDLE, HEADER_SECONDS);
            return; // opened for MINA once the header is in
        }
        if (mode == FtpProperties.ProxyProtocol.REQUIRED) {
            log.warn("FTP connection refused: address={} reason=not a trusted proxy (PROXY protocol required)",
                    ClientAddress.text(peer));
            session.closeNow();
            return;
        }
        session.setAttribute(STATE, State.WATCHING_FOR_SPOOF);
        next.sessionOpened(session);
    }

    @Override
    public void messageReceived(NextFilter next, IoSession session, Object message) throws Exception {
        Object state = session.getAttribute(STATE);
        if (state == State.PASSING || !(message instanceof IoBuffer buffer)) {
            next.messageReceived(session, message);
            return;
        }
        if (state == State.WATCHING_FOR_SPOOF) {
            byte[] first = new byte[Math.min(buffer.remaining(), 12)];
            buffer.duplicate().get(first);
            if (ProxyHeader.mayStartHeader(first, first.length) && first.length >= 6) {
                log.warn("FTP connection closed: address={} reason=PROXY header from an address not in trusted-proxies",
                        ClientAddress.text(peer(session)));
                session.closeNow();
                return;
            }
            session.setAttribute(STATE, State.PASSING);
            next.messageReceived(session, message);
            return;
        }
        if (state != State.AWAITING_HEADER) {
            return; // closing
        }
        IoBuffer pending = (IoBuffer) session.getAttribute(BUFFER);
        if (pending == null) {
            pending = IoBuffer.allocate(256).setAutoExpand(true);
            session.setAttribute(BUFFER, pending);
        }
        pending.put(buffer);
        byte[] bytes = new byte[pending.position()];
        pending.duplicate().flip().get(bytes);
        ProxyHeader.Result header = ProxyHeader.parse(bytes, bytes.length);
        switch (header.status()) {
            case INCOMPLETE -> {
            }
            case INVALID -> {
                session.setAttribute(STATE, null);
                log.warn("FTP connection closed: address={} reason=malformed PROXY header ({})",
                        ClientAddress.text(peer(session)), header.problem());
                session.closeNow();
            }
            case COMPLETE -> {
                session.removeAttribute(BUFFER);
                session.setAttribute(STATE, State.PASSING);
                session.getConfig().setIdleTime(IdleStatus.READER_IDLE, 0);
                if (header.source() != null) {
                    session.setAttribute(ClientAddress.ATTRIBUTE, header.source());
                }
                next.sessionOpened(session);
                if (bytes.length > header.length()) {
                    IoBuffer rest = IoBuffer.wrap(bytes, header.length(), bytes.length - header.length());
                    next.messageReceived(session, rest);
                }
            }
            default -> throw new IllegalStateException();
        }
    }

    @Override
    public void sessionIdle(NextFilter next, IoSession session, IdleStatus status) throws Exception {
        if (session.getAttribute(STATE) == State.AWAITING_HEADER) {
            session.setAttribute(STATE, null);
            log.warn("FTP connection closed: address={} reason=no PROXY header within {}s", ClientAddress.text(peer(session)),
                    HEADER_SECONDS);
            session.closeNow();
            return;
        }
        next.sessionIdle(session, status);
    }

    private static InetAddress peer(IoSession session) {
        return session.getRemoteAddress() instanceof java.net.InetSocketAddress inet ? inet.getAddress() : null;
    }
}
