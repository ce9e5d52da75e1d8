package io.ftpbridge.remotes;

/** FTP TYPE: I (binary, bytes as they are) or A (ASCII, line endings translated). */
public enum TransferType { BINARY, ASCII }
