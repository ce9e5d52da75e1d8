package io.ftpbridge.security;

/** Where a client reaches ftpbridge: the FTP listener or the REST API. */
public enum Protocol { FTP, REST }
