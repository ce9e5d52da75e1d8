package io.ftpbridge.remotes;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPCmd;
import org.apache.commons.net.ftp.FTPFile;
import org.apache.commons.net.ftp.FTPReply;
import org.apache.commons.net.io.SocketInputStream;
import org.apache.commons.net.io.SocketOutputStream;

/**
 * One logged-in connection to a remote server and the file operations on it, each with its reply
 * check: what browsing ({@link RemoteFiles}, a pooled client) and transfer jobs (a connection of
 * their own, for a complete transcript) both use. A refused command is a {@link Refused} carrying
 * the server's reply; an {@link IOException} is a broken connection. Closing returns a pooled
 * client (or destroys it once {@link #broken()}) and disconnects an own connection. A pooled client
 * goes back as it came: in the remote's transfer type and working directory, else it is destroyed.
 */
public final class RemoteSession implements AutoCloseable {

    private final String remote;
    private final FTPClient client;
    private final RemoteClientPools.Lease lease;
    private TransferType transferType;
    private RemoteChecksums checksums;
    /** The working directory may not be the login directory any more (a CWD that was not undone). */
    private boolean movedAway;
    /** Set once a pooled client went back to the pool: a late {@link #disconnect()} must not reach it. */
    private boolean released;

    RemoteSession(String remote, FTPClient client, TransferType transferType, RemoteClientPools.Lease lease) {
        this.remote = remote;
        this.client = client;
        this.transferType = transferType;
        this.lease = lease;
    }

    /** A command the server answered with a negative reply; {@link #permanent()} for 5xx. */
    public static final class Refused extends Exception {
        private final String what;
        private final int code;
        private final String reply;

        Refused(String what, int code, String reply) {
            super(what + " refused: " + reply);
            this.what = what;
            this.code = code;
            this.reply = reply;
        }

        /** The command and its argument, e.g. {@code RETR /a/b}. */
        public String what() {
            return what;
        }

        public int code() {
            return code;
        }

        public String reply() {
            return reply;
        }

        /** 5xx: the file's fault, retrying will not help. */
        public boolean permanent() {
            return FTPReply.isNegativePermanent(code);
        }
    }

    public String remote() {
        return remote;
    }

    /** The last reply's text, trimmed. */
    public String reply() {
        return client.getReplyString() == null ? "" : client.getReplyString().trim();
    }

    /** The representation type of the following transfers (in ASCII, bytes sent differ from SIZE). */
    public TransferType transferType() {
        return transferType;
    }

    /** Switches the representation type (TYPE A or TYPE I) for the following transfers. */
    public void transferType(TransferType type) throws IOException {
        if (type != transferType) {
            client.setFileType(type == TransferType.ASCII ? FTP.ASCII_FILE_TYPE : FTP.BINARY_FILE_TYPE);
            transferType = type;
        }
    }

    /**
     * SIZE of a remote file, or -1 when the server will not say (absent, or no SIZE). A 421 is a
     * server going away, not an absent file: it is thrown as a broken connection.
     */
    public long size(String path) throws IOException {
        int code = client.sendCommand("SIZE", path);
        if (code == FTPReply.FILE_STATUS) {
            try {
                return Long.parseLong(reply().substring(4).trim());
            } catch (RuntimeException e) {
                return -1;
            }
        }
        if (code == FTPReply.SERVICE_NOT_AVAILABLE) {
            throw new IOException("server closing: " + reply());
        }
        return -1;
    }

    /**
     * Lists a directory ({@code null}: the current one): MLSD where the server offers MLST, else
     * LIST; without the directory's own and parent entries.
     */
    public List<FTPFile> list(String path) throws IOException, Refused {
        boolean mlsd = client.hasFeature("MLST");
        FTPFile[] files = mlsd ? client.mlistDir(path) : client.listFiles(path);
        if (!FTPReply.isPositiveCompletion(client.getReplyCode())) {
            throw refused("list " + path);
        }
        if (files.length == 0 && !mlsd && path != null) {
            // LIST of a missing path is an empty listing on some servers (vsftpd): is it a directory?
            String here = client.printWorkingDirectory();
            if (!client.changeWorkingDirectory(path)) {
                throw refused("list " + path);
            }
            // relative paths keep meaning what they meant
            movedAway = here == null || !client.changeWorkingDirectory(here);
        }
        return Arrays.stream(files).filter(Objects::nonNull)
                .filter(f -> !f.getName().equals(".") && !f.getName().equals(".."))
                .filter(f -> !ownOrParent(f))
                .toList();
    }

    private static boolean ownOrParent(FTPFile f) {
        String raw = f.getRawListing() == null ? "" : f.getRawListing().toLowerCase(Locale.ROOT);
        return raw.startsWith("type=cdir;") || raw.startsWith("type=pdir;")
                || raw.contains(";type=cdir;") || raw.contains(";type=pdir;");
    }

    /** Starts RETR (after REST when {@code offset > 0}); the stream's end is confirmed by {@link #complete}. */
    public InputStream retrieve(String path, long offset) throws IOException, Refused {
        if (offset > 0) {
            client.setRestartOffset(offset);
        }
        InputStream in = client.retrieveFileStream(path);
        if (in == null) {
            throw refused("RETR " + path);
        }
        return in;
    }

