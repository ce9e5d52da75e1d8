package io.ftpbridge.transfers;

/** Which way a job moves bytes: from the remote server into a folder, or the other way. */
public enum Direction { DOWNLOAD, UPLOAD }
