package io.ftpbridge.ftpserver;

import io.ftpbridge.storage.QuotaExceededException;
import io.ftpbridge.storage.UploadMode;
import io.ftpbridge.storage.UploadStream;
import java.io.IOException;
import java.net.SocketException;
import java.nio.file.NoSuchFileException;
import org.apache.ftpserver.command.AbstractCommand;
import org.apache.ftpserver.ftplet.DataConnection;
import org.apache.ftpserver.ftplet.DefaultFtpReply;
import org.apache.ftpserver.ftplet.FtpException;
import org.apache.ftpserver.ftplet.FtpFile;
import org.apache.ftpserver.ftplet.FtpReply;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.impl.FtpIoSession;
import org.apache.ftpserver.impl.FtpServerContext;
import org.apache.ftpserver.impl.IODataConnectionFactory;
import org.apache.ftpserver.impl.ServerFtpStatistics;
import org.apache.ftpserver.usermanager.impl.TransferRateRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * STOR and APPE through storage. MINA's own commands answer every write error with 551; RFC 959
 * wants 552 when the storage allocation is exceeded, and a refused upload must leave nothing
 * behind, so these two commands are registered in MINA's command factory in their place. The
 * copy runs on a transfer thread ({@link DataTransfers}); the final reply is written when it ends.
 */
final class UploadCommand extends AbstractCommand {

    private static final Logger log = LoggerFactory.getLogger(UploadCommand.class);

    private final boolean append;
    private final DataTransfers transfers;

    UploadCommand(boolean append, DataTransfers transfers) {
        this.append = append;
        this.transfers = transfers;
    }

    @Override
    public void execute(FtpIoSession session, FtpServerContext context, FtpRequest request)
            throws IOException, FtpException {
        String command = append ? "APPE" : "STOR";
        long offset = RestartCommand.take(session);
        session.resetState();
        String argument = request.getArgument();
        if (argument == null || argument.isBlank()) {
            session.write(new DefaultFtpReply(FtpReply.REPLY_501_SYNTAX_ERROR_IN_PARAMETERS_OR_ARGUMENTS,
                    command + " needs a file name."));
            return;
        }
        if (session.getDataConnection() instanceof IODataConnectionFactory factory && factory.getInetAddress() == null) {
            session.write(new DefaultFtpReply(FtpReply.REPLY_503_BAD_SEQUENCE_OF_COMMANDS,
                    "PORT, PASV, EPRT or EPSV must be issued first."));
            return;
        }
        FtpFile file = session.getFileSystemView().getFile(argument);
        if (!(file instanceof StorageFtpFile target)) {
            session.write(new DefaultFtpReply(FtpReply.REPLY_553_REQUESTED_ACTION_NOT_TAKEN_FILE_NAME_NOT_ALLOWED,
                    argument + ": file name not allowed."));
            return;
        }
        String user = session.getUser().getName();
        UploadMode mode = append ? UploadMode.APPEND : offset > 0 ? UploadMode.RESUME : UploadMode.REPLACE;
        UploadStream upload;
        try {
            upload = target.openUpload(mode, offset);
        } catch (QuotaExceededException e) {
            log.info("FTP upload refused: user={} path={} reason={}", user, target.path(), e.getMessage());
            session.write(new DefaultFtpReply(FtpReply.REPLY_552_REQUESTED_FILE_ACTION_ABORTED_EXCEEDED_STORAGE,
                    e.getMessage()));
            return;
        } catch (IOException e) {
            log.info("FTP upload refused: user={} path={} reason={}", user, target.path(), e.getMessage());
            String reason = e instanceof NoSuchFileException ? target.path() + ": no such directory" : e.getMessage();
            session.write(new DefaultFtpReply(FtpReply.REPLY_550_REQUESTED_ACTION_NOT_TAKEN, reason));
            return;
        }

        TransferRateRequest rate = (TransferRateRequest) session.getUser().authorize(new TransferRateRequest());
        int bytesPerSecond = rate == null ? 0 : rate.getMaxUploadRate();
        DataTransfer transfer = new DataTransfer(session, command, target.path(), -1);
        transfers.start(session, transfer, "Opening data connection for " + target.path() + ".", new DataTransfers.Copy() {
            @Override
            public FtpReply copy(DataConnection data) {
                return receive(session, context, transfer, data, upload, target, mode, bytesPerSecond);
            }

            @Override
            public void notOpened() {
                upload.abort(false);
            }
        });
    }

    private static FtpReply receive(FtpIoSession session, FtpServerContext context, DataTransfer transfer,
                                    DataConnection data, UploadStream upload, StorageFtpFile target, UploadMode mode,
                                    int bytesPerSecond) {
        String user = session.getUser().getName();
        try {
            long bytes = transfer.receive(data, upload, bytesPerSecond);
            upload.commit();
            ((ServerFtpStatistics) context.getFtpStatistics()).setUpload(session, target, bytes);
            log.info("FTP upload: user={} address={} path={} mode={} bytes={}", user,
                    ClientAddress.text(ClientAddress.inet(session)), target.path(), mode, bytes);
            return new DefaultFtpReply(FtpReply.REPLY_226_CLOSING_DATA_CONNECTION, "Transfer complete.");
        } catch (QuotaExceededException e) {
            upload.abort(false);
            log.info("FTP upload aborted: user={} path={} reason={}", user, target.path(), e.getMessage());
            return new DefaultFtpReply(FtpReply.REPLY_552_REQUESTED_FILE_ACTION_ABORTED_EXCEEDED_STORAGE, e.getMessage());
        } catch (IOException e) {
            upload.abort(true);
            if (transfer.aborted() || e instanceof SocketException) {
                log.info("FTP upload broken off: user={} path={} bytes={} abor={}", user, target.path(),
                        upload.written(), transfer.aborted());
                return new DefaultFtpReply(FtpReply.REPLY_426_CONNECTION_CLOSED_TRANSFER_ABORTED,
                        "Data connection closed; transfer aborted.");
            }
            log.info("FTP upload failed: user={} path={} error={}", user, target.path(), e.toString());
            return new DefaultFtpReply(FtpReply.REPLY_451_REQUESTED_ACTION_ABORTED,
                    "Local error in processing: " + e.getMessage());
        }
    }
}
