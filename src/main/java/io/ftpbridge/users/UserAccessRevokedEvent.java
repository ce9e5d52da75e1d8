package io.ftpbridge.users;

/**
 * An account was disabled or deleted: its open FTP sessions are to end. Published inside the
 * transaction that made the change; listeners act after it commits.
 */
public record UserAccessRevokedEvent(String username, Reason reason) {

    public enum Reason { DISABLED, DELETED }
}
