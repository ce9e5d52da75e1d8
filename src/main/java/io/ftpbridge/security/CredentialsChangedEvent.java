package io.ftpbridge.security;

/** An account's password, role or enabled flag changed, or it was deleted: forget what was verified for it. */
public record CredentialsChangedEvent(AccountKind kind, String username) {
}
