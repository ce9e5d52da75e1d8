package io.ftpbridge.ftpserver;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
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
 * RETR through storage, copied on a transfer thread ({@link DataTransfers}) so that ABOR and STAT
 * are read while the file is on its way; the restart offset comes from {@link RestartCommand}.
 */
final class DownloadCommand extends AbstractCommand {

    private static final Logger log = LoggerFactory.getLogger(DownloadCommand.class);

    private final DataTransfers transfers;

    DownloadCommand(DataTransfers transfers) {
        this.transfers = transfers;
    }

    @Override
    public void execute(FtpIoSession session, FtpServerContext context, FtpRequest request)
            throws IOException, FtpException {
        long offset = RestartCommand.take(session);
        session.resetState();
        String argument = request.getArgument();
        if (argument == null || argument.isBlank()) {
            session.write(new DefaultFtpReply(FtpReply.REPLY_501_SYNTAX_ERROR_IN_PARAMETERS_OR_ARGUMENTS,
                    "RETR needs a file name."));
            return;
        }
        FtpFile file = session.getFileSystemView().getFile(argument);
        String path = file instanceof StorageFtpFile stored ? stored.path() : argument;
        if (!(file instanceof StorageFtpFile) || !file.doesExist() || !file.isFile()) {
            session.write(new DefaultFtpReply(FtpReply.REPLY_550_REQUESTED_ACTION_NOT_TAKEN,
                    path + ": No such file."));
            return;
        }
        if (!file.isReadable()) {
            session.write(new DefaultFtpReply(FtpReply.REPLY_550_REQUESTED_ACTION_NOT_TAKEN,
                    path + ": Permission denied."));
            return;
        }
        if (session.getDataConnection() instanceof IODataConnectionFactory factory && factory.getInetAddress() == null) {
            session.write(new DefaultFtpReply(FtpReply.REPLY_503_BAD_SEQUENCE_OF_COMMANDS,
                    "PORT, PASV, EPRT or EPSV must be issued first."));
            return;
        }
        String user = session.getUser().getName();
        InputStream in;
        try {
            in = file.createInputStream(offset);
        } catch (IOException e) {
            log.info("FTP download refused: user={} path={} reason={}", user, path, e.getMessage());
            session.write(new DefaultFtpReply(FtpReply.REPLY_550_REQUESTED_ACTION_NOT_TAKEN, path + ": " + e.getMessage()));
            return;
        }
        TransferRateRequest rate = (TransferRateRequest) session.getUser().authorize(new TransferRateRequest());
        int bytesPerSecond = rate == null ? 0 : rate.getMaxDownloadRate();
        long size = Math.max(0, file.getSize() - offset);
        DataTransfer transfer = new DataTransfer(session, "RETR", path, size);
        transfers.start(session, transfer, "Opening data connection for " + path + " (" + size + " bytes).",
                new DataTransfers.Copy() {
                    @Override
                    public FtpReply copy(DataConnection data) {
                        return send(session, context, transfer, data, in, file, offset, bytesPerSecond);
                    }

                    @Override
                    public void notOpened() {
                        closeQuietly(in);
                    }
                });
    }

    private static FtpReply send(FtpIoSession session, FtpServerContext context, DataTransfer transfer,
                                 DataConnection data, InputStream in, FtpFile file, long offset, int bytesPerSecond) {
        String user = session.getUser().getName();
        try (in) {
            long bytes = transfer.send(data, in, bytesPerSecond);
            ((ServerFtpStatistics) context.getFtpStatistics()).setDownload(session, file, bytes);
            if (file instanceof StorageFtpFile stored) {
                stored.downloaded(bytes);
            }
            log.info("FTP download: user={} address={} path={} offset={} bytes={}", user,
                    ClientAddress.text(ClientAddress.inet(session)), transfer.path, offset, bytes);
            return new DefaultFtpReply(FtpReply.REPLY_226_CLOSING_DATA_CONNECTION, "Transfer complete.");
        } catch (IOException e) {
            if (transfer.aborted() || e instanceof SocketException) {
                log.info("FTP download broken off: user={} path={} bytes={} abor={}", user, transfer.path,
                        transfer.bytes(), transfer.aborted());
                return new DefaultFtpReply(FtpReply.REPLY_426_CONNECTION_CLOSED_TRANSFER_ABORTED,
                        "Data connection closed; transfer aborted.");
            }
            log.info("FTP download failed: user={} path={} error={}", user, transfer.path, e.toString());
            return new DefaultFtpReply(FtpReply.REPLY_451_REQUESTED_ACTION_ABORTED,
                    "Local error in processing: " + e.getMessage());
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // nothing was read
        }
    }
}
