package io.ftpbridge.ftpserver;

import io.ftpbridge.security.IpLists;
import io.ftpbridge.security.LoginGuard;
import io.ftpbridge.security.Protocol;
import io.ftpbridge.storage.InvalidPathException;
import io.ftpbridge.storage.Access;
import io.ftpbridge.storage.UserFileSystem;
import org.apache.ftpserver.ftplet.DefaultFtpReply;
import org.apache.ftpserver.ftplet.DefaultFtplet;
import org.apache.ftpserver.ftplet.FtpException;
import org.apache.ftpserver.ftplet.FtpReply;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.ftplet.FtpSession;
import org.apache.ftpserver.ftplet.FtpletResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-session bookkeeping MINA leaves to ftplets: refuses connections from an address the
 * {@link LoginGuard} has locked out (PASS counts the failures), refuses commands whose
 * {@link Access} storage does not allow at their path with 550 (MINA would send an empty listing
 * or a 450), and remembers each session's last command for the sessions API.
 */
final class SessionGuardFtplet extends DefaultFtplet {

    static final String LAST_COMMAND = "ftpbridge.lastCommand";

    private static final Logger log = LoggerFactory.getLogger(SessionGuardFtplet.class);

    private final LoginGuard logins;
    private final IpLists ipLists;

    SessionGuardFtplet(LoginGuard logins, IpLists ipLists) {
        this.logins = logins;
        this.ipLists = ipLists;
    }

    @Override
    public FtpletResult onConnect(FtpSession session) throws FtpException {
        String address = address(session);
        if (ipLists.denies(Protocol.FTP, ClientAddress.inet(session))) {
            log.info("FTP connection refused: address={} reason=denied by IP list", address);
            session.write(new DefaultFtpReply(FtpReply.REPLY_421_SERVICE_NOT_AVAILABLE_CLOSING_CONTROL_CONNECTION,
                    "Connections from your address are not accepted."));
            return FtpletResult.DISCONNECT;
        }
        if (logins.lockedFor(Protocol.FTP, address).isPresent()) {
            log.info("FTP connection refused: address={} reason=too many failed logins", address);
            session.write(new DefaultFtpReply(FtpReply.REPLY_421_SERVICE_NOT_AVAILABLE_CLOSING_CONTROL_CONNECTION,
                    "Too many failed logins from your address; try again later."));
            return FtpletResult.DISCONNECT;
        }
        return FtpletResult.DEFAULT;
    }

    @Override
    public FtpletResult beforeCommand(FtpSession session, FtpRequest request) throws FtpException {
        String command = request.getCommand();
        session.setAttribute(LAST_COMMAND, command.equals("PASS") ? "PASS ****" : request.getRequestLine());
        switch (command) {
            case "SIZE", "MLST" -> {
                return refuseWithout(session, request, Access.METADATA);
            }
            case "MD5", "MMD5" -> {
                return refuseWithout(session, request, Access.CHECKSUM);
            }
            case "STAT" -> {
                return request.getArgument() == null ? FtpletResult.DEFAULT : refuseWithout(session, request, Access.LIST);
            }
            case "LIST", "NLST", "MLSD" -> {
                return refuseUnlistable(session, request);
            }
            case "DELE" -> {
                return refuseWithout(session, request, Access.DELETE);
            }
            case "RMD" -> {
                return refuseWithout(session, request, Access.RMDIR);
            }
            default -> {
            }
        }
        return FtpletResult.DEFAULT;
    }

    private FtpletResult refuseUnlistable(FtpSession session, FtpRequest request) throws FtpException {
        if (!(session.getFileSystemView() instanceof StorageFileSystemView view)) {
            return FtpletResult.DEFAULT;
        }
        String target = listTarget(request.getArgument());
        String path;
        try {
            path = UserFileSystem.normalize(view.getWorkingDirectory().getAbsolutePath(), target);
            String last = path.substring(path.lastIndexOf('/') + 1);
            if (last.contains("*") || last.contains("?")) {
                path = UserFileSystem.normalize(path, "..");
            }
        } catch (InvalidPathException e) {
            path = null;
        }
        if (path == null || !view.fileSystem().allows(path, Access.LIST)) {
            log.info("FTP listing refused: user={} path={}", session.getUser().getName(), path);
            session.write(new DefaultFtpReply(FtpReply.REPLY_550_REQUESTED_ACTION_NOT_TAKEN,
                    (path == null ? target : path) + ": Permission denied."));
            return FtpletResult.SKIP;
        }
        if (view.fileSystem().statOrNull(path) == null) {
            session.write(new DefaultFtpReply(FtpReply.REPLY_550_REQUESTED_ACTION_NOT_TAKEN,
                    path + ": No such file or directory."));
            return FtpletResult.SKIP;
        }
        return FtpletResult.DEFAULT;
    }

    /**
     * MINA answers a refused DELE or RMD with 450 (a transient failure); a permission the mount
     * does not grant is permanent, so it gets 550 as vsftpd and proftpd give.
     */
    private FtpletResult refuseWithout(FtpSession session, FtpRequest request, Access access)
            throws FtpException {
        if (!(session.getFileSystemView() instanceof StorageFileSystemView view) || request.getArgument() == null) {
            return FtpletResult.DEFAULT;
        }
        String path;
        try {
            path = UserFileSystem.normalize(view.getWorkingDirectory().getAbsolutePath(), request.getArgument());
        } catch (InvalidPathException e) {
            path = null;
        }
        if (path == null || !view.fileSystem().allows(path, access)) {
            log.info("FTP {} refused: user={} path={}", request.getCommand(), session.getUser().getName(), path);
            session.write(new DefaultFtpReply(FtpReply.REPLY_550_REQUESTED_ACTION_NOT_TAKEN,
                    (path == null ? request.getArgument() : path) + ": Permission denied."));
            return FtpletResult.SKIP;
        }
        return FtpletResult.DEFAULT;
    }

    /** The path a LIST-style argument names, leaving out options such as {@code -la}. */
    private static String listTarget(String argument) {
        if (argument == null) {
            return "";
        }
        StringBuilder path = new StringBuilder();
        for (String token : argument.trim().split(" ")) {
            if (path.isEmpty() && token.startsWith("-")) {
                continue;
            }
            if (!path.isEmpty()) {
                path.append(' ');
            }
            path.append(token);
        }
        return path.toString();
    }

    private static String address(FtpSession session) {
        return ClientAddress.text(ClientAddress.inet(session));
    }
}
