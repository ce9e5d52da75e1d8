package io.ftpbridge.remotes;

/** FTPS flavour of a remote: none, AUTH TLS on the control port, or TLS from the first byte. */
public enum RemoteTls { NONE, EXPLICIT, IMPLICIT }
