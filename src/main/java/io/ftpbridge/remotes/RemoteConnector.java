package io.ftpbridge.remotes;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ServerSocketFactory;
import javax.net.SocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.apache.commons.net.ProtocolCommandListener;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPReply;
import org.apache.commons.net.ftp.FTPSClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Opens a logged-in Apache Commons Net client to a remote server in the data mode, TLS mode and
 * transfer type asked for. The pool and transfer jobs both connect through here.
 */
@Component
public class RemoteConnector {

    private static final Logger log = LoggerFactory.getLogger(RemoteConnector.class);

    private final RemoteClientProperties properties;
    private final TrustManager trustManager;

    public RemoteConnector(RemoteClientProperties properties) {
        this.properties = properties;
        this.trustManager = trustManager(properties);
    }

    /** Connects and logs in, as a session of its own (not pooled): closing it disconnects. */
    public RemoteSession open(RemoteSettings remote, DataMode modeOverride, ProtocolCommandListener listener)
            throws IOException {
        return new RemoteSession(remote.name(), connect(remote, modeOverride, listener), remote.transferType(), null);
    }

    /**
     * Connects and logs in.
     *
     * @param modeOverride a data mode to use instead of the remote's, or null
     * @param listener     sees every command and reply from the first one (the welcome), or null
     */
    public FTPClient connect(RemoteSettings remote, DataMode modeOverride, ProtocolCommandListener listener)
            throws IOException {
        DataMode mode = modeOverride != null ? modeOverride : remote.dataMode();
        FTPClient client = newClient(remote.tls(), mode);
        if (client instanceof FTPSClient ftps) {
            // the server's certificate must chain to a trusted CA and name the host we dialled
            ftps.setTrustManager(trustManager);
            ftps.setEndpointCheckingEnabled(true);
            if (properties.tlsProtocols() != null && !properties.tlsProtocols().isEmpty()) {
                ftps.setEnabledProtocols(properties.tlsProtocols().toArray(String[]::new));
            }
        }
        if (listener != null) {
            client.addProtocolCommandListener(listener);
        }
        client.setConnectTimeout((int) remote.connectTimeout().toMillis());
        client.setDefaultTimeout((int) remote.readTimeout().toMillis());
        client.setDataTimeout(remote.readTimeout());
        client.setControlKeepAliveReplyTimeout(remote.readTimeout());
        // stream buffers only: a fixed SO_RCVBUF/SO_SNDBUF turns off the kernel's TCP window
        // autotuning, which caps a busy machine's data connections far below what curl gets
        client.setBufferSize(properties.bufferSize());
        client.setControlEncoding("UTF-8");
        try {
            client.connect(remote.host(), remote.port());
            if (!(client instanceof FTPSClient)) {
                // data sockets (made after the control connection) with channels, so that a
                // DataConnection moves bytes without copying them through the heap
                client.setSocketFactory(ChannelSocketFactory.INSTANCE);
                client.setServerSocketFactory(ChannelServerSocketFactory.INSTANCE);
            }
            client.setSoTimeout((int) remote.readTimeout().toMillis());
            if (!FTPReply.isPositiveCompletion(client.getReplyCode())) {
                throw new RemoteException(remote.name(), "refused the connection: " + client.getReplyString().trim());
            }
            if (client instanceof FTPSClient ftps) {
                ftps.execPBSZ(0);
                ftps.execPROT("P");
            }
            if (!client.login(remote.username(), remote.password())) {
                throw new RemoteException(remote.name(), "refused the login: " + client.getReplyString().trim());
            }
            client.setFileType(remote.transferType() == TransferType.ASCII ? FTP.ASCII_FILE_TYPE : FTP.BINARY_FILE_TYPE);
            applyDataMode(client, mode);
            return client;
        } catch (IOException | RuntimeException e) {
            disconnectQuietly(client);
            throw e;
        }
    }

    /** Switches a connected client to a data mode. */
    public void applyDataMode(FTPClient client, DataMode mode) throws IOException {
        if (client instanceof ModeAware aware) {
            aware.useEprt(mode == DataMode.EPRT);
        }
        if (mode.passive()) {
            client.setUseEPSVwithIPv4(mode == DataMode.EPSV);
            client.enterLocalPassiveMode();
        } else {
            client.enterLocalActiveMode();
            if (properties.activePorts() != null) {
                client.setActivePortRange(properties.activeMinPort(), properties.activeMaxPort());
            }
            if (properties.activeExternalAddress() != null) {
                client.setActiveExternalIPAddress(properties.activeExternalAddress());
            }
        }
    }

