package io.ftpbridge.ftpserver;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.UUID;

/**
 * One open FTP control connection as the sessions API shows it.
 *
 * @param username    null until the client has logged in
 * @param lastCommand the last command line received ({@code PASS ****} for passwords)
 * @param bytesIn     bytes received on the control and data connections
 * @param bytesOut    bytes sent on the control and data connections
 */
public record FtpSessionSnapshot(UUID id, @Schema(nullable = true) String username, String remoteAddress,
                                 Instant connectedAt, @Schema(nullable = true) String lastCommand, long bytesIn,
                                 long bytesOut) {
}
