package io.ftpbridge.ftpserver;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.channels.SocketChannel;
import java.util.List;
import javax.net.ssl.SSLSocket;
import io.ftpbridge.security.Cidr;
import org.apache.ftpserver.DataConnectionConfiguration;
import org.apache.ftpserver.DataConnectionException;
import org.apache.ftpserver.ftplet.DataConnection;
import org.apache.ftpserver.ftplet.FtpSession;
import org.apache.ftpserver.impl.FtpIoSession;
import org.apache.ftpserver.impl.IODataConnection;
import org.apache.ftpserver.impl.ServerDataConnectionFactory;
import org.apache.ftpserver.ssl.ClientAuth;
import org.apache.ftpserver.ssl.SslConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session's data connections. Passive ones are accepted here rather than by MINA, whose passive
 * IP check, on a connection from a stranger, drops the user's transfer as well: here a connection
 * from another address than the control connection's is closed and the wait goes on for the
 * user's own. Active ones (PORT/EPRT) are connected here too, as MINA would. Both are sockets of
 * NIO channels, and {@link #openConnection()} hands out a {@link DataSocket}: binary transfers
 * then copy with sendfile(2) and direct buffers ({@link DataTransfer}), and ABOR reaches the
 * socket without reflection. The passive port is released as soon as the transfer ends, another
 * PASV/EPSV/PORT replaces it, or the session closes.
 */
final class SameClientDataConnectionFactory implements ServerDataConnectionFactory {

    private static final Logger log = LoggerFactory.getLogger(SameClientDataConnectionFactory.class);

    private final FtpIoSession session;
    private final boolean ipCheck;
    /** Passive connections from these carry a PROXY header naming the client (empty: the PROXY protocol is off). */
    private final List<Cidr> trustedProxies;
    private final PassivePortRange passivePorts;
    private InetAddress serverControlAddress;
    private ServerSocket listening;
    /** An active connection on its way (closed by ABOR or a closing session while it connects). */
    private SocketChannel connecting;
    private Socket socket;
    private InetAddress address;
    private int port;
    private boolean passive;
    private boolean secure;
    private boolean zip;
    private long requestTime;

    SameClientDataConnectionFactory(FtpIoSession session, boolean ipCheck,
                                    List<Cidr> trustedProxies, PassivePortRange passivePorts) {
        this.session = session;
        this.passivePorts = passivePorts;
        this.trustedProxies = trustedProxies;
        this.ipCheck = ipCheck;
        this.secure = session.getListener() != null
                && session.getListener().getDataConnectionConfiguration().isImplicitSsl();
    }

    @Override
    public synchronized void closeDataConnection() {
        if (socket != null) {
            // a sendfile(2) in progress is woken by the shutdown, not by the close
            shutdown(socket);
            closeQuietly(socket);
            socket = null;
        }
        if (listening != null) {
            closeQuietly(listening);
            listening = null;
        }
        if (connecting != null) {
            closeQuietly(connecting);
            connecting = null;
        }
        requestTime = 0L;
    }

    /**
     * Ends both directions of a data socket at once: a thread blocked reading sees the end of the
     * stream, one blocked writing (sendfile too) an error, the client a closed connection. The
     * socket itself stays open until {@link #closeDataConnection()}, so its descriptor cannot be
     * reused under a copy still running. A TLS socket (no shutdown) is closed.
     */
    static void shutdown(Socket socket) {
        SocketChannel channel = socket instanceof SSLSocket ? null : socket.getChannel();
        if (channel == null) {
            closeQuietly(socket);
            return;
        }
        try {
            channel.shutdownInput();
            channel.shutdownOutput();
        } catch (IOException e) {
            // already closed or reset: nothing left to end
        }
    }

    @Override
    public synchronized void initActiveDataConnection(InetSocketAddress address) {
        closeDataConnection();
        passive = false;
        this.address = address.getAddress();
        this.port = address.getPort();
        requestTime = System.currentTimeMillis();
    }

    @Override
    public synchronized InetSocketAddress initPassiveDataConnection() throws DataConnectionException {
        closeDataConnection();
        DataConnectionConfiguration configuration = configuration();
        try {
            InetAddress bind = configuration.getPassiveAddress() == null ? serverControlAddress
                    : InetAddress.getByName(configuration.getPassiveAddress());
            listening = passivePorts.bind(bind);
            if (listening == null) {
                throw new DataConnectionException("Cannot find an available passive port.");
            }
            port = listening.getLocalPort();
            address = bind;
            listening.setSoTimeout(configuration.getIdleTime() * 1000);
            passive = true;
            requestTime = System.currentTimeMillis();
            return new InetSocketAddress(address, port);
        } catch (IOException e) {
            closeDataConnection();
            throw new DataConnectionException("Failed to open a passive data connection: " + e.getMessage(), e);
        }
    }

    @Override
    public DataConnection openConnection() throws Exception {
        boolean accept;
        synchronized (this) {
            accept = passive;
        }
        Socket opened = accept ? acceptFromClient() : connectToClient();
        return new DataSocket(opened, new IODataConnection(opened, session, this));
    }

    /**
     * An open data connection: MINA's stream copy (listings, ASCII, MODE Z) and the socket itself,
     * for {@link DataTransfer}'s own copy and for ABOR.
     */
    record DataSocket(Socket socket, DataConnection streams) implements DataConnection {

        /** The socket's channel, when the bytes may go through it unchanged (not TLS). */
        SocketChannel channel() {
            return socket instanceof SSLSocket ? null : socket.getChannel();
        }

        @Override
        public long transferFromClient(FtpSession session, OutputStream out) throws IOException {
            return streams.transferFromClient(session, out);
        }

        @Override
        public long transferToClient(FtpSession session, InputStream in) throws IOException {
            return streams.transferToClient(session, in);
        }

        @Override
        public void transferToClient(FtpSession session, String str) throws IOException {
            streams.transferToClient(session, str);
        }
    }

    /** PORT/EPRT: connects to the client from the control connection's address (or the configured active one). */
    private Socket connectToClient() throws Exception {
        InetSocketAddress target;
        SocketChannel channel = SocketChannel.open();
        synchronized (this) {
            if (address == null) {
                closeQuietly(channel);
                throw new DataConnectionException("No active data connection was prepared.");
            }
            target = new InetSocketAddress(address, port);
            connecting = channel;
        }
        DataConnectionConfiguration configuration = configuration();
        try {
            InetAddress local = configuration.getActiveLocalAddress() != null
                    ? InetAddress.getByName(configuration.getActiveLocalAddress())
                    : ((InetSocketAddress) session.getLocalAddress()).getAddress();
            Socket plain = channel.socket();
            plain.setReuseAddress(true);
            plain.bind(new InetSocketAddress(local, configuration.getActiveLocalPort()));
            plain.connect(target, Math.max(1, configuration.getIdleTime()) * 1000);
            Socket connected = isSecure() ? handshake(plain) : plain;
            connected.setSoTimeout(configuration.getIdleTime() * 1000);
            synchronized (this) {
                if (connecting != channel) {
                    throw new SocketException("data connection closed while connecting");
                }
                connecting = null;
                socket = connected;
            }
            return connected;
        } catch (Exception e) {
            closeQuietly(channel);
            closeDataConnection();
            throw e;
        }
    }

    /**
     * Reads the PROXY header a trusted proxy sends first on a passive data connection, byte by byte
     * so that no data is consumed: the client's address, or null when the header is malformed or
     * missing. A header speaking for the proxy itself (LOCAL) names no client: also null.
     */
    private static InetAddress proxiedClient(Socket socket, long deadline) throws IOException {
        byte[] header = new byte[16 + 1024];
        int length = 0;
        int timeout = socket.getSoTimeout();
        socket.setSoTimeout((int) Math.max(1, Math.min(10_000, deadline - System.currentTimeMillis())));
        try {
            java.io.InputStream in = socket.getInputStream();
            while (length < header.length) {
                int b = in.read();
                if (b < 0) {
                    return null;
                }
                header[length++] = (byte) b;
                ProxyHeader.Result result = ProxyHeader.parse(header, length);
                if (result.status() == ProxyHeader.Status.COMPLETE) {
                    return result.source() == null ? null : result.source().getAddress();
                }
                if (result.status() == ProxyHeader.Status.INVALID) {
                    return null;
                }
            }
            return null;
        } catch (SocketTimeoutException e) {
            return null;
        } finally {
            socket.setSoTimeout(timeout);
        }
    }

    /** Not synchronized while waiting, so that ABOR or a closing session can close the listening socket. */
    private Socket acceptFromClient() throws Exception {
        ServerSocket listening;
        synchronized (this) {
            listening = this.listening;
        }
        if (listening == null) {
            throw new DataConnectionException("No passive data connection was prepared.");
        }
        InetAddress client = ClientAddress.inet(session);
        DataConnectionConfiguration configuration = configuration();
        long deadline = System.currentTimeMillis() + Math.max(1, configuration.getIdleTime()) * 1000L;
        try {
            Socket accepted;
            while (true) {
                accepted = listening.accept();
                InetAddress from = accepted.getInetAddress();
                if (ProxyProtocolFilter.trusted(trustedProxies, from)) {
                    from = proxiedClient(accepted, deadline);
                }
                if (from != null && (!ipCheck || from.equals(client))) {
                    break;
                }
                log.warn("FTP data connection refused: user={} address={} expected={} port={} reason={}",
                        session.getUser() == null ? null : session.getUser().getName(),
                        accepted.getInetAddress().getHostAddress() + (from == null || from.equals(accepted.getInetAddress())
                                ? "" : " (for " + from.getHostAddress() + ")"),
                        client.getHostAddress(), port, from == null ? "malformed PROXY header" : "not the client's address");
                closeQuietly(accepted);
                int left = (int) (deadline - System.currentTimeMillis());
                if (left <= 0) {
                    throw new SocketTimeoutException("no data connection from the client");
                }
                listening.setSoTimeout(left);
            }
            Socket connected = isSecure() ? handshake(accepted) : accepted;
            connected.setSoTimeout(configuration.getIdleTime() * 1000);
            synchronized (this) {
                socket = connected;
            }
            return connected;
        } catch (Exception e) {
            closeDataConnection();
            throw e;
        }
    }

    private Socket handshake(Socket plain) throws Exception {
        SslConfiguration ssl = configuration().getSslConfiguration() != null ? configuration().getSslConfiguration()
                : session.getListener().getSslConfiguration();
        if (ssl == null) {
            throw new DataConnectionException("Data connection SSL required but not configured.");
        }
        SSLSocket tls = (SSLSocket) ssl.getSocketFactory().createSocket(plain, plain.getInetAddress().getHostAddress(),
                plain.getPort(), true);
        tls.setUseClientMode(false);
        if (ssl.getClientAuth() == ClientAuth.NEED) {
            tls.setNeedClientAuth(true);
        } else if (ssl.getClientAuth() == ClientAuth.WANT) {
            tls.setWantClientAuth(true);
        }
        if (ssl.getEnabledCipherSuites() != null) {
            tls.setEnabledCipherSuites(ssl.getEnabledCipherSuites());
        }
        if (ssl.getEnabledProtocols() != null) {
            tls.setEnabledProtocols(ssl.getEnabledProtocols());
        }
        tls.startHandshake();
        return tls;
    }

    private DataConnectionConfiguration configuration() {
        return session.getListener().getDataConnectionConfiguration();
    }

    @Override
    public synchronized boolean isTimeout(long now) {
        int idle = configuration().getIdleTime() * 1000;
        return requestTime != 0L && socket == null && idle != 0 && now - requestTime >= idle;
    }

    @Override
    public void dispose() {
        closeDataConnection();
    }

    @Override
    public synchronized void setServerControlAddress(InetAddress serverControlAddress) {
        this.serverControlAddress = serverControlAddress;
    }

    @Override
    public synchronized void setSecure(boolean secure) {
        this.secure = secure;
    }

    @Override
    public synchronized boolean isSecure() {
        return secure;
    }

    @Override
    public synchronized void setZipMode(boolean zip) {
        this.zip = zip;
    }

    @Override
    public synchronized boolean isZipMode() {
        return zip;
    }

    @Override
    public synchronized InetAddress getInetAddress() {
        return address;
    }

    @Override
    public synchronized int getPort() {
        return port;
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // closing what is no longer needed: nothing to do about a failure
        }
    }
}