    /** The trust store's certificates, or the JVM's default CA list when none is configured. */
    private static TrustManager trustManager(RemoteClientProperties properties) {
        try {
            KeyStore store = null;
            if (properties.trustStore() != null) {
                char[] password = properties.trustStorePassword() == null ? null : properties.trustStorePassword().toCharArray();
                store = KeyStore.getInstance(properties.trustStore().toFile(), password);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager) {
                    return manager;
                }
            }
            throw new IllegalStateException("no X.509 trust manager available");
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("ftpbridge.remotes.trust-store " + properties.trustStore()
                    + " cannot be read: " + e.getMessage(), e);
        }
    }

    public static void disconnectQuietly(FTPClient client) {
        if (client == null || !client.isConnected()) {
            return;
        }
        try {
            client.logout();
        } catch (IOException ignored) {
            // the connection may already be broken; closing it is all that is left
        }
        try {
            client.disconnect();
        } catch (IOException e) {
            log.debug("Disconnect failed: {}", e.toString());
        }
    }

    private static FTPClient newClient(RemoteTls tls, DataMode mode) {
        FTPClient client = switch (tls) {
            case NONE -> new EprtCapableClient();
            case EXPLICIT -> new EprtCapableTlsClient(false);
            case IMPLICIT -> new EprtCapableTlsClient(true);
        };
        ((ModeAware) client).useEprt(mode == DataMode.EPRT);
        return client;
    }

    /** Lets a client send EPRT where Commons Net would send PORT (it picks EPRT only for IPv6). */
    interface ModeAware {
        void useEprt(boolean eprt);
    }

    /** Opens a transfer's data connection (REST, EPSV/PASV or PORT/EPRT, the command) and hands out its socket. */
    interface DataSockets {
        Socket openDataConnection(String command, String arg) throws IOException;
    }

    static final class EprtCapableClient extends FTPClient implements ModeAware, DataSockets {
        private boolean eprt;

        @Override
        public Socket openDataConnection(String command, String arg) throws IOException {
            return _openDataConnection_(command, arg);
        }

        @Override
        public void useEprt(boolean eprt) {
            this.eprt = eprt;
        }

        @Override
        public int port(InetAddress host, int port) throws IOException {
            return eprt ? eprt(host, port) : super.port(host, port);
        }
    }

    static final class EprtCapableTlsClient extends FTPSClient implements ModeAware, DataSockets {
        private boolean eprt;

        @Override
        public Socket openDataConnection(String command, String arg) throws IOException {
            return _openDataConnection_(command, arg);
        }

        EprtCapableTlsClient(boolean implicit) {
            super("TLS", implicit);
        }

        @Override
        public void useEprt(boolean eprt) {
            this.eprt = eprt;
        }

        @Override
        public int port(InetAddress host, int port) throws IOException {
            return eprt ? eprt(host, port) : super.port(host, port);
        }
    }

    /** Plain sockets backed by a {@link SocketChannel} (their streams work as a plain socket's do). */
    static final class ChannelSocketFactory extends SocketFactory {
        static final ChannelSocketFactory INSTANCE = new ChannelSocketFactory();

        @Override
        public Socket createSocket() throws IOException {
            return SocketChannel.open().socket();
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return connected(new InetSocketAddress(host, port), null);
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return connected(new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return connected(new InetSocketAddress(host, port), null);
        }

        @Override
        public Socket createSocket(InetAddress host, int port, InetAddress localHost, int localPort) throws IOException {
            return connected(new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
        }

        private static Socket connected(InetSocketAddress remote, InetSocketAddress local) throws IOException {
            Socket socket = SocketChannel.open().socket();
            try {
                if (local != null) {
                    socket.bind(local);
                }
                socket.connect(remote);
                return socket;
            } catch (IOException | RuntimeException e) {
                socket.close();
                throw e;
            }
        }
    }

    /** Listening sockets for PORT/EPRT whose accepted sockets are backed by a {@link SocketChannel}. */
    static final class ChannelServerSocketFactory extends ServerSocketFactory {
        static final ChannelServerSocketFactory INSTANCE = new ChannelServerSocketFactory();

        @Override
        public ServerSocket createServerSocket() throws IOException {
            return ServerSocketChannel.open().socket();
        }

        @Override
        public ServerSocket createServerSocket(int port) throws IOException {
            return bound(new InetSocketAddress(port), 50);
        }

        @Override
        public ServerSocket createServerSocket(int port, int backlog) throws IOException {
            return bound(new InetSocketAddress(port), backlog);
        }

        @Override
        public ServerSocket createServerSocket(int port, int backlog, InetAddress address) throws IOException {
            return bound(address == null ? new InetSocketAddress(port) : new InetSocketAddress(address, port), backlog);
        }

        private static ServerSocket bound(InetSocketAddress address, int backlog) throws IOException {
            ServerSocket server = ServerSocketChannel.open().socket();
            try {
                server.bind(address, backlog);
                return server;
            } catch (IOException | RuntimeException e) {
                server.close();
                throw e;
            }
        }
    }
}
