package io.ftpbridge.ftpserver;

/**
 * The data transfer a session has under way, as the sessions API shows it.
 *
 * @param path           the file's path in the user's tree
 * @param direction      {@code UPLOAD} (STOR/APPE) or {@code DOWNLOAD} (RETR)
 * @param bytes          bytes moved so far
 * @param bytesPerSecond recent rate
 */
public record FtpTransferSnapshot(String path, String direction, long bytes, long bytesPerSecond) {
}