    /** Starts STOR (after REST when {@code offset > 0}); the stream's end is confirmed by {@link #complete}. */
    public OutputStream store(String path, long offset) throws IOException, Refused {
        if (offset > 0) {
            client.setRestartOffset(offset);
        }
        OutputStream out = client.storeFileStream(path);
        if (out == null) {
            throw refused("STOR " + path);
        }
        return out;
    }

    /** Starts APPE; the stream's end is confirmed by {@link #complete}. */
    public OutputStream append(String path) throws IOException, Refused {
        OutputStream out = client.appendFileStream(path);
        if (out == null) {
            throw refused("APPE " + path);
        }
        return out;
    }

    /**
     * Starts RETR (after REST when {@code offset > 0}) for a transfer in large chunks; the end is
     * confirmed by {@link #complete} after closing the connection.
     */
    public DataConnection retrieveData(String path, long offset) throws IOException, Refused {
        if (transferType != TransferType.BINARY) {
            return DataConnection.ofStream(retrieve(path, offset)); // ASCII: the client converts line ends
        }
        Socket socket = openData(FTPCmd.RETR, path, offset);
        DataConnection data = DataConnection.ofChannel(socket, dataTimeoutMillis());
        return data != null ? data : DataConnection.ofStream(new SocketInputStream(socket, socket.getInputStream()));
    }

    /** As {@link #retrieveData}, for STOR (after REST when {@code offset > 0}), or APPE when {@code append}. */
    public DataConnection storeData(String path, long offset, boolean append) throws IOException, Refused {
        if (transferType != TransferType.BINARY) {
            return DataConnection.ofStream(append ? append(path) : store(path, offset));
        }
        Socket socket = openData(append ? FTPCmd.APPE : FTPCmd.STOR, path, append ? 0 : offset);
        DataConnection data = DataConnection.ofChannel(socket, dataTimeoutMillis());
        return data != null ? data : DataConnection.ofStream(new SocketOutputStream(socket, socket.getOutputStream()));
    }

    private Socket openData(FTPCmd command, String path, long offset) throws IOException, Refused {
        if (offset > 0) {
            client.setRestartOffset(offset);
        }
        Socket socket = ((RemoteConnector.DataSockets) client).openDataConnection(command.getCommand(), path);
        if (socket == null) {
            throw refused(command.getCommand() + " " + path);
        }
        return socket;
    }

    private long dataTimeoutMillis() {
        Duration timeout = client.getDataTimeout();
        return timeout == null || timeout.isNegative() ? 0 : timeout.toMillis();
    }

    /** Reads the reply that ends a transfer started by retrieve, store or append (its stream closed). */
    public void complete(String what) throws IOException, Refused {
        if (!client.completePendingCommand()) {
            throw refused(what);
        }
    }

    public void mkdir(String path) throws IOException, Refused {
        if (!client.makeDirectory(path)) {
            throw refused("MKD " + path);
        }
    }

    public void rmdir(String path) throws IOException, Refused {
        if (!client.removeDirectory(path)) {
            throw refused("RMD " + path);
        }
    }

    public void rename(String from, String to) throws IOException, Refused {
        if (!client.rename(from, to)) {
            throw refused("RNTO " + to);
        }
    }

    public void delete(String path) throws IOException, Refused {
        if (!client.deleteFile(path)) {
            throw refused("DELE " + path);
        }
    }

    /** The server's checksum of {@code path} (HASH, XMD5, XCRC or MD5, what it offers), or null. */
    public RemoteChecksums.RemoteChecksum checksum(String path) throws IOException {
        if (checksums == null) {
            checksums = new RemoteChecksums(client);
        }
        return checksums.remoteChecksum(path);
    }

    /** Marks the connection unusable: a pooled client is destroyed instead of returned. */
    public void broken() {
        if (lease != null) {
            lease.broken();
        }
    }

    /**
     * Closes the control connection at once (another thread's cancel); blocked reads on it fail. Does
     * nothing once the session gave its pooled client back, which may already serve someone else.
     */
    public void disconnect() {
        synchronized (this) {
            if (released) {
                return;
            }
            try {
                client.disconnect(); // no QUIT: the control connection may be busy with another thread's command
            } catch (IOException | RuntimeException ignored) {
                // already closed
            }
        }
    }

    @Override
    public void close() {
        if (lease == null) {
            RemoteConnector.disconnectQuietly(client);
            return;
        }
        if (movedAway) {
            lease.broken();
        } else if (!lease.isBroken() && transferType != lease.settings().transferType()) {
            try { // the next holder expects the remote's type
                if (!client.setFileType(lease.settings().transferType() == TransferType.ASCII ? FTP.ASCII_FILE_TYPE
                        : FTP.BINARY_FILE_TYPE)) {
                    lease.broken();
                }
            } catch (IOException | RuntimeException e) {
                lease.broken();
            }
        }
        synchronized (this) {
            released = true;
        }
        lease.close();
    }

    private Refused refused(String what) {
        return new Refused(what, client.getReplyCode(), reply());
    }
}
