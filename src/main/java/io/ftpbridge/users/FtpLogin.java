package io.ftpbridge.users;

import io.ftpbridge.storage.UserFileSystem;
import java.util.List;

/** What the FTP server needs of a user who has just authenticated ({@code tlsRequired}: FTPS only). */
public record FtpLogin(String username, int maxConnections, long uploadBytesPerSecond, long downloadBytesPerSecond,
                       List<UserFileSystem.Mount> mounts, boolean tlsRequired) {
}
