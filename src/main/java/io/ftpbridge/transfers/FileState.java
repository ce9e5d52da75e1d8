package io.ftpbridge.transfers;

/** Progress of one file of a job. */
public enum FileState { PENDING, RUNNING, DONE, SKIPPED, FAILED }
