package io.ftpbridge.transfers;

/** What a job does when its target file already exists. */
public enum Overwrite { REPLACE, SKIP, FAIL }
