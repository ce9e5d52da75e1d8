package io.ftpbridge.ftpserver;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.UUID;

/**
 * One open FTP control connection as the sessions API shows it.
 *
 * @param instance    the ftpbridge instance that holds the connection
 * @param username    null until the client has logged in
 * @param lastCommand the last command line received ({@code PASS ****} for passwords)
 * @param bytesIn     bytes received on the control and data connections
 * @param bytesOut    bytes sent on the control and data connections
 * @param transfer    the data transfer under way, or null
 */
public record FtpSessionSnapshot(UUID id, @Schema(nullable = true) String instance, @Schema(nullable = true) String username,
                                 String remoteAddress, Instant connectedAt, @Schema(nullable = true) String lastCommand,
                                 long bytesIn, long bytesOut, @Schema(nullable = true) FtpTransferSnapshot transfer) {

    /** Oldest first; ties by id as text, the order the database sorts them in too. */
    public static final java.util.Comparator<FtpSessionSnapshot> OLDEST_FIRST =
            java.util.Comparator.comparing(FtpSessionSnapshot::connectedAt).thenComparing(s -> s.id().toString());

    public FtpSessionSnapshot withInstance(String instance) {
        return new FtpSessionSnapshot(id, instance, username, remoteAddress, connectedAt, lastCommand, bytesIn, bytesOut,
                transfer);
    }
}
